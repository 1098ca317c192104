/**
 * Glob parity with TypeORM: the same `entities` patterns resolved by TypeORM's own
 * DataSource (in a child process whose working directory is the project, as TypeORM
 * resolves relative patterns against it) and by autogen (relative to the config's
 * directory, here the same) name the same entity files.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../src/errors.js";
import { expandGlobs } from "../src/load/glob.js";
import { entityFilesMatching } from "../src/models/sources.js";
import { createTempDir, type TempDir } from "./helpers/databases.js";
import { REPO_ROOT } from "./helpers/project.js";

/** Entity files (each an EntitySchema named after its path) and files TypeORM must skip. */
const FILES = [
  "src/entities/user.js",
  "src/entities/post.js",
  "src/entities/order.entity.js",
  "src/entities/legacy.cjs",
  "src/entities/modern.mjs",
  "src/entities/.dotfile.js",
  "src/entities/types.d.ts",
  "src/entities/data.json",
  "src/entities/nested/deep/tag.js",
  "src/.hidden/secret.js",
  "src/other/note.js",
];

const PATTERNS = [
  "src/entities/*.js",
  "src/**/*.js",
  "src/entities/{user,post}.js",
  "src/**/*.{js,cjs,mjs}",
  "src/.hidden/*.js",
  "src/entities/.*.js",
  "src/entities",
  "./src/entities/*.js",
  "src/entities/../other/*.js",
  "src/entities/[pu]*.js",
  "src/entities/?ser.js",
  "src/**/nested/**/*.js",
  "src/entities/*.entity.js",
  "src/entities/+(user|post).js",
  "!src/entities/user.js",
  "src/nowhere/**/*.js",
];

function schemaFile(relative: string): string {
  const name = JSON.stringify(relative);
  const body = `{ name: ${name}, tableName: ${JSON.stringify(relative.replace(/\W/g, "_"))}, columns: { id: { type: Number, primary: true } } }`;
  if (relative.endsWith(".mjs")) return `import { EntitySchema } from "typeorm";\nexport const schema = new EntitySchema(${body});\n`;
  return `const { EntitySchema } = require("typeorm");\nexports.schema = new EntitySchema(${body});\n`;
}

/** pattern -> entity names (= relative paths) TypeORM's DataSource loaded for it. */
function typeormResolves(projectDir: string, patterns: string[]): Record<string, string[]> {
  const script = `
    const { DataSource } = require("typeorm");
    (async () => {
      const out = {};
      for (const pattern of ${JSON.stringify(patterns)}) {
        const ds = new DataSource({ type: "better-sqlite3", database: ":memory:", entities: [pattern] });
        await ds.buildMetadatas();
        out[pattern] = ds.entityMetadatas.map((m) => m.name).sort();
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: projectDir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`TypeORM child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string[]>;
}

describe("entities globs: the same files as TypeORM's DataSource", () => {
  let tmp: TempDir;
  let project: string;
  let typeorm: Record<string, string[]>;

  beforeAll(() => {
    tmp = createTempDir("autogen-glob-");
    // typeorm resolves from the parent's node_modules; globs from the project never reach it.
    symlinkSync(path.join(REPO_ROOT, "node_modules"), tmp.file("node_modules"));
    project = tmp.file("project");
    for (const f of FILES) {
      const file = path.join(project, f);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, /\.(js|cjs|mjs)$/.test(f) ? schemaFile(f) : "{}\n");
    }
    const absolute = path.join(project, "src/other/*.js");
    typeorm = typeormResolves(project, [...PATTERNS, absolute]);
  });
  afterAll(() => tmp?.remove());

  it.each(PATTERNS)("%s", (pattern) => {
    const ours = entityFilesMatching([pattern], project)
      .map((f) => path.relative(project, f))
      .sort();
    expect(ours).toEqual(typeorm[pattern]);
  });

  it("an absolute pattern", () => {
    const absolute = path.join(project, "src/other/*.js");
    const ours = entityFilesMatching([absolute], "/elsewhere").map((f) => path.relative(project, f));
    expect(ours).toEqual(typeorm[absolute]);
    expect(ours).toEqual(["src/other/note.js"]);
  });

  it("the parity is not vacuous: patterns select different, non-empty sets", () => {
    const distinct = new Set(PATTERNS.map((p) => JSON.stringify(typeorm[p])));
    expect(distinct.size).toBeGreaterThanOrEqual(10);
    expect(typeorm["src/**/*.js"]).toContain("src/entities/nested/deep/tag.js");
    expect(typeorm["src/**/*.js"]).not.toContain("src/.hidden/secret.js");
  });

  it("refuses Windows-style backslash separators with a clear error", () => {
    let err: unknown;
    try {
      expandGlobs(["src\\entities\\*.js"], project);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      'entities pattern "src\\entities\\*.js": backslashes are not path separators in globs; write "src/entities/*.js"',
    );
  });
});
