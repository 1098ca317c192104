/**
 * SQLite URLs: `sqlite:<path>`, `sqlite://<path>` (so `sqlite:///abs` is absolute) or
 * `sqlite::memory:`. A relative path is relative to the config file that names it (or
 * the working directory for --url), so it is made absolute once, when the config is read.
 */
import path from "node:path";
import { UserError } from "../../errors.js";
import type { DialectUrls } from "../dialect.js";

export const MEMORY_DATABASE = ":memory:";

function targetOf(url: string): string | undefined {
  return /^sqlite:(?:\/\/)?(.*)$/i.exec(url.trim())?.[1];
}

/** The database file a URL names; relative paths are resolved against the cwd. */
export function fileOfUrl(url: string): string {
  const target = targetOf(url);
  if (target === undefined) throw new UserError(`Not an SQLite URL: "${url}" (expected sqlite:<file>)`);
  if (target === "") throw new UserError(`SQLite URL "${url}" names no database file (expected sqlite:<file>)`);
  return target === MEMORY_DATABASE ? MEMORY_DATABASE : path.resolve(target);
}

/** Makes a relative `sqlite:` path absolute against `baseDir`. */
export function resolveUrl(url: string, baseDir: string): string {
  const target = targetOf(url) ?? "";
  // Resolved, an empty path would name the directory itself.
  if (!target.trim()) throw new Error(`SQLite URL "${url}" names no file (expected sqlite:<file> or sqlite::memory:)`);
  if (target === MEMORY_DATABASE || path.isAbsolute(target)) return `sqlite:${target}`;
  return `sqlite:${path.resolve(baseDir, target)}`;
}

export const urls: DialectUrls = {
  schemes: ["sqlite"],
  example: "sqlite:<file>",
  resolve: resolveUrl,
  driverPackages: ["better-sqlite3", "sqlite3"],
  fromConnectionOptions: (options) => (options.database ? `sqlite:${options.database}` : undefined),
};
