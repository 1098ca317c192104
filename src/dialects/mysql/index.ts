/**
 * The MySQL/MariaDB dialect (driver mysql2, as TypeORM uses): seven information_schema
 * queries per introspection, MODIFY COLUMN for column changes, RENAME COLUMN (MariaDB
 * 10.5+, MySQL 8). DDL is not transactional: each statement commits as it runs, the
 * version row is written after each revision, and a named lock (GET_LOCK) keeps a
 * second upgrade out. The server's flavour and version, read when a connection opens,
 * decide the SQL where MariaDB and MySQL 8 differ (`forServer`). Tested on MariaDB 10.11.
 */
import type { Dialect } from "../dialect.js";
import { renderEachOp } from "../render-ops.js";
import type { Op } from "../../ops/ops.js";
import type { SchemaIR } from "../../schema/ir.js";
import { connect, MysqlConnection } from "./connection.js";
import { dropAll } from "./drop-all.js";
import { isDriverError } from "./errors.js";
import { introspect } from "./introspect.js";
import { normalizeSchema } from "./normalize.js";
import { quoteIdent, quoteLiteral } from "./quote.js";
import { renderOp } from "./render.js";
import { GENERIC_SERVER, type ServerTraits } from "./server.js";
import { createMysqlScratch } from "./scratch.js";
import { session } from "./session.js";
import { beginTransaction, commitTransaction, rollbackTransaction } from "./transaction.js";
import { typeormMapping } from "./typeorm.js";
import { isMariaDbUrl, urls } from "./url.js";
import { versionTable } from "./version-table.js";
import { widens } from "./widening.js";

/** The dialect as `server` speaks it (GENERIC_SERVER: without a connection). */
function dialectFor(server: ServerTraits): Dialect {
  const render = (op: Op, state: SchemaIR) => renderOp(op, state, server);
  return {
    ...base,
    normalizeSchema: (schema) => normalizeSchema(schema, server),
    renderOp: render,
    renderOps: renderEachOp(render),
    forServer: (conn) => (conn instanceof MysqlConnection ? dialectFor(conn.server) : dialectFor(server)),
  };
}

const base: Omit<Dialect, "normalizeSchema" | "renderOp" | "renderOps"> = {
  name: "mysql",
  title: "MySQL",
  capabilities: { transactionalDDL: false, enumTypes: false, dropsUnnamedConstraints: false, schemas: false },
  urls,
  // The URL's database; there is no other to name.
  defaultSchema: "",
  isDriverError,
  typeorm: typeormMapping,
  seedDataSource: (url) => ({
    types: isMariaDbUrl(url) ? ["mariadb"] : ["mysql"],
    options: { url: url.replace(/^mariadb:/i, "mysql:") },
  }),
  connect,
  introspect,
  widens,
  session,
  beginTransaction,
  commitTransaction,
  rollbackTransaction,
  versionTable,
  createScratch: createMysqlScratch,
  dropAll,
  quoteIdent,
  quoteLiteral,
};

export const mysqlDialect: Dialect = dialectFor(GENERIC_SERVER);
