/**
 * Whether a revision's code may be run outside an apply, decided from its text alone
 * (running it to find out is what must not happen). A revision's `upgrade`/`downgrade`
 * run exactly once per apply; offline replay, `--sql`, lint and checksums would run them
 * again, which is harmless only when the code can reach nothing but `op`:
 *
 * - `sideEffects`: the file imports something at run time (a helper, `node:fs`, a client
 *   library), or names a global that reaches the outside world (`process`, `fetch`,
 *   `console`, `globalThis`, …). Its code is never run outside an apply.
 * - `readsRows`: it calls `op.query` (a data step). Recording it is harmless (nothing but
 *   `op` is reachable, and the query answers nothing), but what it does depends on rows,
 *   so an offline replay cannot stand in for it.
 *
 * The test is lexical and errs one way: comments and string literals are ignored, any
 * other mention counts (a property or a local named `process` makes a file
 * side-effecting; a file reaching `process` through a computed property is not caught).
 * Generated revisions (type-only imports, op calls) are pure.
 */
import { readFileSync } from "node:fs";
import type { RevisionScript } from "./scripts.js";

export interface Purity {
  /** Why the code must not run outside an apply (`imports "node:fs"`, `uses process`), if so. */
  sideEffects?: string;
  /** It calls op.query. */
  readsRows: boolean;
}

/**
 * Globals through which code reaches beyond `op` (I/O, time-outs, dynamic code).
 * `module`/`exports` are left out: a revision compiled to CommonJS exports through them.
 */
const WORLD = [
  "process",
  "globalThis",
  "global",
  "window",
  "self",
  "fetch",
  "require",
  "eval",
  "Function",
  "setTimeout",
  "setInterval",
  "setImmediate",
  "queueMicrotask",
  "console",
  "Deno",
  "Bun",
  "XMLHttpRequest",
  "WebSocket",
  "Worker",
  "navigator",
  "performance",
  "crypto",
];
const WORLD_RE = new RegExp(`(?<![.\\w$])(${WORLD.join("|")})(?![\\w$])`);

/** The text with comments removed and string literals emptied (template literals keep their text: `${…}` is code). */
export function codeOnly(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      out += " ";
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      out += `${c}${c}`;
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Module specifiers the file loads at run time (not `import type`, not all-type `import { type A }`). */
export function runtimeImports(text: string): string[] {
  const found: string[] = [];
  const statement = /^\s*(import|export)\s+([^;]*?)\s*from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm;
  for (const m of text.matchAll(statement)) {
    if (m[4] !== undefined) {
      found.push(m[4]);
      continue;
    }
    const clause = m[2]!.trim();
    if (/^type\b/.test(clause)) continue;
    const braces = /^\{([^}]*)\}$/.exec(clause);
    if (braces && braces[1]!.split(",").every((s) => s.trim() === "" || /^type\s/.test(s.trim()))) continue;
    found.push(m[3]!);
  }
  for (const m of text.matchAll(/\b(?:require|import)\s*\(\s*["'`]([^"'`]+)["'`]/g)) found.push(m[1]!);
  return found;
}

export function purityOfText(text: string): Purity {
  const imports = runtimeImports(text);
  const code = codeOnly(text);
  const readsRows = /\.\s*query\b/.test(code) || /\[\s*["'`]query["'`]\s*\]/.test(text);
  if (imports.length) return { sideEffects: `imports "${imports[0]}" at run time`, readsRows };
  if (/\bimport\s*(\(|\.\s*meta\b)/.test(code)) return { sideEffects: "imports modules at run time", readsRows };
  const world = WORLD_RE.exec(code);
  if (world) return { sideEffects: `uses ${world[1]}`, readsRows };
  return { readsRows };
}

const known = new Map<string, { text: string; purity: Purity }>();

/** The purity of a revision's file as it is on disk now (unreadable: treated as side-effecting). */
export function purityOf(script: Pick<RevisionScript, "path">): Purity {
  let text: string;
  try {
    text = readFileSync(script.path, "utf8");
  } catch {
    return { sideEffects: "its file cannot be read", readsRows: false };
  }
  const cached = known.get(script.path);
  if (cached?.text === text) return cached.purity;
  const purity = purityOfText(text);
  known.set(script.path, { text, purity });
  return purity;
}

/** Why offline replay, `--sql` and lint cannot use this revision's code; undefined when they can. */
export function notRunnableOffline(script: Pick<RevisionScript, "path">): string | undefined {
  const purity = purityOf(script);
  if (purity.sideEffects) return `${purity.sideEffects}, so autogen runs its code only when applying it`;
  if (purity.readsRows) return "it reads rows with op.query, which only a live database can answer";
  return undefined;
}
