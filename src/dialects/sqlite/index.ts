/**
 * The SQLite dialect: connection (`sqlite3`), introspection (sqlite_master + pragmas +
 * a DDL parser), the canonical vocabulary (./normalize.ts), op rendering with table
 * rebuilds, and the version table.
 */
import type { Dialect } from "../dialect.js";
import { connectSqlite } from "./connection.js";
import { dropAllSqlite } from "./drop-all.js";
import { introspectSqlite } from "./introspect.js";
import { normalizeSqliteSchema } from "./normalize.js";
import { quoteIdent, quoteLiteral } from "./quote.js";
import { renderSqliteOp } from "./render.js";
import { beginSqliteTransaction, commitSqliteTransaction, rollbackSqliteTransaction } from "./transaction.js";
import { sqliteVersionTable } from "./version-table.js";
import { sqliteWidens } from "./widening.js";

export const sqliteDialect: Dialect = {
  name: "sqlite",
  capabilities: { transactionalDDL: true, enumTypes: false, dropsUnnamedConstraints: true },
  connect: connectSqlite,
  introspect: introspectSqlite,
  normalizeSchema: normalizeSqliteSchema,
  renderOp: renderSqliteOp,
  widens: sqliteWidens,
  beginTransaction: beginSqliteTransaction,
  commitTransaction: commitSqliteTransaction,
  rollbackTransaction: rollbackSqliteTransaction,
  versionTable: sqliteVersionTable,
  // A "schema" on SQLite is an attached database; autogen works in `main` only (the config refuses another).
  session: { statements: () => [], schemaExists: () => null },
  dropAll: dropAllSqlite,
  quoteIdent,
  quoteLiteral,
};
