/**
 * Views as MySQL DDL, the way TypeORM's MysqlQueryRunner writes them: the view plus a row
 * in TypeORM's typeorm_metadata table holding its expression text (for the current
 * database), which is how TypeORM's schema builder finds a view and decides whether it
 * changed. MySQL has no materialized views.
 */
import { UserError } from "../../errors.js";
import { TYPEORM_METADATA_TABLE, type ViewIR } from "../../schema/ir.js";
import { quoteIdent, quoteLiteral } from "./quote.js";

const METADATA = quoteIdent(TYPEORM_METADATA_TABLE);

export function createView(view: ViewIR): string[] {
  if (view.materialized) throw new UserError(`view "${view.name}": MySQL has no materialized views`);
  return [
    `CREATE VIEW ${quoteIdent(view.name)} AS ${view.expression}`,
    `INSERT INTO ${METADATA} (\`database\`, \`schema\`, \`table\`, \`type\`, \`name\`, \`value\`) ` +
      `VALUES (DATABASE(), NULL, NULL, 'VIEW', ${quoteLiteral(view.name)}, ${quoteLiteral(view.expression.trim())})`,
  ];
}

export function dropView(view: ViewIR): string[] {
  return [
    `DELETE FROM ${METADATA} WHERE \`type\` = 'VIEW' AND \`name\` = ${quoteLiteral(view.name)} AND (\`database\` = DATABASE() OR \`database\` IS NULL)`,
    `DROP VIEW ${quoteIdent(view.name)}`,
  ];
}
