/**
 * The dialect seam: a database is described only under src/dialects/ (one folder per
 * database, plus the registry). Code anywhere else asks the registry and never names a
 * database, so adding one is a folder and a registry line. Comments may name them.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DIALECT_NAMES, getDialect } from "../src/dialects/index.js";
import { REPO_ROOT } from "./helpers/project.js";

/**
 * Outside src/dialects/, on purpose: the benchmark harness measures named databases
 * side by side; the CI workflow `init --ci` writes is a template for the user's
 * PostgreSQL service; the config schema's descriptions are documentation shipped to
 * editors.
 */
const ALLOWED = new Set(["src/bench", "src/api/ci-workflow.ts", "src/config/schema.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith(".ts") ? [full] : [];
  });
}

/** The code without its comments (block, line) so documentation may mention a database. */
function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

describe("the dialect seam", () => {
  it("no file outside src/dialects/ names a database", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(path.join(REPO_ROOT, "src"))) {
      const rel = path.relative(REPO_ROOT, file).split(path.sep).join("/");
      if (rel.startsWith("src/dialects/") || [...ALLOWED].some((a) => rel === a || rel.startsWith(`${a}/`))) continue;
      codeOf(readFileSync(file, "utf8"))
        .split("\n")
        .forEach((line, i) => {
          if (/postgres|sqlite|mysql|mariadb/i.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it("every dialect folder has the same file roles", () => {
    const roles = (name: string) =>
      readdirSync(path.join(REPO_ROOT, "src/dialects", name))
        .filter((f) => f.endsWith(".ts"))
        .sort();
    const shared = [
      "connection.ts",
      "drop-all.ts",
      "errors.ts",
      "index.ts",
      "introspect.ts",
      "normalize.ts",
      "quote.ts",
      "render.ts",
      "session.ts",
      "transaction.ts",
      "typeorm.ts",
      "types.ts",
      "url.ts",
      "version-table.ts",
      "widening.ts",
    ];
    for (const name of DIALECT_NAMES) {
      expect(roles(name), name).toEqual(expect.arrayContaining(shared));
      expect(getDialect(name).name).toBe(name);
    }
  });
});
