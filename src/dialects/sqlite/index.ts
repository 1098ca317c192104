/**
 * The SQLite dialect: connection (`sqlite3`), introspection (sqlite_master + pragmas +
 * a DDL parser, in ./ddl/), the canonical vocabulary (./normalize.ts, ./types.ts), op
 * rendering with table rebuilds, and the version table.
 */
import type { Dialect } from "../dialect.js";
import { connect } from "./connection.js";
import { dropAll } from "./drop-all.js";
import { isDriverError } from "./errors.js";
import { introspect } from "./introspect.js";
import { normalizeSchema } from "./normalize.js";
import { quoteIdent, quoteLiteral } from "./quote.js";
import { lexis } from "./lexis.js";
import { renderOp, renderOps } from "./render.js";
import { createSqliteScratch } from "./scratch.js";
import { seedInsert } from "./seed-insert.js";
import { session } from "./session.js";
import { testing } from "./testing.js";
import { beginTransaction, commitTransaction, rollbackTransaction } from "./transaction.js";
import { typeormMapping } from "./typeorm.js";
import { fileOfUrl, urls } from "./url.js";
import { versionTable } from "./version-table.js";
import { runLock } from "./run-lock.js";
import { widens } from "./widening.js";

export const sqliteDialect: Dialect = {
  name: "sqlite",
  title: "SQLite",
  capabilities: {
    transactionalDDL: true,
    enumTypes: false,
    dropsUnnamedConstraints: true,
    schemas: false,
    noOnlineForm: "SQLite has one writer at a time: a migration holds the database while it runs, whatever its form",
  },
  urls,
  defaultSchema: "main",
  isDriverError,
  typeorm: typeormMapping,
  // TypeORM 0.3 reaches SQLite through "sqlite" (the sqlite3 package); 1.x has no such
  // driver and uses "better-sqlite3". Trying them in this order picks the right one for
  // either version, and 0.3 projects that only installed better-sqlite3 still work.
  seedDataSource: (url) => ({ types: ["sqlite", "better-sqlite3"], options: { database: fileOfUrl(url) } }),
  seedInsert,
  connect,
  introspect,
  normalizeSchema,
  renderOp,
  renderOps,
  widens,
  beginTransaction,
  commitTransaction,
  rollbackTransaction,
  versionTable,
  runLock,
  session,
  createScratch: createSqliteScratch,
  dropAll,
  quoteIdent,
  quoteLiteral,
  lexis,
  testing,
};
