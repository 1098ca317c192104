/**
 * Acceptance: the packed tarball installed into a fresh TypeScript 5.x + TypeORM 0.3 + pg
 * project (from the npm registry, see helpers/packed-install.ts) changes nothing of the
 * project's toolchain and works there as its README says, judged by TypeORM's own schema
 * builder run over the project's own build.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgDatabase, createTempDir, pgAvailable, type TempDir, type TestPgDatabase } from "./helpers/databases.js";
import {
  binTargets,
  createAdoptingProject,
  describeRun,
  packTarball,
  RegistryUnreachable,
  run,
  treeHash,
  type AdoptingProject,
  type PackedTarball,
  type Run,
} from "./helpers/packed-install.js";

const PG = await pgAvailable();

let packDir: TempDir;
let tarball: PackedTarball;
let project: AdoptingProject | undefined;
let db: TestPgDatabase | undefined;
let unreachable: string | undefined;
const before = { tscVersion: "", build: "", bins: new Map<string, string>() };

function ok(what: string, r: Run): Run {
  expect(r.status, describeRun(what, r)).toBe(0);
  return r;
}

beforeAll(async () => {
  packDir = createTempDir("autogen-pack-");
  tarball = packTarball(packDir.dir);
  try {
    project = createAdoptingProject();
    before.tscVersion = ok("tsc -v", project.bin("tsc", ["-v"])).stdout.trim();
    ok("npm run build", project.npm(["run", "build"]));
    before.build = treeHash(project.file("dist"));
    before.bins = binTargets(project.dir);
    project.npm(["install", "--prefer-offline", "--save-dev", tarball.file]);
  } catch (err) {
    if (!(err instanceof RegistryUnreachable)) throw err;
    if (process.env.CI === "true") throw new Error(`the npm registry is unreachable and CI=true: ${err.message}`, { cause: err });
    unreachable = err.message;
    console.warn(
      `\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
        `!! The npm registry is unreachable: ${err.message}\n` +
        `!! The packed-install acceptance tests are SKIPPED.\n` +
        `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`,
    );
  }
  if (PG && project) db = await createPgDatabase("autogen_pkg");
}, 600_000);

afterAll(async () => {
  await db?.drop();
  project?.remove();
  packDir?.remove();
});

describe("the packed package", () => {
  it("ships what runs, a LICENSE, and names its databases", () => {
    expect(tarball.files).toContain("LICENSE");
    expect(tarball.files).toContain("dist/cli/main.js");
    expect(tarball.files.filter((f) => f.startsWith("dist/bench/"))).toEqual([]);
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      description: string;
      dependencies: Record<string, string>;
    };
    expect(pkg.description).toMatch(/PostgreSQL, MySQL\/MariaDB and SQLite/);
    expect(Object.keys(pkg.dependencies)).not.toContain("typeorm");
  });
});

describe("installed into a TypeScript 5.x + TypeORM 0.3 project", () => {
  it("leaves the project's tsc, its build and its commands as they were", (ctx) => {
    if (!project) return ctx.skip(unreachable);
    expect(before.tscVersion).toMatch(/^Version 5\./);
    expect(ok("tsc -v", project.bin("tsc", ["-v"])).stdout.trim()).toBe(before.tscVersion);
    ok("npm run build", project.npm(["run", "build"]));
    expect(treeHash(project.file("dist"))).toBe(before.build);
    const after = binTargets(project.dir);
    for (const [name, target] of before.bins) expect({ name, target: after.get(name) }).toEqual({ name, target });
    // Every compiler command is the project's own TypeScript's.
    for (const name of [...after.keys()].filter((n) => /^(tsc|tsserver|tsgo)$/.test(n))) {
      expect({ name, target: after.get(name) }).toEqual({
        name,
        target: expect.stringContaining(project.file("node_modules/typescript/")),
      });
    }
    expect(after.get("autogen")).toContain(`${path.sep}node_modules${path.sep}autogen${path.sep}`);
  });

  it("has exactly one typeorm and one typescript in the tree: the project's", (ctx) => {
    if (!project) return ctx.skip();
    const parseable = (name: string) =>
      ok(`npm ls ${name}`, project!.npm(["ls", name, "--all", "--parseable"]))
        .stdout.split("\n")
        .filter(Boolean);
    expect(parseable("typeorm")).toEqual([project.file("node_modules/typeorm")]);
    expect(parseable("typescript")).toEqual([project.file("node_modules/typescript")]);
  });

  it.skipIf(!PG)("revision --autogenerate, upgrade head and check work with uuid keys on PostgreSQL", (ctx) => {
    if (!project || !db) return ctx.skip();
    const env = { AUTOGEN_DATABASE_URL: db.url, DATABASE_URL: db.url };
    const config = { dialect: "postgres", entities: ["src/**/*.entity.ts"], versionsDir: "migrations/autogen" };
    writeFileSync(project.file("autogen.config.json"), JSON.stringify(config, null, 2));
    ok("autogen revision --autogenerate", project.bin("autogen", ["revision", "--autogenerate", "-m", "initial schema"], env));
    const versions = readdirSync(project.file("migrations/autogen")).filter((f) => f.endsWith(".ts"));
    expect(versions).toHaveLength(1);
    const revision = readFileSync(project.file(`migrations/autogen/${versions[0]}`), "utf8");
    expect(revision).toContain('createExtension("uuid-ossp")');
    expect(revision).toMatch(/name: "displayName", type: "(character varying|varchar)"/);
    ok("autogen upgrade head", project.bin("autogen", ["upgrade", "head"], env));
    ok("autogen check", project.bin("autogen", ["check"], env));
    // The outside judge: TypeORM 0.3 over the project's own tsc 5.x build has nothing left to do.
    const judge = ok("node judge.cjs", run(process.execPath, ["judge.cjs"], project.dir, env));
    expect(JSON.parse(judge.stdout)).toEqual([]);
    // And a second autogenerate is silent.
    ok("autogen revision --autogenerate (again)", project.bin("autogen", ["revision", "--autogenerate", "-m", "nothing"], env));
    expect(readdirSync(project.file("migrations/autogen")).filter((f) => f.endsWith(".ts"))).toHaveLength(1);
  });
});
