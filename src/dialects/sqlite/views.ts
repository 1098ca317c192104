/**
 * Views as SQLite DDL, the way TypeORM's AbstractSqliteQueryRunner writes them: the view
 * plus a row in TypeORM's typeorm_metadata table holding its expression text, which is
 * how TypeORM's schema builder finds a view and decides whether it changed. SQLite has no
 * materialized views; TypeORM writes a plain one, and so does this.
 */
import { TYPEORM_METADATA_TABLE, type ViewIR } from "../../schema/ir.js";
import { quoteIdent, quoteLiteral } from "./quote.js";

export function createView(view: ViewIR): string[] {
  return [
    `CREATE VIEW ${quoteIdent(view.name)} AS ${view.expression}`,
    `INSERT INTO ${quoteIdent(TYPEORM_METADATA_TABLE)} ("database", "schema", "table", "type", "name", "value") ` +
      `VALUES (NULL, NULL, NULL, 'VIEW', ${quoteLiteral(view.name)}, ${quoteLiteral(view.expression.trim())})`,
  ];
}

export function dropView(view: ViewIR): string[] {
  return [
    `DELETE FROM ${quoteIdent(TYPEORM_METADATA_TABLE)} WHERE "type" = 'VIEW' AND "name" = ${quoteLiteral(view.name)}`,
    `DROP VIEW ${quoteIdent(view.name)}`,
  ];
}
