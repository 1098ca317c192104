/**
 * The version table on MySQL/MariaDB: one `version_num` row per applied head, values as
 * literals so the statements print as they run in offline (`--sql`) scripts.
 *
 * The lock: DDL commits implicitly, so a table lock taken in a transaction would not
 * last the revision. A named lock (GET_LOCK) belongs to the connection instead and lasts
 * until it closes; a second `upgrade` waits for it, then re-checks the version rows.
 */
import type { VersionTableSql } from "../dialect.js";
import { quoteIdent, quoteLiteral } from "./quote.js";

const COLUMN = quoteIdent("version_num");

export const versionTable: VersionTableSql = {
  create: (table) => [`CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (${COLUMN} varchar(64) NOT NULL, PRIMARY KEY (${COLUMN}))`],
  selectAll: (table) => `SELECT ${COLUMN} FROM ${quoteIdent(table)} ORDER BY ${COLUMN}`,
  // -1: wait as long as it takes, as PostgreSQL's LOCK TABLE does. Named per database and table.
  lock: (table) => [`SELECT GET_LOCK(CONCAT('autogen:', DATABASE(), ':', ${quoteLiteral(table)}), -1) AS locked`],
  exists: (table) => `SELECT 1 AS present FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${quoteLiteral(table)}`,
  insert: (table, revision) => `INSERT INTO ${quoteIdent(table)} (${COLUMN}) VALUES (${quoteLiteral(revision)})`,
  delete: (table, revision) => `DELETE FROM ${quoteIdent(table)} WHERE ${COLUMN} = ${quoteLiteral(revision)}`,
  update: (table, from, to) => `UPDATE ${quoteIdent(table)} SET ${COLUMN} = ${quoteLiteral(to)} WHERE ${COLUMN} = ${quoteLiteral(from)}`,
  drop: (table) => `DROP TABLE IF EXISTS ${quoteIdent(table)}`,
};
