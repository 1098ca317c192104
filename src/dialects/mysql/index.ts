/**
 * The MySQL/MariaDB dialect (driver mysql2, as TypeORM uses): six information_schema
 * queries per introspection, MODIFY COLUMN for column changes, RENAME COLUMN (MariaDB
 * 10.5+, MySQL 8). DDL is not transactional: each statement commits as it runs, the
 * version row is written after each revision, and a named lock (GET_LOCK) keeps a
 * second upgrade out. Tested on MariaDB 10.11.
 */
import type { Dialect } from "../dialect.js";
import { renderEachOp } from "../render-ops.js";
import { connect } from "./connection.js";
import { dropAll } from "./drop-all.js";
import { isDriverError } from "./errors.js";
import { introspect } from "./introspect.js";
import { normalizeSchema } from "./normalize.js";
import { quoteIdent, quoteLiteral } from "./quote.js";
import { renderOp } from "./render.js";
import { session } from "./session.js";
import { beginTransaction, commitTransaction, rollbackTransaction } from "./transaction.js";
import { typeormMapping } from "./typeorm.js";
import { isMariaDbUrl, urls } from "./url.js";
import { versionTable } from "./version-table.js";
import { widens } from "./widening.js";

export const mysqlDialect: Dialect = {
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
  normalizeSchema,
  renderOp,
  renderOps: renderEachOp(renderOp),
  widens,
  session,
  beginTransaction,
  commitTransaction,
  rollbackTransaction,
  versionTable,
  dropAll,
  quoteIdent,
  quoteLiteral,
};
