/**
 * The version table: one `version_num` row per applied head. Every statement spells
 * its values as literals because offline `--sql` mode prints them into a script.
 */
import type { VersionTableSql } from "../dialect.js";
import { truncateIdentifier } from "./names.js";
import { qualified, quoteIdent, quoteLiteral } from "./quote.js";

const COLUMN = quoteIdent("version_num");

export const postgresVersionTable: VersionTableSql = {
  create: (table) => [
    `CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (${COLUMN} varchar(64) NOT NULL, ` +
      `CONSTRAINT ${quoteIdent(truncateIdentifier(`${table}_pkc`))} PRIMARY KEY (${COLUMN}))`,
  ],
  selectAll: (table) => `SELECT ${COLUMN} FROM ${quoteIdent(table)}`,
  // Resolved like the unqualified statements above (through search_path) unless a schema is given.
  exists: (table, schema) =>
    `SELECT 1 AS present WHERE to_regclass(${quoteLiteral(schema ? qualified(table, schema) : quoteIdent(table))}) IS NOT NULL`,
  insert: (table, revision) => `INSERT INTO ${quoteIdent(table)} (${COLUMN}) VALUES (${quoteLiteral(revision)})`,
  delete: (table, revision) => `DELETE FROM ${quoteIdent(table)} WHERE ${COLUMN} = ${quoteLiteral(revision)}`,
  update: (table, from, to) =>
    `UPDATE ${quoteIdent(table)} SET ${COLUMN} = ${quoteLiteral(to)} WHERE ${COLUMN} = ${quoteLiteral(from)}`,
};
