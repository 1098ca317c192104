/**
 * SQLite has no lock a run could hold across revisions: each revision's BEGIN IMMEDIATE
 * takes the database file's write lock, and the busy timeout queues a second writer.
 * The run "lock" is therefore a probe: BEGIN IMMEDIATE without waiting, rolled back at
 * once. While another connection writes, it fails, and the waiting run says so; the
 * busy timeout of the revisions' own transactions is then set to `--lock-timeout`.
 */
import type { DbConnection, RunLock } from "../dialect.js";
import { SQLITE_BUSY_TIMEOUT_MS } from "./connection.js";

const isBusy = (err: unknown) => /SQLITE_BUSY|database is locked/i.test(`${(err as { code?: string }).code ?? ""} ${String(err)}`);

export function runLock(_table: string, options: { timeoutMs?: number }): RunLock {
  const waitMs = options.timeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  let file = "the database file";
  return {
    async tryAcquire(conn: DbConnection) {
      if ("file" in conn && typeof conn.file === "string") file = conn.file;
      await conn.query("PRAGMA busy_timeout = 0");
      try {
        await conn.query("BEGIN IMMEDIATE");
        await conn.query("ROLLBACK");
        return true;
      } catch (err) {
        if (isBusy(err)) return false;
        throw err;
      } finally {
        await conn.query(`PRAGMA busy_timeout = ${Math.max(0, Math.round(waitMs))}`);
      }
    },
    async release() {
      // nothing is held between revisions
    },
    async holder() {
      // SQLite does not say which process holds a file's lock.
      return `another connection writing to ${file} (SQLite does not tell which process)`;
    },
  };
}
