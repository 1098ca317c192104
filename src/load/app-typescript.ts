/**
 * The TypeScript the user's project builds with, and the defaults it gives the options
 * a tsconfig leaves unset. We compile with our own (newer) compiler, whose defaults
 * differ: TypeScript 6 turned `strict` on, raised the default `target` and stopped
 * including every `@types` package. Left to ours, an app on 5.x without `strict` gets
 * `design:type Object` for `name: string | null` where its own build emits `String`,
 * and TypeORM rejects the entity. So the unset options are set to the app's defaults.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { CompilerOptionsJson } from "./compiler.js";

/** Where no TypeScript is installed, the defaults are those of the last 5.x. */
const NO_TYPESCRIPT = "none (5.x defaults)";

/** Version of the `typescript` package resolved from `dir` as the project's own `tsc` would be. */
export function appTypeScriptVersion(dir: string): string {
  try {
    const file = createRequire(path.join(dir, "package.json")).resolve("typescript/package.json");
    const version = (JSON.parse(readFileSync(file, "utf8")) as { version?: unknown }).version;
    return typeof version === "string" ? version : NO_TYPESCRIPT;
  } catch {
    return NO_TYPESCRIPT;
  }
}

function majorOf(version: string): number {
  const m = /^(\d+)\./.exec(version);
  return m ? Number(m[1]) : 5;
}

/**
 * The defaults of that version that change what the entities evaluate to, where they
 * differ from ours (TypeScript 6 and 7 agree). Not reproducible and so left out:
 * `alwaysStrict: false` and `esModuleInterop: false`, which TypeScript 7 removed.
 */
export function defaultsOf(version: string): CompilerOptionsJson {
  if (majorOf(version) >= 6) return {};
  return {
    // strictNullChecks off: `string | null` is String in decorator metadata.
    strict: false,
    // ES5 is compiled as ES2015 (compiler.ts); class fields keep assignment semantics.
    target: "es5",
    // Every visible @types package, as before 6.0: a global type they declare stays resolvable.
    types: ["*"],
  };
}
