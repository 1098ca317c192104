/**
 * A revision that fails while it runs, on every database kind (DATABASE_KINDS): where DDL
 * is transactional (PostgreSQL, SQLite) the database stays exactly at the previous
 * revision (nothing of the failed one remains); on MySQL/MariaDB what ran stays and the
 * error lists it. Everywhere the version table is unchanged and the error is one line
 * naming the revision file and the statement. Also: mistakes inside a hand-written revision that never reach the
 * database, and database errors outside a revision (the version table itself).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as api from "../src/api/index.js";
import { Workspace } from "../src/api/index.js";
import { readDatabaseSchema } from "../src/autogenerate.js";
import { UserError } from "../src/errors.js";
import { createPgDatabase, createTempDir, DATABASE_KINDS, pgAvailable, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { getDialect } from "../src/dialects/index.js";
import { runCli } from "./helpers/cli.js";

const PG = await pgAvailable();

const FIRST = `export const revision = "r1";
export const downRevision = null;
export function upgrade(op: any): void {
  op.createTable("items", {
    columns: [
      { name: "id", type: "integer", nullable: false },
      { name: "name", type: "varchar", length: 20, nullable: true },
    ],
    primaryKey: { name: "PK_items", columns: ["id"] },
  });
  op.execute("INSERT INTO items (id, name) VALUES (1, 'kept'), (2, NULL)", { reverse: "DELETE FROM items" });
}
export function downgrade(op: any): void {
  op.dropTable("items", { columns: [] });
}
`;

function second(body: string, asyncFn = false): string {
  return `export const revision = "r2";
export const downRevision = "r1";
export ${asyncFn ? "async " : ""}function upgrade(op: any)${asyncFn ? "" : ": void"} {
${body}
}
export function downgrade(op: any): void {}
`;
}

/** Creates a table, adds a column to r1's table, then fails on the statement given. */
const failingAfterChanges = (failing: string) => `
  op.createTable("extras", { columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { name: "PK_extras", columns: ["id"] } });
  op.addColumn("items", { name: "added", type: "integer", nullable: true });
  ${failing}`;

interface Db {
  url: string;
  cleanup(): Promise<void>;
}

// One description, every database this machine has (DATABASE_KINDS).
for (const kind of DATABASE_KINDS) {
  const dialect = kind.dialect;
  // Where DDL is not transactional (MySQL/MariaDB), what ran before the failure stays and
  // the error lists it; elsewhere the whole revision is rolled back.
  const rollsBack = getDialect(dialect).capabilities.transactionalDDL;
  describe.skipIf(!(await kind.available()))(`a revision failing midway (${dialect})`, () => {
    let tmp: TempDir;
    let db: Db;
    const config = () => ({ cwd: tmp.dir });
    const writeRevision = (name: string, text: string) => writeFileSync(path.join(tmp.dir, "versions", name), text);

    async function snapshot() {
      const ws = new Workspace(config());
      return ws.withConnection(async (conn) => {
        const schema = await readDatabaseSchema(conn, ws.config, ws.dialect);
        const rows = await conn.query<{ id: number; name: string | null }>("SELECT id, name FROM items ORDER BY id");
        return {
          versions: await ws.readHeads(conn),
          tables: schema.tables.map((t) => t.name).sort(),
          itemColumns: schema.tables.find((t) => t.name === "items")?.columns.map((c) => c.name),
          rows,
        };
      });
    }
    const atFirst = {
      versions: ["r1"],
      tables: ["items"],
      itemColumns: ["id", "name"],
      rows: [
        { id: 1, name: "kept" },
        { id: 2, name: null },
      ],
    };
    /**
     * After `failingAfterChanges` failed at run time: r1 still current; its createTable and
     * addColumn stayed where DDL is not transactional. (A revision whose own code throws
     * fails before any of its statements runs, on every database.)
     */
    const afterPartialFailure = rollsBack ? atFirst : { ...atFirst, tables: ["extras", "items"], itemColumns: ["id", "name", "added"] };

    beforeEach(async () => {
      tmp = createTempDir("autogen-errors-runner-");
      db = await kind.create("autogen_errors_runner");
      mkdirSync(tmp.file("versions"));
      writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: db.url, entities: ["models/*.ts"] }));
      writeRevision("r1_items.ts", FIRST);
      await api.upgrade({ ...config(), target: "r1" });
      expect(await snapshot()).toEqual(atFirst);
    });
    afterEach(async () => {
      await db.cleanup();
      tmp.remove();
    });

    it("bad SQL after a createTable: rolled back (without transactional DDL: what ran is listed), one line naming the file and the statement (CLI)", async () => {
      writeRevision("r2_bad.ts", second(failingAfterChanges(`op.execute("INSERT INTO no_such_table VALUES (1)");`)));
      const r = await runCli(["upgrade", "head"], { cwd: tmp.dir });
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("r2_bad.ts");
      expect(lines[0]).toContain(rollsBack ? "rolled back" : "DDL is not transactional, the 2 statement(s) before it stayed applied");
      expect(lines[0]).toContain("INSERT INTO no_such_table VALUES (1)");
      expect(await snapshot()).toEqual(afterPartialFailure);
    });

    it("a failing op.query after recorded changes: rolled back too, or listed (API)", async () => {
      writeRevision("r2_bad.ts", second(failingAfterChanges(`await op.query("SELECT * FROM no_such_table");`), true));
      const err = await api.upgrade({ ...config(), target: "head" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toContain("r2_bad.ts");
      expect((err as Error).message).toContain("SELECT * FROM no_such_table");
      expect(await snapshot()).toEqual(afterPartialFailure);
    });

    it("a data-migration error (NOT NULL on a column holding NULLs) keeps every row", async () => {
      writeRevision("r2_bad.ts", second(`op.alterColumn("items", "name", { nullable: { from: true, to: false } });`));
      const err = await api.upgrade({ ...config(), target: "head" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toContain("r2_bad.ts");
      expect(await snapshot()).toEqual(atFirst);
    });

    it("an exception thrown by the revision's own code names the file", async () => {
      writeRevision("r2_bad.ts", second(failingAfterChanges(`throw new Error("forgot something");`)));
      const err = await api.upgrade({ ...config(), target: "head" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(/r2_bad\.ts.*forgot something/);
      expect(await snapshot()).toEqual(atFirst);
    });

    it("an op on a table that does not exist names the file, online and offline", async () => {
      writeRevision("r2_bad.ts", second(failingAfterChanges(`op.alterColumn("ghost", "name", { nullable: { from: true, to: false } });`)));
      const online = await api.upgrade({ ...config(), target: "head" }).catch((e: unknown) => e);
      expect(online).toBeInstanceOf(UserError);
      expect((online as Error).message).toContain("r2_bad.ts");
      expect((online as Error).message).toContain("ghost");
      expect(await snapshot()).toEqual(atFirst);
      if (dialect === "sqlite") {
        // The rebuild needs the table's definition, which offline mode replays from the revisions.
        const offline = await api.upgrade({ ...config(), target: "r1:head", sql: true }).catch((e: unknown) => e);
        expect(offline).toBeInstanceOf(UserError);
        expect((offline as Error).message).toContain("r2_bad.ts");
      }
    });

    it("malformed op arguments are a one-line error naming the file and the op, not an internal error", async () => {
      writeRevision("r2_bad.ts", second(failingAfterChanges(`op.addColumn("extras");`)));
      for (const args of [
        ["upgrade", "head"],
        ["upgrade", "head", "--sql"],
      ]) {
        const r = await runCli([...args], { cwd: tmp.dir });
        expect(r.status).toBe(1);
        const lines = r.stderr.trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^autogen: error: /);
        expect(lines[0]).toContain("r2_bad.ts");
        expect(lines[0]).toContain("addColumn");
      }
      expect(await snapshot()).toEqual(atFirst);
    });

    it("after the failing revision is fixed, upgrade head goes through", async () => {
      writeRevision("r2_bad.ts", second(failingAfterChanges(`op.execute("INSERT INTO no_such_table VALUES (1)");`)));
      await expect(api.upgrade({ ...config(), target: "head" })).rejects.toThrow(UserError);
      if (!rollsBack) {
        // What the error said stayed applied is the user's to undo before running it again.
        expect(await snapshot()).toEqual(afterPartialFailure);
        const ws = new Workspace(config());
        await ws.withConnection(async (conn) => {
          await conn.query("DROP TABLE extras");
          await conn.query("ALTER TABLE items DROP COLUMN added");
        });
      }
      writeRevision("r2_bad.ts", second(failingAfterChanges("")));
      await api.upgrade({ ...config(), target: "head" });
      const after = await snapshot();
      expect(after.versions).toEqual(["r2"]);
      expect(after.tables).toEqual(["extras", "items"]);
      expect(after.rows).toEqual(atFirst.rows);
    });
  });
}

describe.skipIf(!PG)("database errors outside a revision (PostgreSQL)", () => {
  let tmp: TempDir;
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  const role = `autogen_ro_${process.pid}`;
  const admin = async (url: string, sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeEach(async () => {
    tmp = createTempDir("autogen-errors-perm-");
    db = await createPgDatabase("autogen_errors_perm");
    await admin(db.url, `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await admin(db.url, `CREATE ROLE ${role} LOGIN`);
    await admin(db.url, `REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    mkdirSync(tmp.file("versions"));
    writeFileSync(tmp.file("versions/r1_items.ts"), FIRST);
  });
  afterEach(async () => {
    await db.drop();
    await admin(db.url.replace(/\/[^/]+$/, "/postgres"), `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    tmp.remove();
  });

  it("a role that may not create the version table gets one line naming the version table, not an internal error", async () => {
    const url = new URL(db.url);
    url.username = role;
    url.password = "";
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: url.toString(), entities: ["models/*.ts"] }));
    const r = await runCli(["upgrade", "head"], { cwd: tmp.dir });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^autogen: error: /);
    expect(lines[0]).toContain("autogen_version");
    expect(lines[0]).toContain("permission denied");
  });

  it("a role that may not read the version table gets one line too", async () => {
    await admin(db.url, `CREATE TABLE autogen_version (version_num varchar(64) PRIMARY KEY)`);
    const url = new URL(db.url);
    url.username = role;
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: url.toString(), entities: ["models/*.ts"] }));
    for (const command of ["current", "status"]) {
      const r = await runCli([command], { cwd: tmp.dir });
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^autogen: error: /);
      expect(lines[0]).toContain("autogen_version");
    }
  });
});

describe("fresh when the confirmation gets no answer", () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = createTempDir("autogen-errors-fresh-");
    mkdirSync(tmp.file("versions"));
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: sqliteUrl(tmp), entities: ["models/*.ts"] }));
    writeFileSync(tmp.file("versions/r1_items.ts"), FIRST);
    await api.upgrade({ cwd: tmp.dir });
  });
  afterEach(() => tmp.remove());

  it("a prompt aborted with Ctrl+D counts as no: one-line UserError, nothing dropped", async () => {
    const aborted = () => Promise.reject(Object.assign(new Error("Aborted with Ctrl+D"), { name: "AbortError" }));
    const err = await api.fresh({ cwd: tmp.dir, confirm: aborted }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain("nothing was dropped");
    const ws = new Workspace({ cwd: tmp.dir });
    const rows = await ws.withConnection((conn) => conn.query<{ id: number }>("SELECT id FROM items ORDER BY id"));
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });
});
