/**
 * Runs a dialect's lock statements and stops the run when the database says the lock
 * was not taken: migrating without it lets two processes apply the same revision.
 */
import type { DbConnection, VersionTableSql } from "../dialects/dialect.js";
import { UserError } from "../errors.js";

export async function takeVersionLock(
  conn: DbConnection,
  sql: VersionTableSql,
  table: string,
  statements: readonly string[],
): Promise<void> {
  for (const statement of statements) {
    const rows = await conn.query(statement);
    if (sql.lockTaken && !sql.lockTaken(rows)) {
      const answer = Object.values(rows[0] ?? {})[0];
      throw new UserError(
        `could not take the migration lock on version table ${table} (the database answered ${answer === null || answer === undefined ? "NULL" : String(answer)}): another process may be migrating this database; stopped before applying the next revision`,
      );
    }
  }
}
