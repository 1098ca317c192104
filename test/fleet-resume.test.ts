/**
 * A fleet run killed with SIGKILL in the middle (issue 19) leaves every tenant either at
 * the revision or untouched (each tenant's revision is one transaction, its run lock
 * a session lock that dies with the connection), and the next run resumes: tenants the
 * killed run finished are skipped without work, the rest are upgraded.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, assertBuilt, runCli } from "./helpers/cli.js";
import { createPgDatabase, createTempDir, pgAvailable, type TempDir, type TestPgDatabase } from "./helpers/databases.js";

const PG = await pgAvailable();
const TENANTS = Array.from({ length: 10 }, (_, i) => `s${i}`);

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.skipIf(!PG)("a killed fleet run", () => {
  let tmp: TempDir;
  let db: TestPgDatabase;
  beforeAll(async () => {
    tmp = createTempDir("autogen-fleet-kill-");
    db = await createPgDatabase("autogen_fleet_kill");
    for (const t of TENANTS) await query(db.url, `CREATE SCHEMA ${t}`);
    mkdirSync(tmp.file("versions"));
    writeFileSync(
      tmp.file("versions/k1_slow.ts"),
      `export const revision = "k1";\nexport const downRevision = null;\n` +
        `export function upgrade(op: any) {\n  op.createTable("things", { columns: [{ name: "id", type: "integer", nullable: false }] });\n  op.execute("SELECT pg_sleep(0.3)");\n}\n` +
        `export function downgrade(op: any) { op.dropTable("things"); }\n`,
    );
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: db.url, tenants: { schemas: TENANTS } }));
  });
  afterAll(async () => {
    await db?.drop();
    tmp?.remove();
  });

  const done = async () =>
    (
      await Promise.all(
        TENANTS.map(async (t) => ((await query(db.url, `SELECT 1 FROM ${t}.autogen_version`).catch(() => [])).length ? t : undefined)),
      )
    ).filter((t): t is string => t !== undefined);

  it("resumes: what the killed run finished is skipped, the rest is upgraded, nothing is half-applied", async () => {
    assertBuilt();
    const child = spawn(process.execPath, [BIN, "upgrade", "--all-tenants", "--concurrency", "2"], {
      cwd: tmp.dir,
      env: { ...process.env, AUTOGEN_DATABASE_URL: "" },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Kill once some tenants are done and others are still to come.
    let finished: string[] = [];
    for (let i = 0; i < 400 && finished.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 25));
      finished = await done();
    }
    child.kill("SIGKILL");
    expect(await exited).toBeNull();
    const before = await done();
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(TENANTS.length);
    // Each tenant has the revision whole or not at all.
    for (const t of TENANTS) {
      const table = await query(db.url, `SELECT to_regclass('${t}.things') AS t`);
      expect(table[0]!.t !== null, t).toBe(before.includes(t));
    }

    const again = await runCli(["upgrade", "--all-tenants", "--format", "json"], { cwd: tmp.dir });
    expect(again.status).toBe(0);
    const report = JSON.parse(again.stdout) as { tenants: Array<{ name: string; status: string }> };
    // A tenant whose transaction was cut short may have committed just before the kill: it reads as done.
    const unchanged = report.tenants.filter((t) => t.status === "unchanged").map((t) => t.name);
    const upgraded = report.tenants.filter((t) => t.status === "upgraded").map((t) => t.name);
    expect(unchanged.length).toBeGreaterThanOrEqual(before.length);
    for (const t of before) expect(unchanged).toContain(t);
    expect(unchanged.length + upgraded.length).toBe(TENANTS.length);
    expect(await done()).toEqual(TENANTS);
  });
});
