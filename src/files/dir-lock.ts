/**
 * A lock on a directory between processes: a lock file created with O_EXCL, holding the
 * holder's pid, host and start time. Two `revision --autogenerate` runs at once would
 * otherwise both plan from the same head and write two heads with the same change.
 *
 * A holder killed with -9 leaves the file behind: on the same host, a lock whose pid is
 * no longer alive is stale and is taken over (renamed away first, so two processes that
 * both find it stale do not both proceed). A lock from another host (a shared network
 * directory) cannot be checked; the waiting run names it so a person can remove it.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { UserError } from "../errors.js";
import { reasonOf } from "./write-whole.js";
import { formatDuration } from "../config/duration.js";

export const LOCK_FILE_NAME = ".autogen.lock";

interface LockContent {
  pid: number;
  host: string;
  since: string;
  command?: string;
}

export interface DirectoryLockOptions {
  /** What the lock protects, for messages ("the versions directory"). */
  what: string;
  /** Give up after this long; undefined waits as long as it takes. */
  timeoutMs?: number;
  /** When to say that this process waits. */
  noticeAfterMs?: number;
  log: (line: string) => void;
  /** What this process is doing, recorded in the lock for whoever waits. */
  command?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readLock(file: string): { content: LockContent | undefined; ino: number } | undefined {
  try {
    const ino = statSync(file).ino;
    let content: LockContent | undefined;
    try {
      content = JSON.parse(readFileSync(file, "utf8")) as LockContent;
    } catch {
      content = undefined; // being written this very moment, or damaged
    }
    return { content, ino };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function describe(content: LockContent | undefined): string {
  if (!content) return "another process";
  const doing = content.command ? `, ${content.command}` : "";
  return `pid ${content.pid} on ${content.host}${doing}, since ${content.since}`;
}

function tryCreate(file: string, content: LockContent): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new UserError(`could not create the lock file ${file}: ${reasonOf(err)}; nothing was written`);
  }
  try {
    writeSync(fd, JSON.stringify(content));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock out of the way. Another process may have done the same and taken
 * the lock since: the moved file is then not the one found stale (another inode), and
 * is put back.
 */
function removeStale(file: string, staleIno: number): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // gone already
  }
  try {
    if (statSync(aside).ino !== staleIno) {
      renameSync(aside, file);
      return;
    }
  } catch {
    return;
  }
  rmSync(aside, { force: true });
}

/** Runs `fn` holding the lock on `dir`; waits (and says so) while another process holds it. */
export async function withDirectoryLock<T>(dir: string, options: DirectoryLockOptions, fn: () => Promise<T>): Promise<T> {
  const file = path.join(dir, LOCK_FILE_NAME);
  const mine: LockContent = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    ...(options.command ? { command: options.command } : {}),
  };
  const started = Date.now();
  const noticeAfter = options.noticeAfterMs ?? 2000;
  let noticed = false;
  let pause = 25;
  while (!tryCreate(file, mine)) {
    const found = readLock(file);
    if (!found) continue; // released between the two calls
    const { content, ino } = found;
    if (content && content.host === mine.host && !alive(content.pid)) {
      options.log(`Removing a stale lock on ${options.what} (${file}): ${describe(content)} is no longer running.`);
      removeStale(file, ino);
      continue;
    }
    const waited = Date.now() - started;
    if (options.timeoutMs !== undefined && waited >= options.timeoutMs) {
      throw new UserError(
        `gave up waiting for the lock on ${options.what} after ${formatDuration(options.timeoutMs)} (--lock-timeout): ${file} is held by ${describe(content)}; nothing was written`,
      );
    }
    if (!noticed && waited >= noticeAfter) {
      noticed = true;
      const elsewhere =
        content && content.host !== mine.host ? "; on another host it cannot be checked, remove the file if that process is gone" : "";
      options.log(`Waiting for the lock on ${options.what}: ${file} is held by ${describe(content)}${elsewhere}`);
    }
    await sleep(pause);
    pause = Math.min(pause * 2, 250);
  }
  // A process that exits without the finally below (process.exit in a handler) still releases it.
  const releaseOnExit = () => releaseIfMine(file, mine);
  process.once("exit", releaseOnExit);
  try {
    return await fn();
  } finally {
    process.removeListener("exit", releaseOnExit);
    releaseIfMine(file, mine);
  }
}

function releaseIfMine(file: string, mine: LockContent): void {
  const found = readLock(file);
  if (found?.content && found.content.pid === mine.pid && found.content.host === mine.host && found.content.since === mine.since) {
    rmSync(file, { force: true });
  }
}
