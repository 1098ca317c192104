/**
 * Waits for the run lock the way a person at the terminal can follow: silent for the
 * first moments (a lock usually frees at once), then one line naming who holds it and
 * that this run waits, and with `--lock-timeout` a one-line error when the wait is over.
 * The lock is tried without blocking and tried again, so the wait can be reported and
 * ended; a blocking lock call would be silent for as long as the holder lives.
 */
import type { DbConnection, RunLock } from "../dialects/dialect.js";
import { UserError } from "../errors.js";
import { formatDuration } from "../config/duration.js";

export interface RunLockWait {
  /** What is locked, for the messages ("version table autogen_version"). */
  what: string;
  /** Give up after this long; undefined waits as long as it takes. */
  timeoutMs?: number;
  /** When to say that this run waits. */
  noticeAfterMs?: number;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function acquireRunLock(conn: DbConnection, lock: RunLock, wait: RunLockWait): Promise<void> {
  const started = Date.now();
  const noticeAfter = wait.noticeAfterMs ?? 2000;
  let noticed = false;
  let pause = 50;
  for (;;) {
    if (await lock.tryAcquire(conn)) return;
    const waited = Date.now() - started;
    if (wait.timeoutMs !== undefined && waited >= wait.timeoutMs) {
      const who = (await lock.holder(conn)) ?? "another session";
      throw new UserError(
        `gave up waiting for the migration lock on ${wait.what} after ${formatDuration(wait.timeoutMs)} (--lock-timeout): it is held by ${who}; nothing was applied`,
      );
    }
    if (!noticed && waited >= noticeAfter) {
      noticed = true;
      const who = (await lock.holder(conn)) ?? "another session";
      const until =
        wait.timeoutMs !== undefined ? `up to ${formatDuration(wait.timeoutMs)}` : "until it is released (--lock-timeout to give up)";
      wait.log(`Waiting for the migration lock on ${wait.what}, held by ${who}; waiting ${until}`);
    }
    const left = wait.timeoutMs !== undefined ? wait.timeoutMs - waited : Infinity;
    const untilNotice = noticed ? Infinity : noticeAfter - waited;
    await sleep(Math.max(10, Math.min(pause, left, untilNotice)));
    pause = Math.min(pause * 2, 500);
  }
}
