/**
 * The version table: one `version_num` row per applied head. Every statement spells
 * its values as literals because offline `--sql` mode prints them into a script.
 */
import type { VersionTableSql } from "../dialect.js";
import { truncateIdentifier } from "./catalog/names.js";
import { quoteIdent, quoteLiteral } from "./quote.js";
import { ADVISORY_NAMESPACE, advisoryKey } from "./run-lock.js";

const COLUMN = quoteIdent("version_num");

export const versionTable: VersionTableSql = {
  create: (table) => [
    `CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (${COLUMN} varchar(64) NOT NULL, ` +
      `CONSTRAINT ${quoteIdent(truncateIdentifier(`${table}_pkc`))} PRIMARY KEY (${COLUMN}))`,
  ],
  selectAll: (table) => `SELECT ${COLUMN} FROM ${quoteIdent(table)}`,
  // EXCLUSIVE lets plain reads (`current`, `status`) through but queues a second upgrade.
  lock: (table) => [`LOCK TABLE ${quoteIdent(table)} IN EXCLUSIVE MODE`],
  // One key per database, schema and version table: concurrent `upgrade head` runs
  // queue here, and each sees the version table only after the one before it finished.
  runLock: (table) => {
    const key = advisoryKey(table);
    return {
      acquire: [`SELECT pg_advisory_lock(${ADVISORY_NAMESPACE}, ${key})`],
      release: [`SELECT pg_advisory_unlock(${ADVISORY_NAMESPACE}, ${key})`],
    };
  },
  // Every other statement here names the table unqualified, so it lives wherever
  // search_path puts it; look for it the same way. The introspected schema (the second
  // argument) is deliberately not used: checking there would miss the real table.
  exists: (table) => `SELECT 1 AS present WHERE to_regclass(${quoteLiteral(quoteIdent(table))}) IS NOT NULL`,
  insert: (table, revision) => `INSERT INTO ${quoteIdent(table)} (${COLUMN}) VALUES (${quoteLiteral(revision)})`,
  delete: (table, revision) => `DELETE FROM ${quoteIdent(table)} WHERE ${COLUMN} = ${quoteLiteral(revision)}`,
  update: (table, from, to) => `UPDATE ${quoteIdent(table)} SET ${COLUMN} = ${quoteLiteral(to)} WHERE ${COLUMN} = ${quoteLiteral(from)}`,
  drop: (table) => `DROP TABLE IF EXISTS ${quoteIdent(table)}`,
};
