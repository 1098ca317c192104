/**
 * `autogen test` on MariaDB: the scratch database is made on the configured server (with
 * the configured database's character set and collation) and dropped afterwards; the
 * suite passes on models-example (copied to a temp dir), a downgrade that leaves its
 * table behind fails the stairway naming the revision, and the configured database is
 * never touched. In-process (runCli), so it tests the source as it is.
 */
import { cpSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import { runCli } from "./helpers/cli.js";
import { createMysqlDatabase, createTempDir, MYSQL_ADMIN_URL, mysqlAvailable, type TempDir } from "./helpers/databases.js";
import { MODELS_EXAMPLE_DIR } from "./helpers/project.js";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const MYSQL = await mysqlAvailable();

/** Scratch databases on the server (another run's, killed, may be there too: compare before and after). */
async function scratchDatabases(): Promise<string[]> {
  const conn = await getDialect("mysql").connect(`${MYSQL_ADMIN_URL.replace(/\/$/, "")}/information_schema`);
  try {
    const rows = await conn.query<{ n: string }>(
      "SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'autogen\\_test\\_%'",
    );
    return rows.map((r) => r.n).sort();
  } finally {
    await conn.close();
  }
}

describe.skipIf(!MYSQL)("autogen test (MariaDB)", () => {
  let tmp: TempDir;
  let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
  const run = (...args: string[]) => runCli(args, { cwd: tmp.dir });
  const versions = () => readdirSync(tmp.file("versions")).filter((f) => f.endsWith(".ts"));

  beforeAll(async () => {
    tmp = createTempDir("autogen-ci-test-mysql-");
    // From the shared copy taken when the file starts, never from models-example in place.
    cpSync(path.join(MODELS_EXAMPLE_DIR, "entities"), tmp.file("entities"), { recursive: true });
    db = await createMysqlDatabase("autogen_ci_test");
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: db.url, entities: ["entities/*.ts"], versionsDir: "versions" }));
    const first = await run("revision", "--autogenerate", "-m", "initial");
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
    tmp?.remove();
  });

  it("passes on models-example, names every check, drops its scratch database and leaves the configured one alone", async () => {
    const before = (await run("current")).stdout;
    const scratchBefore = await scratchDatabases();
    const r = await run("test");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const name of ["single head", "upgrade base to head", "stairway", "models match head", "downgrade to base"]) {
      expect(r.stdout).toContain(`PASS  ${name}`);
    }
    expect((await run("current")).stdout).toBe(before);
    expect(before).toContain("<base>");
    expect(await scratchDatabases()).toEqual(scratchBefore);
  });

  it("a downgrade that leaves its table behind fails the stairway, naming the revision", async () => {
    const [first] = versions();
    const head = first!.split("_")[0]!;
    writeFileSync(
      tmp.file("versions/bad00001_audit.ts"),
      `export const revision = "bad00001";
export const downRevision = ${JSON.stringify(head)};
export const message = "audit log";
export function upgrade(op: any) {
  op.createTable("audit", { columns: [{ name: "id", type: "int", nullable: false }], primaryKey: { columns: ["id"] } });
}
export function downgrade(op: any) {
  // forgot op.dropTable("audit")
}
`,
    );
    const scratchBefore = await scratchDatabases();
    const r = await run("test");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}stairway: downgrade of bad00001 does not restore the schema/m);
    expect(r.stdout).toContain('op.dropTable("audit")');
    expect(await scratchDatabases()).toEqual(scratchBefore);
  });
});
