/**
 * A small glob expander for the `entities` config: `*`, `?`, `[...]`, `**` and `{a,b}`.
 * Node 20 has no stable fs.glob, and the patterns users copy from their TypeORM
 * DataSource (`src/entities/**\/*.ts`, `dist/**\/*.entity.{js,ts}`) need no more.
 *
 * Conventions, as in common shells and tinyglobby (which TypeORM uses):
 * - `*` and `?` never match `/`, and never match a leading `.` unless the pattern
 *   segment starts with one; `**` skips dot-directories.
 * - A pattern without magic characters names one file and matches it if it exists.
 * - Only files are returned: absolute, sorted, without duplicates.
 */
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";

const MAGIC = /[*?[]/;

/** `a/{b,c}/x.{ts,js}` -> four patterns. Braces without a top-level comma stay literal. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "{") {
      if (depth === 0) open = i;
      depth++;
    } else if (ch === "}" && depth > 0) {
      depth--;
      if (depth === 0) {
        const alternatives = splitTopLevel(pattern.slice(open + 1, i));
        if (alternatives.length < 2) continue;
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        return alternatives.flatMap((alt) => expandBraces(head + alt + tail));
      }
    }
  }
  return [pattern];
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "{") depth++;
    else if (ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function segmentRegex(segment: string): RegExp {
  let source = "";
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else if (ch === "[") {
      const close = segment.indexOf("]", i + 1);
      if (close < 0) {
        source += "\\[";
        continue;
      }
      let cls = segment.slice(i + 1, close).replace(/\\/g, "\\\\");
      if (cls.startsWith("!")) cls = "^" + cls.slice(1);
      source += `[${cls}]`;
      i = close;
    } else source += ch.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

interface Entry {
  name: string;
  isDir: boolean;
  isFile: boolean;
}

function listDir(dir: string): Entry[] {
  let dirents;
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return dirents.map((d) => {
    if (!d.isSymbolicLink()) return { name: d.name, isDir: d.isDirectory(), isFile: d.isFile() };
    try {
      const st = statSync(path.join(dir, d.name));
      return { name: d.name, isDir: st.isDirectory(), isFile: st.isFile() };
    } catch {
      return { name: d.name, isDir: false, isFile: false };
    }
  });
}

function walk(dir: string, segments: string[], index: number, out: Set<string>, seen: Set<string>): void {
  const segment = segments[index];
  if (segment === undefined) return;
  const last = index === segments.length - 1;

  if (segment === "**") {
    // Guards `**` against symlink cycles: each real directory is descended once per position.
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    const key = `${index}:${real}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (last) {
      for (const e of listDir(dir)) {
        if (e.name.startsWith(".")) continue;
        if (e.isFile) out.add(path.join(dir, e.name));
        else if (e.isDir) walk(path.join(dir, e.name), segments, index, out, seen);
      }
      return;
    }
    walk(dir, segments, index + 1, out, seen);
    for (const e of listDir(dir)) {
      if (e.isDir && !e.name.startsWith(".")) walk(path.join(dir, e.name), segments, index, out, seen);
    }
    return;
  }

  if (!MAGIC.test(segment)) {
    const next = path.join(dir, segment);
    if (last) {
      if (existsSync(next) && statSync(next).isFile()) out.add(next);
    } else if (existsSync(next) && statSync(next).isDirectory()) {
      walk(next, segments, index + 1, out, seen);
    }
    return;
  }

  const re = segmentRegex(segment);
  const allowDot = segment.startsWith(".");
  for (const e of listDir(dir)) {
    if (!allowDot && e.name.startsWith(".")) continue;
    if (!re.test(e.name)) continue;
    if (last) {
      if (e.isFile) out.add(path.join(dir, e.name));
    } else if (e.isDir) {
      walk(path.join(dir, e.name), segments, index + 1, out, seen);
    }
  }
}

function expandOne(pattern: string, baseDir: string, out: Set<string>): void {
  const absolute = path.resolve(baseDir, pattern);
  if (!MAGIC.test(absolute)) {
    if (existsSync(absolute) && statSync(absolute).isFile()) out.add(absolute);
    return;
  }
  const segments = absolute.split(path.sep);
  const firstMagic = segments.findIndex((s) => MAGIC.test(s));
  const root = segments.slice(0, firstMagic).join(path.sep) || path.sep;
  walk(root, segments, firstMagic, out, new Set());
}

/** Files matching any of `patterns` (relative to `baseDir`), absolute and sorted. */
export function expandGlobs(patterns: string[], baseDir: string): string[] {
  const out = new Set<string>();
  for (const pattern of patterns) {
    for (const expanded of expandBraces(pattern)) expandOne(expanded, baseDir, out);
  }
  return [...out].sort();
}
