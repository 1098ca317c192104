/**
 * One transaction around a list of statements, as the dialect opens and closes it; on
 * failure it is rolled back and the error passed on.
 */
import type { DbConnection, Dialect } from "../dialects/dialect.js";

export async function rollbackQuietly(conn: DbConnection, dialect: Dialect): Promise<void> {
  for (const sql of dialect.rollbackTransaction()) {
    try {
      await conn.query(sql);
    } catch {
      // Already rolled back by the server (PostgreSQL aborts the transaction on error).
    }
  }
}

export async function runInTransaction(conn: DbConnection, dialect: Dialect, statements: readonly string[]): Promise<void> {
  for (const sql of dialect.beginTransaction()) await conn.query(sql);
  try {
    for (const sql of statements) await conn.query(sql);
    for (const sql of dialect.commitTransaction()) await conn.query(sql);
  } catch (err) {
    await rollbackQuietly(conn, dialect);
    throw err;
  }
}
