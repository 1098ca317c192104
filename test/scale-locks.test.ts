/**
 * The lock budget (runtime/lock-budget.ts) on a real PostgreSQL. The server's own budget
 * (6,400 slots by default) would need thousands of tables to reach, so these tests give
 * the dialect a tiny budget through its budget query; everything else (DDL, commits,
 * the version table, rollbacks) is the real server. A full-size proof is the 5,000-table
 * first revision on stock settings (test/scale-large.test.ts and the bench).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbConnection, Dialect } from "../src/dialects/dialect.js";
import { getDialect } from "../src/dialects/index.js";
import { locks as postgresLocks } from "../src/dialects/postgres/locks.js";
import type { Operations } from "../src/ops/ops.js";
import type { RevisionScript } from "../src/revisions/scripts.js";
import { executeStep, type ExecutionContext, type Step } from "../src/runtime/execute.js";
import { LockBudgetGuard } from "../src/runtime/lock-budget.js";
import { createPgDatabase, pgAvailable, type TestPgDatabase } from "./helpers/databases.js";

const PG = await pgAvailable();
const postgres = getDialect("postgres");

/** PostgreSQL with a lock table of 4 × (10 + 0) = 40 slots: a migration may take 10. */
const tinyBudget: Dialect = {
  ...postgres,
  locks: {
    ...postgresLocks,
    budgetQuery: "SELECT 4 AS max_locks_per_transaction, 10 AS max_connections, 0 AS max_prepared_transactions",
  },
};

const VERSION_TABLE = "autogen_version";

function script(upgrade: (op: Operations) => void | Promise<void>): RevisionScript {
  return {
    revision: "aaaa00000001",
    downRevision: null,
    message: "big",
    path: "/versions/aaaa00000001_big.ts",
    upgrade,
    downgrade: () => {},
  };
}

const step = (s: RevisionScript): Step => ({
  script: s,
  direction: "upgrade",
  rowsBefore: [],
  versionActions: [{ kind: "insert", revision: s.revision }],
});

/** Tables t0..t(n-1), each with a serial key and a foreign key to the previous one: 5+ locks a table. */
function createChain(op: Operations, n: number): void {
  for (let i = 0; i < n; i++) {
    op.createTable(`t${i}`, {
      columns: [
        { name: "id", type: "integer", nullable: false, generated: "increment" },
        { name: "prev_id", type: "integer", nullable: true },
        { name: "label", type: "text", nullable: true },
      ],
      primaryKey: { name: `PK_t${i}`, columns: ["id"] },
      foreignKeys:
        i === 0
          ? []
          : [
              {
                name: `FK_t${i}`,
                columns: ["prev_id"],
                referencedTable: `t${i - 1}`,
                referencedColumns: ["id"],
                onDelete: "NO ACTION",
                onUpdate: "NO ACTION",
              },
            ],
    });
  }
}

describe.skipIf(!PG)("lock budget on PostgreSQL", () => {
  let db: TestPgDatabase;
  let conn: DbConnection;
  const ctx: ExecutionContext = { dialect: tinyBudget, versionTable: VERSION_TABLE, excludeTables: [] };

  const tables = async () =>
    (await conn.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map(
      (r) => r.name,
    );
  const versions = async () => (await conn.query<{ v: string }>(`SELECT version_num AS v FROM ${VERSION_TABLE}`)).map((r) => r.v);
  const reset = async () => {
    for (const t of (await tables()).filter((t) => t !== VERSION_TABLE)) await conn.query(`DROP TABLE IF EXISTS "${t}" CASCADE`);
    await conn.query(`DELETE FROM ${VERSION_TABLE}`);
  };

  beforeAll(async () => {
    db = await createPgDatabase();
    conn = await postgres.connect(db.url);
    for (const sql of postgres.versionTable.create(VERSION_TABLE)) await conn.query(sql);
  });
  afterAll(async () => {
    await conn?.close();
    await db?.drop();
  });

  it("reads the server's real budget from its settings", async () => {
    const guard = await LockBudgetGuard.open(conn, postgres);
    const [row] = await conn.query<{ n: number }>(
      "SELECT current_setting('max_locks_per_transaction')::int * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int) AS n",
    );
    expect(guard?.budget.total).toBe(Number(row!.n));
    expect(guard?.budget.settings).toMatch(
      /^max_locks_per_transaction \(\d+\) × \(max_connections \(\d+\) \+ max_prepared_transactions \(\d+\)\) = \d+$/,
    );
  });

  it("splits a create-only revision over the budget into several transactions, the version row in the last, with a note", async () => {
    await reset();
    const notes: string[] = [];
    await executeStep(conn, ctx, step(script((op) => createChain(op, 8))), (line) => notes.push(line));
    expect(await tables()).toEqual([VERSION_TABLE, ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `t${i}`)].sort());
    expect(await versions()).toEqual(["aaaa00000001"]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^note: revision aaaa00000001 only creates objects and needs about \d+ locks, .*it ran in \d+ transactions, the version row written in the last$/,
    );
    expect(Number(/ran in (\d+) transactions/.exec(notes[0]!)![1])).toBeGreaterThan(2);
  });

  it("drops what earlier transactions created when a later one fails, leaving the database as it was", async () => {
    await reset();
    const failing = script((op) => {
      createChain(op, 8);
      // Fails on the server, in the last transaction: the column does not exist.
      op.createIndex("IDX_missing", "t7", ["no_such_column"]);
    });
    const error = await executeStep(conn, ctx, step(failing)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /failed and was rolled back \(it ran in several transactions; what the committed ones created was dropped again\)/,
    );
    expect(error?.message).not.toMatch(/\n/);
    expect(await tables()).toEqual([VERSION_TABLE]);
    expect(await versions()).toEqual([]);
  });

  it("refuses a create-only revision whose tables already exist (never stamped), naming them; nothing dropped, rows kept", async () => {
    await reset();
    // The tables as the revision defines them, made and filled outside it (e.g. by an old deploy that was never stamped).
    await executeStep(conn, ctx, step(script((op) => createChain(op, 8))));
    await conn.query(`DELETE FROM ${VERSION_TABLE}`);
    for (let i = 0; i < 8; i++) await conn.query(`INSERT INTO "t${i}" (label) VALUES ('kept ${i}')`);
    await conn.query(`CREATE TABLE "mine" (id int)`);
    const error = await executeStep(conn, ctx, step(script((op) => createChain(op, 8)))).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/already exist/);
    expect(error?.message).toMatch(/t0/);
    expect(error?.message).toMatch(/autogen stamp aaaa00000001/);
    expect(await tables()).toEqual([VERSION_TABLE, "mine", ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `t${i}`)].sort());
    for (let i = 0; i < 8; i++) expect(await conn.query(`SELECT label FROM "t${i}"`)).toEqual([{ label: `kept ${i}` }]);
    expect(await versions()).toEqual([]);
  });

  it("splits a drop-only revision (the downgrade of a large first one) the same way", async () => {
    await reset();
    await executeStep(conn, ctx, step(script((op) => createChain(op, 8))));
    const notes: string[] = [];
    const down: Step = {
      script: script((op) => {
        for (let i = 7; i >= 0; i--) op.dropTable(`t${i}`, { columns: [{ name: "id", type: "integer", nullable: false }] });
      }),
      direction: "upgrade",
      rowsBefore: ["aaaa00000001"],
      versionActions: [{ kind: "delete", revision: "aaaa00000001" }],
    };
    await executeStep(conn, ctx, down, (line) => notes.push(line));
    expect(await tables()).toEqual([VERSION_TABLE]);
    expect(await versions()).toEqual([]);
    expect(notes[0]).toMatch(/only drops objects .* it ran in \d+ transactions/);
  });

  it("refuses, before the server runs out, a revision that mixes kinds of change over the whole lock table: nothing changed, the setting named", async () => {
    await reset();
    for (let i = 0; i < 12; i++) await conn.query(`CREATE TABLE "old${i}" (id serial PRIMARY KEY, label text)`);
    const altering = script((op) => {
      for (let i = 0; i < 12; i++) op.addColumn(`old${i}`, { name: "extra", type: "integer", nullable: true });
      createChain(op, 4);
    });
    const error = await executeStep(conn, ctx, step(altering)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /aaaa00000001_big\.ts: this revision needs more than \d+ locks in one transaction, more than the server's whole lock table \(max_locks_per_transaction \(4\) × \(max_connections \(10\) \+ max_prepared_transactions \(0\)\) = 40\); nothing was changed\. .*raise max_locks_per_transaction to at least \d+ in postgresql\.conf/,
    );
    expect((await tables()).filter((t) => t.startsWith("t"))).toEqual([]);
    const columns = await conn.query("SELECT 1 FROM information_schema.columns WHERE column_name = 'extra'");
    expect(columns).toEqual([]);
    expect(await versions()).toEqual([]);
  });

  it("turns the server's 'out of shared memory' into the settings and the fix", async () => {
    const guard = (await LockBudgetGuard.open(conn, tinyBudget))!;
    const serverError = Object.assign(new Error("out of shared memory"), {
      code: "53200",
      hint: "You might need to increase max_locks_per_transaction.",
    });
    const message = guard.explain(serverError, "/versions/x.ts");
    expect(message).toMatch(
      /^\/versions\/x\.ts: the server ran out of lock slots \(out of shared memory; max_locks_per_transaction \(4\) .* = 40, shared by all sessions\): raise max_locks_per_transaction to at least \d+/,
    );
    expect(guard.explain(Object.assign(new Error("syntax error"), { code: "42601" }), "/versions/x.ts")).toBeUndefined();
  });
});
