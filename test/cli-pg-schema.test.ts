/**
 * The config's "schema" on PostgreSQL, as documented ("PostgreSQL schema to manage"):
 * revisions are applied in that schema, the version table lives there, and `check`
 * compares the models with that schema. A schema that does not exist is one line.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPgDatabase, createTempDir, pgAvailable, type TempDir, type TestPgDatabase } from "./helpers/databases.js";
import { MODELS_EXAMPLE } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

const PG = await pgAvailable();

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.skipIf(!PG)('"schema" on PostgreSQL', () => {
  let tmp: TempDir;
  let db: TestPgDatabase;
  const tablesIn = async (schema: string) =>
    (await query<{ tablename: string }>(db.url, `SELECT tablename FROM pg_tables WHERE schemaname = '${schema}' ORDER BY tablename`)).map(
      (r) => r.tablename,
    );

  beforeEach(async () => {
    tmp = createTempDir("autogen-cli-pg-schema-");
    db = await createPgDatabase("autogen_pg_schema");
    mkdirSync(tmp.file("versions"));
  });
  afterEach(async () => {
    await db.drop();
    tmp.remove();
  });

  it("revisions, the version table and check all work in the configured schema", async () => {
    await query(db.url, `CREATE SCHEMA app`);
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: db.url, schema: "app", entities: [MODELS_EXAMPLE] }));
    expect((await runCli(["revision", "--autogenerate", "-m", "create"], { cwd: tmp.dir })).status).toBe(0);
    const up = await runCli(["upgrade", "head"], { cwd: tmp.dir });
    expect(up.stderr).toBe("");
    expect(up.status).toBe(0);
    expect(await tablesIn("public")).toEqual([]);
    expect(await tablesIn("app")).toEqual([
      "autogen_version",
      "autogen_version_log",
      "categories",
      "comments",
      "post_tags",
      "posts",
      "tags",
      "users",
    ]);

    const check = await runCli(["check"], { cwd: tmp.dir });
    expect(check.stdout).toContain("No new upgrade operations detected");
    expect(check.status).toBe(0);
    const again = await runCli(["revision", "--autogenerate", "-m", "nothing"], { cwd: tmp.dir });
    expect(again.stdout).toContain("No changes in schema detected");
    expect(readdirSync(tmp.file("versions")).filter((f) => f.endsWith(".ts"))).toHaveLength(1);
    expect((await runCli(["current"], { cwd: tmp.dir })).stdout).toContain("(head)");

    // The offline script targets the same schema.
    const sql = await runCli(["upgrade", "head", "--sql"], { cwd: tmp.dir });
    expect(sql.status).toBe(0);
    expect(sql.stdout.split("\n").slice(0, 2)).toEqual(["SET standard_conforming_strings = on;", `SET search_path TO "app", public;`]);
    const stamp = await runCli(["stamp", "head", "--sql"], { cwd: tmp.dir });
    expect(stamp.status).toBe(0);
    expect(stamp.stdout.split("\n").slice(0, 2)).toEqual(["SET standard_conforming_strings = on;", `SET search_path TO "app", public;`]);

    expect((await runCli(["downgrade", "base"], { cwd: tmp.dir })).status).toBe(0);
    expect(await tablesIn("app")).toEqual(["autogen_version", "autogen_version_log"]); // bookkeeping: version table and migration log
    expect(await tablesIn("public")).toEqual([]);
  });

  it("a schema that does not exist is one line naming it, and nothing is created", async () => {
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: db.url, schema: "nowhere", entities: [MODELS_EXAMPLE] }));
    writeFileSync(
      tmp.file("versions/a1_first.ts"),
      `export const revision = "a1";\nexport const downRevision = null;\nexport function upgrade(op: any) { op.execute("CREATE TABLE t1 (id integer)"); }\nexport function downgrade(op: any) {}\n`,
    );
    for (const args of [["upgrade", "head"], ["current"], ["check"]]) {
      const r = await runCli([...args], { cwd: tmp.dir });
      // check's documented exit code for a configuration error is 2 (README "Exit codes").
      expect(r.status, args.join(" ")).toBe(args[0] === "check" ? 2 : 1);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('schema "nowhere" does not exist');
    }
    expect(await tablesIn("public")).toEqual([]);
  });
});
