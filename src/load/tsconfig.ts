/**
 * Which tsconfig governs the user's entities, and which files decide its content.
 *
 * The tsconfig is the one named by the `tsconfig` config field, else the nearest
 * `tsconfig.json` from the config file's directory upward (what `tsc -p` run there
 * would use). Its content is read by the compiler itself (see compiler.ts); here we
 * only follow `extends` to know every file that shapes it, so the cache can be keyed
 * on their contents without starting a compiler.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { UserError } from "../errors.js";

export const TSCONFIG_NAME = "tsconfig.json";

/** The nearest tsconfig.json in `startDir` or above it, if any. */
export function findNearestTsconfig(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, TSCONFIG_NAME);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `explicit` (the config's `tsconfig` field, relative to baseDir) or the nearest one. */
export function locateTsconfig(baseDir: string, explicit?: string): string | undefined {
  if (explicit === undefined) return findNearestTsconfig(baseDir);
  let file = path.resolve(baseDir, explicit);
  if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, TSCONFIG_NAME);
  if (!existsSync(file)) throw new UserError(`tsconfig not found: ${file} (from the "tsconfig" field)`);
  return file;
}

/** JSON with comments and trailing commas, as tsconfig files are written. */
export function parseJsonc(text: string): unknown {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}

function resolveExtends(spec: string, fromFile: string): string | undefined {
  const dir = path.dirname(fromFile);
  if (spec.startsWith(".") || path.isAbsolute(spec)) {
    const file = path.resolve(dir, spec);
    for (const candidate of [file, `${file}.json`, path.join(file, TSCONFIG_NAME)]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  }
  // A package (`@tsconfig/node20/tsconfig.json`, or a package whose main tsconfig is implied).
  const req = createRequire(fromFile);
  for (const candidate of [spec, `${spec}.json`, `${spec}/${TSCONFIG_NAME}`]) {
    try {
      return req.resolve(candidate);
    } catch {
      // next spelling
    }
  }
  return undefined;
}

/**
 * The tsconfig and every file it extends, in order. A file that cannot be read or
 * parsed stops the walk: the compiler reports it properly when it runs.
 */
export function tsconfigChain(file: string): string[] {
  const chain: string[] = [];
  const visit = (current: string): void => {
    if (chain.includes(current)) return;
    chain.push(current);
    let raw: unknown;
    try {
      raw = parseJsonc(readFileSync(current, "utf8"));
    } catch {
      return;
    }
    const ext = (raw as { extends?: unknown } | null)?.extends;
    const specs = typeof ext === "string" ? [ext] : Array.isArray(ext) ? ext.filter((e): e is string => typeof e === "string") : [];
    for (const spec of specs) {
      const resolved = resolveExtends(spec, current);
      if (resolved) visit(resolved);
    }
  };
  visit(file);
  return chain;
}
