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
let baselineDb: TestPgDatabase | undefined;
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
  if (PG && project) {
    db = await createPgDatabase("autogen_pkg");
    baselineDb = await createPgDatabase("autogen_pkg_adopt");
  }
}, 600_000);

afterAll(async () => {
  await db?.drop();
  await baselineDb?.drop();
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

  it("installs in one command beside TypeORM 0.3 and each of its drivers (no peer conflict)", (ctx) => {
    if (!project) return ctx.skip(unreachable);
    // `npm install typeorm pg autogen` in a new project: npm resolves every optional peer
    // range of both packages together, and a disjoint one (sqlite3 ^5 vs ^6) is ERESOLVE.
    const fresh = createTempDir("autogen-peers-");
    try {
      writeFileSync(fresh.file("package.json"), JSON.stringify({ name: "fresh", version: "0.0.0", private: true }));
      for (const driver of ["pg", "mysql2", "sqlite3@5"]) {
        const args = ["install", "--dry-run", "--prefer-offline", "--no-audit", "--no-fund", "typeorm@~0.3.28", driver, tarball.file];
        ok(`npm install typeorm ${driver} autogen`, run("npm", args, fresh.dir));
      }
    } finally {
      fresh.remove();
    }
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

  it.skipIf(!PG)("init with only DATABASE_URL set leads to a first revision, upgrade, check and autogen test (uuid keys)", (ctx) => {
    if (!project || !db) return ctx.skip();
    // What most apps have: DATABASE_URL in the environment, nothing of autogen's.
    const env = { DATABASE_URL: db.url };
    const init = ok("autogen init", project.bin("autogen", ["init"], env));
    expect(init.stdout + init.stderr).toMatch(/postgres/i);
    const config = JSON.parse(readFileSync(project.file("autogen.config.json"), "utf8")) as {
      dialect?: string;
      entities?: unknown;
      versionsDir?: string;
    };
    expect(config.dialect).toBe("postgres");
    expect(config.entities).toBeDefined();
    const versionsDir = project.file(config.versionsDir ?? "versions");
    const revisions = () => readdirSync(versionsDir).filter((f) => f.endsWith(".ts") && !f.startsWith("_"));
    ok("autogen revision --autogenerate", project.bin("autogen", ["revision", "--autogenerate", "-m", "initial schema"], env));
    expect(revisions()).toHaveLength(1);
    const revision = readFileSync(path.join(versionsDir, revisions()[0]!), "utf8");
    expect(revision).toContain('createExtension("uuid-ossp")');
    expect(revision).toMatch(/name: "displayName", type: "(character varying|varchar)"/);
    ok("autogen upgrade head", project.bin("autogen", ["upgrade", "head"], env));
    ok("autogen check", project.bin("autogen", ["check"], env));
    // The outside judge: TypeORM 0.3 over the project's own tsc 5.x build has nothing left to do.
    const judge = ok("node judge.cjs", run(process.execPath, ["judge.cjs"], project.dir, env));
    expect(JSON.parse(judge.stdout)).toEqual([]);
    // The workflow init --ci writes starts with this: the stairway with the uuid-ossp extension.
    ok("autogen test", project.bin("autogen", ["test"], env));
    // And a second autogenerate is silent.
    ok("autogen revision --autogenerate (again)", project.bin("autogen", ["revision", "--autogenerate", "-m", "nothing"], env));
    expect(revisions()).toHaveLength(1);
  });

  it.skipIf(!PG)("baseline adopts a database TypeORM built, leaving TypeORM's migrations table and the rows alone", (ctx) => {
    if (!project || !baselineDb) return ctx.skip();
    const env = { DATABASE_URL: baselineDb.url };
    // TypeORM builds the schema (synchronize, over the project's own build) and keeps its
    // migrations table with a row, as a project on TypeORM's migrations has; plus user rows.
    writeFileSync(
      project.file("typeorm-built.cjs"),
      `require("reflect-metadata");
const path = require("node:path");
const { DataSource } = require("typeorm");
const ds = new DataSource({ type: "postgres", url: process.env.DATABASE_URL, entities: [path.join(__dirname, "dist/**/*.entity.js")], synchronize: true });
ds.initialize()
  .then(async () => {
    await ds.query("CREATE TABLE migrations (id SERIAL PRIMARY KEY, timestamp bigint NOT NULL, name varchar NOT NULL)");
    await ds.query("INSERT INTO migrations (timestamp, name) VALUES (1700000000000, 'Init1700000000000')");
    await ds.query("INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com')");
    await ds.destroy();
  })
  .catch((err) => { console.error(err); process.exit(1); });
`,
    );
    ok("node typeorm-built.cjs", run(process.execPath, ["typeorm-built.cjs"], project.dir, env));
    const config = { dialect: "postgres", entities: ["src/**/*.entity.ts"], versionsDir: "migrations/adopted" };
    writeFileSync(project.file("autogen.adopt.json"), JSON.stringify(config, null, 2));
    const withConfig = (args: string[]) => [...args, "--config", "autogen.adopt.json"];
    ok("autogen baseline", project.bin("autogen", withConfig(["baseline", "-m", "adopt"]), env));
    const files = readdirSync(project.file("migrations/adopted")).filter((f) => f.endsWith(".ts") && !f.startsWith("_"));
    expect(files).toHaveLength(1);
    const id = files[0]!.split("_")[0]!;
    expect(ok("autogen current", project.bin("autogen", withConfig(["current"]), env)).stdout).toContain(id);
    ok("autogen check", project.bin("autogen", withConfig(["check"]), env));
    ok("autogen check --offline", project.bin("autogen", withConfig(["check", "--offline"]), env));
    ok("autogen test", project.bin("autogen", withConfig(["test"]), env));
    const counts = ok(
      "psql",
      run(
        "psql",
        [baselineDb.url, "-tAc", `SELECT (SELECT count(*) FROM "migrations") || '/' || (SELECT count(*) FROM "users")`],
        project.dir,
      ),
    );
    expect(counts.stdout.trim()).toBe("1/2");
  });
});
