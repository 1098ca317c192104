/**
 * The models cache (src/models/model-cache.ts): a run whose entities did not change
 * reads the models' IR from node_modules/.cache/autogen without evaluating any entity
 * module or building TypeORM metadata, and a stale entry is never used — whatever the
 * IR depended on changes: a type-only import (through the program), a plain .js module
 * the entities require (outside the program), a package under node_modules, an
 * environment variable the entities read. Each read is a new process, as a user's run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "./helpers/cli.js";
import { copyFixture, type FixtureCopy } from "./helpers/fixture-projects.js";
import { REPO_ROOT } from "./helpers/project.js";

const DIST = path.join(REPO_ROOT, "dist");

interface ColumnSummary {
  name: string;
  type: string;
  length?: number;
}
interface ChildReport {
  stats: { programCompiles: number; programCacheHits: number; modelCacheHits: number };
  /** Columns of the `sized` table, from the models' IR. */
  sized: ColumnSummary[];
  /** Columns of the `things` table. */
  things: ColumnSummary[];
  /** Any file of the project in the require cache: an entity module was evaluated. */
  evaluatedProjectFiles: string[];
  typeormLoaded: boolean;
}

function readInChild(fixture: FixtureCopy, env: NodeJS.ProcessEnv = {}, before = ""): ChildReport {
  const script = `
    import { createRequire } from "node:module";
    ${before}
    import { readModelSet } from ${JSON.stringify(path.join(DIST, "models/index.js"))};
    import { loaderStats } from ${JSON.stringify(path.join(DIST, "load/program.js"))};
    const models = await readModelSet({ dialect: "sqlite", baseDir: ${JSON.stringify(fixture.dir)}, entities: ["src/entities/*.ts"] });
    const columns = (name) => models.schema.tables.find((t) => t.name === name).columns.map((c) => ({ name: c.name, type: c.type, length: c.length }));
    const cache = Object.keys(createRequire(import.meta.url).cache);
    process.stdout.write(JSON.stringify({
      stats: loaderStats(),
      sized: columns("sized"),
      things: columns("things"),
      evaluatedProjectFiles: cache.filter((f) => f.startsWith(${JSON.stringify(fixture.dir)}) && !f.includes("node_modules")),
      typeormLoaded: cache.some((f) => /node_modules[\\\\/]typeorm[\\\\/]/.test(f)),
    }));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fixture.dir,
    encoding: "utf8",
    env: { ...process.env, AUTOGEN_NO_CACHE: "", ...env },
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildReport;
}

const lengthOf = (report: ChildReport, column: string) => report.sized.find((c) => c.name === column)?.length;
const modelEntries = (fixture: FixtureCopy) => {
  const dir = path.join(fixture.dir, "node_modules/.cache/autogen/models");
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
};

/** An entity whose column lengths come from a plain .js module, a package and the environment. */
const SIZED_ENTITY = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { codeLength } from "../domain/lengths";
import { noteLength } from "lengths-package";

@Entity("sized")
export class Sized {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: codeLength })
  code!: string;

  @Column({ length: noteLength })
  note!: string;

  @Column({ length: Number(process.env.AUTOGEN_TEST_LABEL_LENGTH ?? 30) })
  label!: string;
}
`;

describe("models cache", () => {
  let fixture: FixtureCopy;
  beforeAll(() => assertBuilt());
  afterEach(() => fixture?.remove());

  function sizedFixture(): FixtureCopy {
    const copy = copyFixture("type-alias");
    writeFileSync(path.join(copy.dir, "src/entities/sized.entity.ts"), SIZED_ENTITY);
    writeFileSync(path.join(copy.dir, "src/domain/lengths.js"), "exports.codeLength = 20;\n");
    const pkg = path.join(copy.dir, "node_modules/lengths-package");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "lengths-package", version: "1.0.0", main: "index.js" }));
    writeFileSync(path.join(pkg, "index.js"), "exports.noteLength = 40;\n");
    return copy;
  }

  it("a warm read evaluates no entity module, loads no typeorm, and gives the same IR", () => {
    fixture = sizedFixture();
    const cold = readInChild(fixture);
    expect(cold.stats.modelCacheHits).toBe(0);
    expect(cold.evaluatedProjectFiles.length).toBeGreaterThan(0);
    expect(modelEntries(fixture)).toHaveLength(1);
    const warm = readInChild(fixture);
    expect(warm.stats.modelCacheHits).toBe(1);
    expect(warm.evaluatedProjectFiles).toEqual([]);
    expect(warm.typeormLoaded).toBe(false);
    expect(warm.sized).toEqual(cold.sized);
    expect(warm.things).toEqual(cold.things);
    expect([lengthOf(warm, "code"), lengthOf(warm, "note"), lengthOf(warm, "label")]).toEqual([20, 40, 30]);
  });

  it("an edited type alias (a type-only import) is read again", () => {
    fixture = sizedFixture();
    const before = readInChild(fixture);
    expect(before.things.find((c) => c.name === "score")?.type).not.toBe("varchar");
    const kinds = path.join(fixture.dir, "src/domain/kinds.ts");
    writeFileSync(kinds, readFileSync(kinds, "utf8").replace("export type Score = number;", "export type Score = string;"));
    const after = readInChild(fixture);
    expect(after.stats.modelCacheHits).toBe(0);
    expect(after.things.find((c) => c.name === "score")?.type).toBe("varchar");
    // One entry per request, replaced in place.
    expect(modelEntries(fixture)).toHaveLength(1);
  });

  it("an edited .js module outside the TypeScript program is read again", () => {
    fixture = sizedFixture();
    readInChild(fixture);
    writeFileSync(path.join(fixture.dir, "src/domain/lengths.js"), "exports.codeLength = 24;\n");
    const after = readInChild(fixture);
    expect(after.stats.modelCacheHits).toBe(0);
    expect(lengthOf(after, "code")).toBe(24);
  });

  it("a changed package under node_modules is read again", () => {
    fixture = sizedFixture();
    readInChild(fixture);
    writeFileSync(path.join(fixture.dir, "node_modules/lengths-package/index.js"), "exports.noteLength = 400;\n");
    const after = readInChild(fixture);
    expect(after.stats.modelCacheHits).toBe(0);
    expect(lengthOf(after, "note")).toBe(400);
  });

  // The variable is the environment's last key, which is also the last key a package's
  // own enumeration (typeorm's colour library, debug) touches: still recorded.
  it("an environment variable the entities read is part of the entry", () => {
    fixture = sizedFixture();
    expect(lengthOf(readInChild(fixture, { AUTOGEN_TEST_LABEL_LENGTH: "50" }), "label")).toBe(50);
    const changed = readInChild(fixture, { AUTOGEN_TEST_LABEL_LENGTH: "60" });
    expect(changed.stats.modelCacheHits).toBe(0);
    expect(lengthOf(changed, "label")).toBe(60);
    const unset = readInChild(fixture);
    expect(unset.stats.modelCacheHits).toBe(0);
    expect(lengthOf(unset, "label")).toBe(30);
    // Unrelated variables do not matter.
    const same = readInChild(fixture, { SOMETHING_ELSE: "x" });
    expect(same.stats.modelCacheHits).toBe(1);
  });

  it("entities that enumerate the whole environment are never cached", () => {
    fixture = sizedFixture();
    const file = path.join(fixture.dir, "src/entities/sized.entity.ts");
    writeFileSync(file, `${readFileSync(file, "utf8")}\nexport const settingCount = Object.keys(process.env).length;\n`);
    readInChild(fixture);
    expect(modelEntries(fixture)).toEqual([]);
    expect(readInChild(fixture).stats.modelCacheHits).toBe(0);
  });

  it("entities filled from a package's copy of the environment are never cached", () => {
    fixture = sizedFixture();
    const pkg = path.join(fixture.dir, "node_modules/settings-copy");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "settings-copy", main: "index.js" }));
    writeFileSync(path.join(pkg, "index.js"), "module.exports = { ...process.env };\n");
    const file = path.join(fixture.dir, "src/entities/sized.entity.ts");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("process.env.AUTOGEN_TEST_LABEL_LENGTH", 'require("settings-copy").AUTOGEN_TEST_LABEL_LENGTH'),
    );
    expect(lengthOf(readInChild(fixture, { AUTOGEN_TEST_LABEL_LENGTH: "70" }), "label")).toBe(70);
    expect(modelEntries(fixture)).toEqual([]);
    expect(lengthOf(readInChild(fixture, { AUTOGEN_TEST_LABEL_LENGTH: "71" }), "label")).toBe(71);
  });

  it("entities that write to the environment (a .env loader) are never cached", () => {
    fixture = sizedFixture();
    const file = path.join(fixture.dir, "src/entities/sized.entity.ts");
    writeFileSync(file, `process.env.AUTOGEN_TEST_FROM_FILE = "1";\n${readFileSync(file, "utf8")}`);
    readInChild(fixture);
    expect(modelEntries(fixture)).toEqual([]);
  });

  it("is not written when an entity module was evaluated before the read (a revision importing it)", () => {
    fixture = sizedFixture();
    const entity = path.join(fixture.dir, "src/entities/sized.entity.ts");
    const early = `
      import { loadModule } from ${JSON.stringify(path.join(DIST, "load/typescript.js"))};
      loadModule(${JSON.stringify(entity)});`;
    readInChild(fixture, {}, early);
    expect(modelEntries(fixture)).toEqual([]);
    readInChild(fixture);
    expect(modelEntries(fixture)).toHaveLength(1);
  });

  it("--no-cache (AUTOGEN_NO_CACHE=1) neither reads nor writes an entry", () => {
    fixture = sizedFixture();
    readInChild(fixture, { AUTOGEN_NO_CACHE: "1" });
    expect(modelEntries(fixture)).toEqual([]);
    readInChild(fixture);
    expect(readInChild(fixture, { AUTOGEN_NO_CACHE: "1" }).stats.modelCacheHits).toBe(0);
  });
});
