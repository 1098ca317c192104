/**
 * Database drivers are optional peer dependencies: a PostgreSQL project installs `pg`
 * only, never builds sqlite3, and a URL whose driver is missing names the package.
 *
 * The end-to-end test packs autogen (`npm pack`, after `npm run build`), installs the
 * tarball and `pg` into a fresh project from the npm registry (cache first), and runs
 * autogenerate → upgrade → check on PostgreSQL there.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDriver, isPackageMissing } from "../src/dialects/driver.js";
import { UserError } from "../src/errors.js";
import { createPgDatabase, createTempDir, pgAvailable, type TempDir, type TestPgDatabase } from "./helpers/databases.js";
import { REPO_ROOT, MODELS_EXAMPLE_DIR } from "./helpers/project.js";

describe("driver loading", () => {
  it("a driver that is not installed is a one-line UserError naming the package", async () => {
    // A specifier in a variable: TypeScript must not try to resolve it.
    const missing = "autogen-eco-no-such-driver";
    const err = await importDriver(missing, "Imaginary", () => import(missing)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `a Imaginary URL needs the "${missing}" package, which is not installed: run \`npm install ${missing}\``,
    );
  });

  it("an installed driver loads", async () => {
    const pg = await importDriver<{ Client: unknown }>("pg", "PostgreSQL", () => import("pg"));
    expect(typeof pg.Client).toBe("function");
  });

  it("a missing dependency *of* a driver is not reported as the driver missing", () => {
    const err = Object.assign(new Error("Cannot find package 'bindings' imported from /x/sqlite3/lib/sqlite3.js"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    expect(isPackageMissing(err, "sqlite3")).toBe(false);
    expect(isPackageMissing(err, "bindings")).toBe(true);
  });

  it("package.json declares the drivers as optional peers, not dependencies", () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    for (const driver of ["pg", "sqlite3", "mysql2"]) {
      expect(pkg.dependencies[driver], driver).toBeUndefined();
      expect(pkg.peerDependencies[driver], driver).toBeDefined();
      expect(pkg.peerDependenciesMeta[driver]?.optional, driver).toBe(true);
      // The repo's own quick start (`npm install` here) still gets every driver.
      expect(pkg.devDependencies[driver], driver).toBeDefined();
    }
  });
});

const PG = await pgAvailable();

describe.skipIf(!PG)("packed tarball in a PostgreSQL-only project", () => {
  let tmp: TempDir;
  let db: TestPgDatabase;
  let project: string;

  beforeAll(async () => {
    tmp = createTempDir("autogen-drivers-pack-");
    db = await createPgDatabase("autogen_eco_pack");
    if (!existsSync(path.join(REPO_ROOT, "dist/cli/main.js"))) throw new Error("run `npm run build` first");
    // --ignore-scripts: dist/ is already built; `prepare` would rebuild it.
    execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", tmp.dir], { cwd: REPO_ROOT, stdio: "pipe" });
    const tarball = readdirSync(tmp.dir).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack wrote no tarball");
    project = path.join(tmp.dir, "project");
    cpSync(path.join(MODELS_EXAMPLE_DIR, "entities"), path.join(project, "entities"), { recursive: true });
    cpSync(path.join(MODELS_EXAMPLE_DIR, "tsconfig.json"), path.join(project, "tsconfig.json"));
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "pg-only", private: true, type: "module" }));
    writeFileSync(path.join(project, "autogen.config.json"), JSON.stringify({ url: db.url, entities: ["entities/*.ts"] }));
    execFileSync("npm", ["install", "--omit=optional", "--prefer-offline", "--no-audit", "--no-fund", path.join(tmp.dir, tarball), "pg"], {
      cwd: project,
      stdio: "pipe",
    });
  }, 300_000);

  afterAll(async () => {
    await db?.drop();
    tmp?.remove();
  });

  const autogen = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(project, "node_modules/autogen/dist/cli/main.js"), ...args], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, AUTOGEN_DATABASE_URL: "" },
    });

  it("installs without sqlite3 (nor mysql2)", () => {
    expect(existsSync(path.join(project, "node_modules/pg/package.json"))).toBe(true);
    expect(existsSync(path.join(project, "node_modules/sqlite3"))).toBe(false);
    expect(existsSync(path.join(project, "node_modules/mysql2"))).toBe(false);
  });

  it("autogenerates, upgrades and checks on PostgreSQL", () => {
    const rev = autogen("revision", "--autogenerate", "-m", "init");
    expect(rev.stderr).toBe("");
    expect(rev.status).toBe(0);
    const up = autogen("upgrade", "head");
    expect(up.stderr).toBe("");
    expect(up.stdout).toMatch(/Running upgrade <base> -> \w+, init/);
    const check = autogen("check");
    expect(check.stdout).toContain("No new upgrade operations detected.");
    expect(check.status).toBe(0);
  });

  it("an SQLite URL names the missing package in one line", () => {
    const r = autogen("current", "--url", "sqlite:./other.sqlite");
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('autogen: error: a SQLite URL needs the "sqlite3" package, which is not installed: run `npm install sqlite3`\n');
  });
});
