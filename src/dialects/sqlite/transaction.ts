/**
 * One revision's transaction on SQLite. Table rebuilds need foreign keys OFF (DROP TABLE
 * would otherwise delete or cascade into child rows), and `PRAGMA foreign_keys` is a no-op
 * inside a transaction, so it is switched off before BEGIN and back on after the end.
 *
 * With enforcement off, nothing stops a revision from leaving dangling references, so the
 * commit checks every foreign key first. `PRAGMA foreign_key_check` only returns rows, which
 * a runner executing statements would ignore; copying those rows into a temporary table
 * whose CHECK refuses any row turns a violation into an error that aborts the commit (the
 * runner then rolls back). The constraint's name is the error message the user sees.
 */
import { quoteIdent } from "./quote.js";

const CHECK_TABLE = "autogen_foreign_key_check";
export const FOREIGN_KEY_VIOLATION = "foreign key violation: run PRAGMA foreign_key_check to see the rows";

export function beginTransaction(): string[] {
  // IMMEDIATE takes the write lock now: a second migrating process waits here (busy
  // timeout) instead of failing with SQLITE_BUSY when it first writes.
  return ["PRAGMA foreign_keys = OFF", "BEGIN IMMEDIATE"];
}

export function commitTransaction(): string[] {
  const table = `temp.${quoteIdent(CHECK_TABLE)}`;
  return [
    `CREATE TEMP TABLE ${quoteIdent(CHECK_TABLE)} ("violation" text, CONSTRAINT ${quoteIdent(FOREIGN_KEY_VIOLATION)} CHECK ("violation" IS NULL))`,
    `INSERT INTO ${table} ("violation") SELECT "table" || ' references a missing row of ' || "parent" FROM pragma_foreign_key_check`,
    `DROP TABLE ${table}`,
    "COMMIT",
    "PRAGMA foreign_keys = ON",
  ];
}

export function rollbackTransaction(): string[] {
  return ["ROLLBACK", "PRAGMA foreign_keys = ON"];
}
