/**
 * A fleet of databases, one per tenant (issue 19): several PostgreSQL, several MariaDB
 * and several SQLite databases, and all three in one list. Every tenant reaches head; a
 * tenant made to fail (a table already there) is named and the others reach head; the
 * re-run upgrades only it. Tenants listed by a query (URL and name columns), by an
 * autogen.tenants.ts module and by a function in autogen.config.mjs; a tenant URL's
 * password is never printed.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { dialectOfUrl, getDialect } from "../src/dialects/index.js";
import { BIN, assertBuilt, runCli } from "./helpers/cli.js";
import { ptyAvailable, runOnPty } from "./helpers/pty.js";
import { MODELS_EXAMPLE, MODELS_EXAMPLE_DIR, REPO_ROOT } from "./helpers/project.js";
import {
  createMysqlDatabase,
  createPgDatabase,
  createTempDir,
  createTestDatabase,
  DATABASE_KINDS,
  mysqlAvailable,
  pgAvailable,
  type TempDir,
} from "./helpers/databases.js";

const PG = await pgAvailable();
const validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(path.join(REPO_ROOT, "schemas/report.schema.json"), "utf8")));
const MYSQL = await mysqlAvailable();

const R1 = `export const revision = "r1";
export const downRevision = null;
export function upgrade(op: any) {
  op.createTable("items", { columns: [{ name: "id", type: "integer", nullable: false }, { name: "name", type: "varchar", length: 40, nullable: true }], primaryKey: { name: "PK_items", columns: ["id"] } });
}
export function downgrade(op: any) { op.dropTable("items"); }
`;
const R2 = `export const revision = "r2";
export const downRevision = "r1";
export function upgrade(op: any) { op.addColumn("items", { name: "qty", type: "integer", nullable: true }); }
export function downgrade(op: any) { op.dropColumn("items", "qty"); }
`;

interface Db {
  name: string;
  url: string;
  cleanup(): Promise<void>;
}

async function sql(url: string, statement: string): Promise<Array<Record<string, unknown>>> {
  const dialect = dialectOfUrl(url)!;
  const conn = await dialect.connect(url);
  try {
    return await conn.query(statement);
  } finally {
    await conn.close();
  }
}

const versionOf = async (url: string) =>
  (await sql(url, "SELECT version_num FROM autogen_version").catch(() => [])).map((r) => String(r.version_num));

let tmp: TempDir;
const made: Db[] = [];
afterAll(async () => {
  for (const db of made) await db.cleanup().catch(() => undefined);
});

/** Every registered database: four fresh ones on a server, or four files named tenant1… (a file's name is its tenant's). */
const kinds = await Promise.all(
  DATABASE_KINDS.map(async (k) => {
    const dialect = getDialect(k.dialect);
    return {
      kind: dialect.title,
      available: await k.available(),
      create: async (i: number): Promise<Db> => {
        if (!k.server)
          return { name: `tenant${i}`, url: `${dialect.urls.schemes[0]}:${tmp.file(`tenant${i}.db`)}`, cleanup: async () => undefined };
        const db = await createTestDatabase(k.dialect, "autogen_fleet_db");
        return { name: db.name, url: db.url, cleanup: () => db.drop() };
      },
    };
  }),
);

beforeEach(() => {
  tmp = createTempDir("autogen-fleet-db-");
  mkdirSync(tmp.file("versions"));
  writeFileSync(tmp.file("versions/r1_items.ts"), R1);
  writeFileSync(tmp.file("versions/r2_qty.ts"), R2);
});
afterEach(() => tmp.remove());

const cli = (...args: string[]) => runCli(args, { cwd: tmp.dir });
const config = (extra: Record<string, unknown>) => writeFileSync(tmp.file("autogen.config.json"), JSON.stringify(extra));

for (const { kind, available, create } of kinds) {
  describe.skipIf(!available)(`a fleet of ${kind} databases`, () => {
    it("all reach head; a failing tenant is named and the others reach head; the re-run upgrades only it", async () => {
      const dbs: Db[] = [];
      for (let i = 1; i <= 4; i++) dbs.push(await create(i));
      made.push(...dbs);
      config({ tenants: { databases: dbs.map((d) => d.url) } });
      await sql(dbs[2]!.url, "CREATE TABLE items (id integer)");
      const up = await cli("upgrade", "--all-tenants", "--concurrency", "2");
      expect(up.status).toBe(1);
      const lines = up.stdout.trim().split("\n");
      expect(lines).toHaveLength(2);
      // Named, with its error (SQLite's renderer sees the table first; the servers refuse the statement).
      expect(lines[0]).toMatch(new RegExp(`^${dbs[2]!.name}: failed: .*r1.*items.*(already exists|exists)`));
      expect(lines[1]).toMatch(/^upgrade on 4 tenant\(s\): 3 upgraded, 1 failed in /);
      for (const [i, db] of dbs.entries()) expect(await versionOf(db.url), db.name).toEqual(i === 2 ? [] : ["r2"]);

      await sql(dbs[2]!.url, "DROP TABLE items");
      const again = await cli("upgrade", "--all-tenants", "--format", "json");
      expect(again.status).toBe(0);
      const report = JSON.parse(again.stdout) as { tenants: Array<{ name: string; status: string }> };
      expect(report.tenants.map((t) => t.status)).toEqual(["unchanged", "unchanged", "upgraded", "unchanged"]);
      for (const db of dbs) expect(await versionOf(db.url), db.name).toEqual(["r2"]);

      const down = await cli("downgrade", "r1", "--all-tenants");
      expect(down.stdout).toMatch(/4 downgraded/);
      for (const db of dbs) expect(await versionOf(db.url), db.name).toEqual(["r1"]);
    });
  });
}

describe("tenants from a query, a module and a config function", () => {
  it.skipIf(!PG || !MYSQL)("one list of PostgreSQL, MariaDB and SQLite databases, named by a query's second column", async () => {
    const registry = await createPgDatabase("autogen_fleet_registry");
    const pgDb = await createPgDatabase("autogen_fleet_db");
    const myDb = await createMysqlDatabase("autogen_fleet_db");
    made.push(
      { ...registry, cleanup: () => registry.drop() },
      { ...pgDb, cleanup: () => pgDb.drop() },
      { ...myDb, cleanup: () => myDb.drop() },
    );
    const lite = `sqlite:${tmp.file("lite.sqlite")}`;
    await sql(registry.url, "CREATE TABLE customers (db_url text, customer text)");
    for (const [url, name] of [
      [pgDb.url, "acme"],
      [myDb.url, "globex"],
      [lite, "initech"],
    ]) {
      await sql(registry.url, `INSERT INTO customers VALUES ('${url}', '${name}')`);
    }
    config({ url: registry.url, tenants: { databases: { query: "SELECT db_url, customer FROM customers ORDER BY customer" } } });
    const up = await cli("upgrade", "--all-tenants", "--format", "json");
    expect(up.status).toBe(0);
    const report = JSON.parse(up.stdout) as { tenants: Array<{ name: string; status: string; to: string[] }> };
    expect(report.tenants.map((t) => [t.name, t.status, t.to])).toEqual([
      ["acme", "upgraded", ["r2"]],
      ["globex", "upgraded", ["r2"]],
      ["initech", "upgraded", ["r2"]],
    ]);
    const current = await cli("current", "--tenant", "globex");
    expect(current.stdout.trim().split("\n")[0]).toBe("globex: r2 (head)");
  });

  it("an autogen.tenants.ts module, and a tenants function in autogen.config.mjs", async () => {
    writeFileSync(
      tmp.file("autogen.tenants.ts"),
      `export default async function tenants(): Promise<{ databases: Array<{ url: string; name: string }> }> {\n` +
        `  return { databases: ["a", "b"].map((n) => ({ url: "sqlite:./" + n + ".sqlite", name: "mod-" + n })) };\n}\n`,
    );
    config({});
    const up = await cli("upgrade", "--all-tenants");
    expect(up.stdout.trim()).toMatch(/^upgrade on 2 tenant\(s\): 2 upgraded in /);
    expect(up.status).toBe(0);
    expect(await versionOf(`sqlite:${tmp.file("a.sqlite")}`)).toEqual(["r2"]);

    writeFileSync(
      tmp.file("autogen.config.mjs"),
      `export default { versionsDir: "versions", tenants: () => ({ databases: ["sqlite:./c.sqlite"] }) };\n`,
    );
    const fn = await runCli(["current", "--all-tenants", "--config", "autogen.config.mjs"], { cwd: tmp.dir });
    expect(fn.stdout.trim().split("\n")[0]).toBe("c: <base> (behind head)");
    expect(fn.status).toBe(0);
  });

  it("a tenant's password is never printed; an unknown URL scheme or a bad tenants field is one line naming it", async () => {
    config({ tenants: { databases: [`sqlite:./ok.sqlite`, "postgres://fleetuser:s3cret-pw@127.0.0.1:1/nowhere"] } });
    for (const format of ["text", "json", "markdown", "github"]) {
      const up = await cli("upgrade", "--all-tenants", "--format", format);
      expect(up.status).toBe(1);
      expect(up.stdout + up.stderr).not.toContain("s3cret-pw");
      expect(up.stdout).toContain("nowhere");
    }
    const sql = await cli("upgrade", "--all-tenants", "--sql");
    expect(sql.status).toBe(2);
    expect(sql.stderr.trim()).toBe("autogen: usage error: --sql works on one database; it does not go with --all-tenants or --tenant");
    config({ tenants: { databases: ["oracle://x/y"] } });
    const bad = await cli("upgrade", "--all-tenants");
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain('unsupported database URL "oracle://x/y"');
    config({ tenants: { schemaz: ["a"] } });
    const field = await cli("upgrade", "--all-tenants");
    expect(field.stderr.trim()).toMatch(
      new RegExp(`^autogen: error: ${tmp.file("autogen.config.json").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:1: field "tenants" must be`),
    );
    config({});
    const none = await cli("upgrade", "--all-tenants");
    expect(none.stderr).toContain("no tenants configured");
    // The machine formats still get one report, and check keeps its CI exit code (2: configuration).
    const json = await cli("check", "--all-tenants", "--format", "json");
    expect(json.status).toBe(2);
    const report = JSON.parse(json.stdout) as { status: string; exitCode: number; error: { message: string } };
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ status: "error", exitCode: 2 });
    expect(report.error.message).toContain("no tenants configured");
  });
});

describe("the other commands on a fleet of SQLite databases", () => {
  it("revision --autogenerate --tenant, seed, test, stamp and status on every tenant", async () => {
    // The models' own history instead of the hand-written one.
    for (const f of ["r1_items.ts", "r2_qty.ts"]) rmSync(tmp.file(`versions/${f}`));
    config({
      entities: [MODELS_EXAMPLE],
      seedsDir: path.join(MODELS_EXAMPLE_DIR, "seeds"),
      tenants: { databases: ["sqlite:./a.sqlite", "sqlite:./b.sqlite"] },
    });
    expect((await cli("revision", "--autogenerate", "-m", "blog", "--tenant", "a")).status).toBe(0);
    expect((await cli("revision", "-m", "x", "--tenant", "a")).stderr).toContain("--tenant goes with --autogenerate");
    expect((await cli("upgrade", "--all-tenants")).stdout).toMatch(/2 upgraded/);
    const seeded = await cli("seed", "--all-tenants", "--faker-seed", "1");
    expect(seeded.stdout.trim()).toMatch(/^seed on 2 tenant\(s\): 2 seeded in /);
    for (const name of ["a", "b"]) {
      const [row] = await sql(`sqlite:${tmp.file(`${name}.sqlite`)}`, "SELECT count(*) AS n FROM users");
      expect(Number(row!.n), name).toBeGreaterThan(0);
    }
    const tested = await cli("test", "--all-tenants", "--format", "json");
    expect(tested.status).toBe(0);
    const report = JSON.parse(tested.stdout) as { tenants: Array<{ status: string }> };
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.tenants.map((t) => t.status)).toEqual(["passed", "passed"]);
    expect((await cli("stamp", "base", "--tenant", "b")).stdout).toMatch(/1 stamped/);
    const status = await cli("status", "--all-tenants");
    expect(status.stdout.trim().split("\n").slice(0, 2)).toEqual([expect.stringMatching(/^a: \w+ \(head\)$/), "b: <base> (1 pending)"]);
  });
});

describe.skipIf(!ptyAvailable())("on a terminal", () => {
  it("a progress line counts tenants; the report follows it", async () => {
    assertBuilt();
    config({ tenants: { databases: Array.from({ length: 12 }, (_, i) => `sqlite:./p${i}.sqlite`) } });
    const env: NodeJS.ProcessEnv = { ...process.env, AUTOGEN_DATABASE_URL: "", TERM: "xterm-256color", NO_COLOR: "1" };
    for (const key of ["CI", "GITHUB_ACTIONS", "CONTINUOUS_INTEGRATION", "BUILD_NUMBER"]) delete env[key];
    const r = await runOnPty([process.execPath, BIN, "upgrade", "--all-tenants", "--concurrency", "2"], { cwd: tmp.dir, env });
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/upgrade, 12 tenant\(s\): tenant \d+\/12 · p\d+ \(upgraded\) · 0 failed/);
    expect(r.output).toMatch(/upgrade on 12 tenant\(s\): 12 upgraded in /);
  });
});
