/**
 * The PostgreSQL dialect: transactional DDL, named enum types, five catalog queries
 * per introspection. Needs PostgreSQL 12 or later (stored generated columns,
 * `pg_attribute.attgenerated`).
 */
import type { Dialect } from "../dialect.js";
import type { SchemaIR } from "../../schema/ir.js";
import { PgConnection } from "./connection.js";
import { introspectPostgres } from "./introspect.js";
import { postgresLocks } from "./locks.js";
import { normalizeSchema } from "./normalize.js";
import { qualified, quoteIdent, quoteLiteral } from "./quote.js";
import { renderOp } from "./render.js";
import { postgresVersionTable } from "./version-table.js";
import { postgresWidens } from "./widening.js";

/** Drops every table (CASCADE takes foreign keys from outside the set along) and enum type. */
function dropAll(schema: SchemaIR): string[] {
  return [
    ...schema.tables.map((t) => `DROP TABLE IF EXISTS ${qualified(t.name, t.schema)} CASCADE`),
    ...schema.enums.map((e) => `DROP TYPE IF EXISTS ${qualified(e.name, e.schema)} CASCADE`),
  ];
}

/**
 * Revisions name tables without a schema, so a configured schema takes effect through
 * search_path. `public` stays on the path after it, as TypeORM leaves it, so functions
 * of extensions installed there (`uuid_generate_v4()`) still resolve.
 */
const session = {
  statements: (schema: string | undefined) =>
    schema && schema !== "public" ? [`SET search_path TO ${quoteIdent(schema)}, public`] : [],
  schemaExists: (schema: string) => `SELECT 1 AS present FROM pg_catalog.pg_namespace WHERE nspname = ${quoteLiteral(schema)}`,
};

export const postgresDialect: Dialect = {
  name: "postgres",
  capabilities: { transactionalDDL: true, enumTypes: true, dropsUnnamedConstraints: false },
  connect: (url) => PgConnection.open(url),
  introspect: introspectPostgres,
  normalizeSchema,
  renderOp,
  widens: postgresWidens,
  session,
  beginTransaction: () => ["BEGIN"],
  commitTransaction: () => ["COMMIT"],
  rollbackTransaction: () => ["ROLLBACK"],
  versionTable: postgresVersionTable,
  locks: postgresLocks,
  dropAll,
  quoteIdent,
  quoteLiteral,
};
