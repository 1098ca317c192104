/**
 * Views, extensions and exclusion constraints as PostgreSQL DDL.
 *
 * A view is written the way TypeORM's PostgresQueryRunner writes it: `CREATE [MATERIALIZED]
 * VIEW name AS <expression>` plus a row in TypeORM's typeorm_metadata table holding the
 * expression text. TypeORM's schema builder finds views only through those rows and
 * compares their text with its entities', so a view without its row would be created
 * again by TypeORM; dropping a view removes its row.
 */
import { TYPEORM_METADATA_TABLE, type ViewIR } from "../../schema/ir.js";
import type { ExclusionIR } from "./ir.js";
import { qualified, quoteIdent, quoteLiteral } from "./quote.js";

const metadataType = (view: ViewIR) => (view.materialized ? "MATERIALIZED_VIEW" : "VIEW");
const schemaValue = (view: ViewIR) => (view.schema ? quoteLiteral(view.schema) : "current_schema()");

export function createView(view: ViewIR): string[] {
  const kind = view.materialized ? "MATERIALIZED VIEW" : "VIEW";
  return [
    `CREATE ${kind} ${qualified(view.name, view.schema)} AS ${view.expression}`,
    `INSERT INTO ${quoteIdent(TYPEORM_METADATA_TABLE)} ("database", "schema", "table", "type", "name", "value") ` +
      `VALUES (DEFAULT, ${schemaValue(view)}, DEFAULT, ${quoteLiteral(metadataType(view))}, ${quoteLiteral(view.name)}, ${quoteLiteral(view.expression.trim())})`,
  ];
}

export function dropView(view: ViewIR): string[] {
  const kind = view.materialized ? "MATERIALIZED VIEW" : "VIEW";
  return [
    `DELETE FROM ${quoteIdent(TYPEORM_METADATA_TABLE)} WHERE "type" = ${quoteLiteral(metadataType(view))} ` +
      `AND "name" = ${quoteLiteral(view.name)} AND "schema" = ${schemaValue(view)}`,
    `DROP ${kind} ${qualified(view.name, view.schema)}`,
  ];
}

/**
 * IF NOT EXISTS: a revision generated where the extension was missing may run where a DBA
 * installed it already. The drop is plain (RESTRICT): it fails, rather than cascading,
 * while anything still uses the extension.
 */
export function createExtension(name: string): string[] {
  return [`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)}`];
}

export function dropExtension(name: string): string[] {
  return [`DROP EXTENSION IF EXISTS ${quoteIdent(name)}`];
}

/** `CONSTRAINT "name" EXCLUDE USING gist (…)`, as TypeORM's createTableSql writes it. */
export function exclusionClause(exclusion: ExclusionIR): string {
  return `CONSTRAINT ${quoteIdent(exclusion.name)} EXCLUDE ${exclusion.expression}`;
}
