/**
 * The persistent cache of compiled entities (node_modules/.cache/autogen), each run a
 * new process as a user's would be: a warm run starts no compiler at all (neither
 * TypeScript 7's tsc nor the TypeScript 6 module is touched), an edit to a file an
 * entity imports (a type alias) is recompiled and changes the metadata, and
 * `--no-cache` compiles afresh and keeps nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { copyFixture, type FixtureCopy } from "./helpers/fixture-projects.js";
import { REPO_ROOT } from "./helpers/project.js";
import { assertBuilt, spawnCli } from "./helpers/cli.js";

const DIST = path.join(REPO_ROOT, "dist");

interface ChildReport {
  stats: { programCompiles: number; programCacheHits: number; transpiles: number; transpileCacheHits: number; modelCacheHits: number };
  score: string;
  typescriptLoaded: boolean;
}

/** Reads the fixture's models in a new process and reports what the loader did. */
function readInChild(fixture: FixtureCopy, env: NodeJS.ProcessEnv = {}): ChildReport {
  const script = `
    import { createRequire } from "node:module";
    import { resolveModelSource } from ${JSON.stringify(path.join(DIST, "models/index.js"))};
    import { loaderStats } from ${JSON.stringify(path.join(DIST, "load/program.js"))};
    const source = await resolveModelSource({ baseDir: ${JSON.stringify(fixture.dir)}, entities: ["src/entities/*.ts"] });
    const thing = source.entities.find((e) => e.name === "Thing");
    const cache = createRequire(import.meta.url).cache;
    const typescriptLoaded = Object.keys(cache).some((f) => /node_modules[\\\\/](typescript|ts-morph)[\\\\/]/.test(f));
    process.stdout.write(JSON.stringify({
      stats: loaderStats(),
      score: Reflect.getMetadata("design:type", thing.prototype, "score").name,
      typescriptLoaded,
    }));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fixture.dir,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildReport;
}

function cacheEntries(fixture: FixtureCopy): string[] {
  const dir = path.join(fixture.dir, "node_modules/.cache/autogen/programs");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe("compiled-entities cache", () => {
  let fixture: FixtureCopy;
  let db: TempDir;

  beforeAll(() => {
    assertBuilt();
    db = createTempDir();
    fixture = copyFixture("type-alias", { url: sqliteUrl(db) });
  });
  afterAll(() => {
    fixture?.remove();
    db?.remove();
  });

  it("compiles on the first run and stores the program in node_modules/.cache/autogen", () => {
    const cold = readInChild(fixture);
    expect(cold.stats.programCompiles).toBe(1);
    expect(cold.stats.programCacheHits).toBe(0);
    expect(cold.score).toBe("Number");
    expect(cacheEntries(fixture)).toHaveLength(1);
  });

  it("reads nothing from the compiler on a warm run", () => {
    // A compiler that cannot start: the run only succeeds if none is started.
    const warm = readInChild(fixture, { AUTOGEN_TSC: path.join(fixture.dir, "no-such-tsc") });
    expect(warm.stats).toEqual({ programCompiles: 0, programCacheHits: 1, transpiles: 0, transpileCacheHits: 0, modelCacheHits: 0 });
    expect(warm.typescriptLoaded).toBe(false);
    expect(warm.score).toBe("Number");
  });

  it("recompiles when a file an entity imports changes, and the metadata follows", () => {
    const kinds = path.join(fixture.dir, "src/domain/kinds.ts");
    writeFileSync(kinds, readFileSync(kinds, "utf8").replace("export type Score = number;", "export type Score = string;"));
    const edited = readInChild(fixture);
    expect(edited.stats.programCompiles).toBe(1);
    expect(edited.score).toBe("String");
    // One entry per entry set: rebuilt in place, not accumulated.
    expect(cacheEntries(fixture)).toHaveLength(1);
    const again = readInChild(fixture, { AUTOGEN_TSC: path.join(fixture.dir, "no-such-tsc") });
    expect(again.stats.programCacheHits).toBe(1);
    expect(again.score).toBe("String");
  });

  it("recompiles when the tsconfig changes", () => {
    const tsconfig = path.join(fixture.dir, "tsconfig.json");
    writeFileSync(tsconfig, readFileSync(tsconfig, "utf8").replace('"target": "ES2021"', '"target": "ES2022"'));
    expect(readInChild(fixture).stats.programCompiles).toBe(1);
  });

  it("--no-cache compiles afresh and writes nothing to the cache", () => {
    const before = cacheEntries(fixture);
    const manifest = path.join(fixture.dir, "node_modules/.cache/autogen/programs", before[0] as string, "manifest.json");
    const stamp = readFileSync(manifest, "utf8");
    const r = spawnCli(["revision", "--autogenerate", "-m", "init", "--no-cache"], { cwd: fixture.dir, env: { AUTOGEN_TSC: "" } });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(cacheEntries(fixture)).toEqual(before);
    expect(readFileSync(manifest, "utf8")).toBe(stamp);
    const viaEnv = readInChild(fixture, { AUTOGEN_NO_CACHE: "1" });
    expect(viaEnv.stats.programCompiles).toBe(1);
  });

  it("a warm `autogen check` process loads the revision files from the cache too", () => {
    const r = spawnCli(["upgrade", "head"], { cwd: fixture.dir });
    expect(r.status).toBe(0);
    const check = spawnCli(["check"], { cwd: fixture.dir, env: { AUTOGEN_TSC: path.join(fixture.dir, "no-such-tsc") } });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });
});

describe("compiler options", () => {
  const copies: FixtureCopy[] = [];
  afterAll(() => copies.forEach((c) => c.remove()));

  it("the in-process TypeScript 6 fallback emits the same metadata as TypeScript 7", () => {
    const fixture = copyFixture("type-alias");
    copies.push(fixture);
    const ts6 = readInChild(fixture, { AUTOGEN_COMPILER: "ts6" });
    expect(ts6.stats.programCompiles).toBe(1);
    expect(ts6.score).toBe("Number");
    expect(ts6.typescriptLoaded).toBe(true);
  });

  it("says so when the tsconfig has decorator metadata off, and turns it on", () => {
    const fixture = copyFixture("type-alias");
    copies.push(fixture);
    const tsconfig = path.join(fixture.dir, "tsconfig.json");
    writeFileSync(tsconfig, readFileSync(tsconfig, "utf8").replace('"emitDecoratorMetadata": true', '"emitDecoratorMetadata": false'));
    const r = spawnCli(["revision", "--autogenerate", "-m", "init", "--url", `sqlite:${path.join(fixture.dir, "db.sqlite")}`], {
      cwd: fixture.dir,
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `autogen: note: ${tsconfig}: emitDecoratorMetadata is off in the tsconfig; autogen turns it on to read TypeORM's decorators\n`,
    );
    expect(readInChild(fixture).score).toBe("Number");
  });

  it("uses the tsconfig the `tsconfig` field names (here one whose paths the entities need)", () => {
    const fixture = copyFixture("paths-alias");
    copies.push(fixture);
    const original = path.join(fixture.dir, "tsconfig.json");
    mkdirSync(path.join(fixture.dir, "config"));
    // Moved away from the nearest-tsconfig lookup; baseUrl now relative to its new place.
    writeFileSync(
      path.join(fixture.dir, "config/tsconfig.app.json"),
      readFileSync(original, "utf8").replace('"baseUrl": "./"', '"baseUrl": "../"'),
    );
    rmSync(original);
    const run = () =>
      spawnCli(["revision", "--autogenerate", "-m", "init", "--url", `sqlite:${path.join(fixture.dir, "db.sqlite")}`], {
        cwd: fixture.dir,
      });
    const without = run();
    expect(without.status).toBe(1);
    expect(without.stderr).toContain("Cannot find module '@app/types'");
    const config = JSON.parse(readFileSync(fixture.config, "utf8")) as Record<string, unknown>;
    writeFileSync(fixture.config, JSON.stringify({ ...config, tsconfig: "config/tsconfig.app.json" }));
    const withField = run();
    expect(withField.stderr).toBe("");
    expect(withField.status).toBe(0);
  });
});
