/**
 * The version table on SQLite: one row per applied head. Revision ids go in as literals,
 * not parameters, so the statements print as they are in offline (`--sql`) scripts.
 */
import type { VersionTableSql } from "../dialect.js";
import { quoteIdent, quoteLiteral } from "./quote.js";

export const versionTable: VersionTableSql = {
  create: (table) => [`CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} ("version_num" varchar(64) NOT NULL PRIMARY KEY)`],
  selectAll: (table) => `SELECT "version_num" FROM ${quoteIdent(table)} ORDER BY "version_num"`,
  // SQLite admits one writer at a time: a second migrating process fails on its first write.
  lock: () => [],
  // On SQLite a "schema" is an attached database (`main` by default).
  exists: (table, schema = "main") =>
    `SELECT 1 FROM ${quoteIdent(schema)}.sqlite_master WHERE "type" = 'table' AND "name" = ${quoteLiteral(table)}`,
  insert: (table, revision) => `INSERT INTO ${quoteIdent(table)} ("version_num") VALUES (${quoteLiteral(revision)})`,
  delete: (table, revision) => `DELETE FROM ${quoteIdent(table)} WHERE "version_num" = ${quoteLiteral(revision)}`,
  update: (table, from, to) =>
    `UPDATE ${quoteIdent(table)} SET "version_num" = ${quoteLiteral(to)} WHERE "version_num" = ${quoteLiteral(from)}`,
  drop: (table) => `DROP TABLE IF EXISTS ${quoteIdent(table)}`,
};
