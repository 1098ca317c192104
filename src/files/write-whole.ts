/**
 * Every file autogen writes is written whole or not at all: the text goes into a temp
 * file beside the target (same directory, so the rename cannot cross a file system),
 * is flushed to the disk, and is then renamed over the target. A disk that fills up, a
 * file-size limit or a kill mid-write leaves the old file (or none) and no temp file:
 * never half a revision that every later command fails to parse.
 */
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.js";

export interface WriteWholeOptions {
  /** Fail when the target exists (a revision file, a config `init` writes) instead of replacing it. */
  exclusive?: boolean;
}

/** What an I/O error code means to the person reading the message. */
const REASONS: Record<string, string> = {
  EFBIG: "the file is larger than the file-size limit allows",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exhausted",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "a directory is in the way",
  EEXIST: "the file exists already",
};

/** An I/O error as a person reads it: what it means, then its code. */
export function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const known = code ? REASONS[code] : undefined;
  const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
  return known ? `${known} (${code})` : (message ?? "unknown error");
}

/** A temp file name beside `file`: hidden, unique per process and call. */
function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

/** Removes the temp file if it is there; a path that cannot even be looked at has none. */
function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // nothing was created there
  }
}

/** Makes the rename itself durable (best effort: some file systems refuse fsync on a directory). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // nothing more to do
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Puts `temp` at `file` unless `file` exists: link() fails on an existing target, so no
 * other writer's file is ever replaced. A file system without hard links gets the
 * check-then-rename, which leaves only a narrow window.
 */
function linkExclusive(temp: string, file: string): void {
  try {
    linkSync(temp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV") throw err;
    if (existsSync(file)) throw Object.assign(new Error("exists"), { code: "EEXIST" });
    renameSync(temp, file);
  }
}

/**
 * Writes `text` to `file` whole or not at all. A failure throws a UserError naming the
 * file and why; the temp file is removed and the target is left as it was.
 */
export function writeFileWhole(file: string, text: string | Buffer, options: WriteWholeOptions = {}): void {
  const dir = path.dirname(file);
  const temp = tempNameFor(file);
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(temp, "wx", 0o666);
    writeAll(fd, typeof text === "string" ? Buffer.from(text, "utf8") : text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (options.exclusive) {
      linkExclusive(temp, file);
      rmSync(temp, { force: true });
    } else {
      renameSync(temp, file);
    }
    syncDirectory(dir);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // the write failed already; that is the error to report
      }
    }
    removeQuietly(temp);
    if ((err as NodeJS.ErrnoException).code === "EEXIST" && options.exclusive) {
      throw new UserError(`refusing to overwrite existing file ${file}`);
    }
    throw Object.assign(new UserError(`could not write ${file}: ${reasonOf(err)}; nothing was written`), { cause: err });
  }
}

/** `writeFileWhole` for files only worth having (caches): a failure costs speed, never the command. */
export function writeFileWholeQuietly(file: string, text: string | Buffer): boolean {
  try {
    writeFileWhole(file, text);
    return true;
  } catch {
    return false;
  }
}
