/**
 * The version table on MySQL/MariaDB: one `version_num` row per applied head, values as
 * literals so the statements print as they run in offline (`--sql`) scripts.
 *
 * The lock: DDL commits implicitly, so a table lock taken in a transaction would not
 * last the revision. A named lock (GET_LOCK) belongs to the connection instead: taken for
 * the whole run (runLock) and again before each revision (what an offline script has);
 * a second `upgrade` waits for it, then re-checks the version rows. The wait is a year,
 * not -1: MySQL reads a negative timeout as "forever", MariaDB returns NULL at once
 * without the lock (two upgrades then ran the same revision).
 */
import type { VersionTableSql } from "../dialect.js";
import { quoteIdent, quoteLiteral } from "./quote.js";

const COLUMN = quoteIdent("version_num");
/** Seconds to wait for another migrating process: in effect as long as it takes. */
const LOCK_WAIT_SECONDS = 365 * 24 * 3600;
export const lockName = (table: string) => `CONCAT('autogen:', DATABASE(), ':', ${quoteLiteral(table)})`;
const getLock = (table: string) => `SELECT GET_LOCK(${lockName(table)}, ${LOCK_WAIT_SECONDS}) AS locked`;

export const versionTable: VersionTableSql = {
  create: (table) => [`CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (${COLUMN} varchar(64) NOT NULL, PRIMARY KEY (${COLUMN}))`],
  selectAll: (table) => `SELECT ${COLUMN} FROM ${quoteIdent(table)} ORDER BY ${COLUMN}`,
  // Named per database and version table. The same connection may take it again (it nests).
  lock: (table) => [getLock(table)],
  // Closing the connection releases what is still held (the per-revision nestings).
  runLock: (table) => ({ acquire: [getLock(table)], release: [`SELECT RELEASE_LOCK(${lockName(table)}) AS released`] }),
  // GET_LOCK answers 1 when taken, 0 on a timeout, NULL on an error (the driver may give a string or bigint).
  lockTaken: (rows) => String(rows[0]?.locked ?? "") === "1",
  exists: (table) =>
    `SELECT 1 AS present FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${quoteLiteral(table)}`,
  insert: (table, revision) => `INSERT INTO ${quoteIdent(table)} (${COLUMN}) VALUES (${quoteLiteral(revision)})`,
  delete: (table, revision) => `DELETE FROM ${quoteIdent(table)} WHERE ${COLUMN} = ${quoteLiteral(revision)}`,
  update: (table, from, to) => `UPDATE ${quoteIdent(table)} SET ${COLUMN} = ${quoteLiteral(to)} WHERE ${COLUMN} = ${quoteLiteral(from)}`,
  drop: (table) => `DROP TABLE IF EXISTS ${quoteIdent(table)}`,
};
