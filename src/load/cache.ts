/**
 * The persistent cache of compiled entities (node_modules/.cache/autogen of the
 * project, as other tools keep theirs).
 *
 * An entry is found by what was asked (compiler, tsconfig path, entry files) and
 * trusted only if what it was built from is unchanged: the content hash of every
 * project file the program read and of every tsconfig in the `extends` chain. Files
 * under node_modules (declarations of packages, the compiler's lib files) are checked
 * by size and modification time, which a package install changes. A stale entry is
 * never used; it is rebuilt in place.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { writeFileWhole, writeFileWholeQuietly } from "../files/write-whole.js";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Bump when the emit options or the entry format change, so old entries are not read. */
export const CACHE_FORMAT = 3;

export function hashOf(text: string | Buffer): string {
  return createHash("sha1").update(text).digest("hex");
}

export function hashFile(file: string): string | undefined {
  try {
    return hashOf(readFileSync(file));
  } catch {
    return undefined;
  }
}

function stampOf(file: string): string | undefined {
  try {
    const st = statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

const cacheDirs = new Map<string, string>();

/**
 * `node_modules/.cache/autogen` of the nearest directory with a package.json, from
 * `startDir` upward; a per-user temp directory for files outside any package.
 */
export function defaultCacheDir(startDir: string): string {
  const start = path.resolve(startDir);
  const known = cacheDirs.get(start);
  if (known) return known;
  let dir = start;
  let found: string | undefined;
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) {
      found = path.join(dir, "node_modules", ".cache", "autogen");
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const result = found ?? path.join(tmpdir(), `autogen-cache-${process.getuid?.() ?? "user"}`);
  cacheDirs.set(start, result);
  return result;
}

/** What a program entry records about the files it was compiled from. */
export interface Manifest {
  format: number;
  compiler: string;
  /** tsconfig chain: file -> content hash. */
  tsconfigs: Record<string, string>;
  /** Project files the program read: file -> content hash. */
  sources: Record<string, string>;
  /** Files under node_modules the program read: file -> size:mtime. */
  packages: Record<string, string>;
  /** Sources with an emitted output in `out/`. */
  outputs: string[];
  notes: string[];
  paths: Record<string, string[]>;
}

/** A file of an installed package (checked by size and time), not of the project (checked by content). */
export const inNodeModules = (file: string): boolean => file.split(path.sep).includes("node_modules");

export function buildManifest(
  compiler: string,
  tsconfigs: Record<string, string>,
  programFiles: readonly string[],
  sourceHashes: ReadonlyMap<string, string>,
  outputs: readonly string[],
  notes: readonly string[],
  paths: Record<string, string[]>,
): Manifest {
  const sources: Record<string, string> = {};
  const packages: Record<string, string> = {};
  for (const file of programFiles) {
    if (inNodeModules(file)) {
      const stamp = stampOf(file);
      if (stamp) packages[file] = stamp;
    } else {
      const hash = sourceHashes.get(file) ?? hashFile(file);
      if (hash) sources[file] = hash;
    }
  }
  return { format: CACHE_FORMAT, compiler, tsconfigs, sources, packages, outputs: [...outputs], notes: [...notes], paths };
}

/** True when every file the entry was built from still has the recorded content. */
export function manifestIsFresh(
  manifest: Manifest,
  compiler: string,
  tsconfigs: Record<string, string>,
  hashes: Map<string, string>,
): boolean {
  if (manifest.format !== CACHE_FORMAT || manifest.compiler !== compiler) return false;
  if (JSON.stringify(manifest.tsconfigs) !== JSON.stringify(tsconfigs)) return false;
  for (const [file, hash] of Object.entries(manifest.sources)) {
    const now = hashFile(file);
    if (now !== hash) return false;
    hashes.set(file, now);
  }
  for (const [file, stamp] of Object.entries(manifest.packages)) {
    if (stampOf(file) !== stamp) return false;
  }
  return true;
}

export function readManifest(entryDir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path.join(entryDir, "manifest.json"), "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}

/** A scratch directory next to the entry; `commit` moves it into place atomically. */
export function scratchDirFor(entryDir: string): string {
  const dir = `${entryDir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Writes the manifest into the scratch directory and renames it over the entry. Two
 * processes compiling the same entry both succeed; the last rename wins, and either
 * result is valid.
 */
export function commitEntry(scratch: string, entryDir: string, manifest: Manifest): void {
  try {
    writeFileWhole(path.join(scratch, "manifest.json"), JSON.stringify(manifest));
    rmSync(entryDir, { recursive: true, force: true });
    renameSync(scratch, entryDir);
  } catch {
    // A cache that cannot be written costs speed next time, nothing else.
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A small text kept by key in a folder of the cache (transpiled files, revision checksums). */
export function readCachedText(cacheDir: string, folder: string, key: string): string | undefined {
  try {
    return readFileSync(path.join(cacheDir, folder, `${key}.${folder === "transpiled" ? "js" : "txt"}`), "utf8");
  } catch {
    return undefined;
  }
}

export function writeCachedText(cacheDir: string, folder: string, key: string, text: string): void {
  writeCacheFile(path.join(cacheDir, folder, `${key}.${folder === "transpiled" ? "js" : "txt"}`), text);
}

/** Writes a cache file whole or not at all (a reader never sees half of it); failures only cost speed. */
export function writeCacheFile(file: string, text: string): void {
  writeFileWholeQuietly(file, text);
}

let ownCodeStamp: string | undefined;

/**
 * Size and time of every file of autogen itself (dist/, or src/ under a test runner):
 * part of the key of whatever autogen's own code computed (the models, revision
 * checksums), so a new autogen never reads an old entry.
 */
export function autogenCodeStamp(): string {
  if (ownCodeStamp !== undefined) return ownCodeStamp;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const parts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        const st = statSync(file);
        parts.push(`${path.relative(root, file)}:${st.size}:${st.mtimeMs}`);
      }
    }
  };
  try {
    walk(root);
  } catch {
    parts.push(`unreadable:${Date.now()}`);
  }
  ownCodeStamp = hashOf(parts.sort().join("\n"));
  return ownCodeStamp;
}

/** Per-file transpile results, by content hash. */
export const readTranspiled = (cacheDir: string, key: string): string | undefined => readCachedText(cacheDir, "transpiled", key);
export const writeTranspiled = (cacheDir: string, key: string, code: string): void => writeCachedText(cacheDir, "transpiled", key, code);
