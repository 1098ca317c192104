/**
 * Type and enum changes that need care, each pinned down on its own (the model-evolution
 * suite, evolution.test.ts, found them):
 *
 * - PostgreSQL: a shorter varchar (a downgrade of a widening) cut the longer values
 *   silently, because `USING col::varchar(n)` is an explicit cast, which truncates.
 * - PostgreSQL: a value added to an enum by `ALTER TYPE … ADD VALUE` cannot be used in the
 *   transaction that added it, so a revision adding a value and making it the default failed.
 * - Differ: an enum change that removes and adds values, with a default moving from a removed
 *   value to an added one, could be upgraded but not downgraded (the downgrade set the old
 *   default before the enum had the old value back).
 * - Op model: reversing such a split change restored a dropped enum column with the values
 *   the enum had at the end of the upgrade instead of the values it has where the column
 *   comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbConnection } from "../src/dialects/dialect.js";
import { postgresDialect as pg } from "../src/dialects/postgres/index.js";
import { diffSchemas } from "../src/diff/diff.js";
import { applyOp, applyOps } from "../src/ops/apply.js";
import type { Op } from "../src/ops/ops.js";
import { reverseOps } from "../src/ops/reverse.js";
import type { ColumnIR, SchemaIR, TableIR } from "../src/schema/ir.js";
import { createPgDatabase, pgAvailable, queryEach, type TestPgDatabase } from "./helpers/databases.js";

const PG = await pgAvailable();

const table = (name: string, columns: ColumnIR[]): TableIR => ({
  name,
  columns: [{ name: "id", type: "integer", nullable: false }, ...columns],
  primaryKey: { name: `PK_${name}`, columns: ["id"] },
  foreignKeys: [],
  uniques: [],
  indexes: [],
  checks: [],
});

const roleColumn = (values: string[], def: string): ColumnIR => ({
  name: "role",
  type: "enum",
  enumName: "user_role",
  enumValues: values,
  nullable: false,
  default: def,
});

const usersWithRoles = (values: string[], def: string): SchemaIR => ({
  dialect: "postgres",
  tables: [table("users", [roleColumn(values, def)])],
  enums: [{ name: "user_role", values }],
});

describe("differ: enum values replaced while the default moves from a removed to an added value", () => {
  const current = usersWithRoles(["reader", "writer"], "'reader'");
  const target = usersWithRoles(["writer", "admin"], "'writer'");

  it("adds values before the column changes and removes them after", () => {
    const { ops, findings } = diffSchemas(target, current);
    expect(ops).toEqual([
      {
        kind: "alterEnum",
        name: "user_role",
        values: { from: ["reader", "writer"], to: ["reader", "writer", "admin"] },
      },
      {
        kind: "alterColumn",
        table: "users",
        column: "role",
        changes: { default: { from: "'reader'", to: "'writer'" } },
      },
      {
        kind: "alterEnum",
        name: "user_role",
        values: { from: ["reader", "writer", "admin"], to: ["writer", "admin"] },
      },
    ]);
    expect(findings).toEqual([expect.objectContaining({ kind: "destructive", opIndex: 2 })]);
  });

  it("so that in both directions the default only ever names a value the enum has", () => {
    const { ops } = diffSchemas(target, current);
    const defaultsValid = (start: SchemaIR, sequence: Op[]) => {
      let state = start;
      for (const op of sequence) {
        state = applyOp(state, op);
        const role = state.tables[0]!.columns.find((c) => c.name === "role")!;
        expect(state.enums[0]!.values, `after ${op.kind}`).toContain(role.default!.replaceAll("'", ""));
      }
      return state;
    };
    expect(defaultsValid(current, ops)).toEqual(target);
    expect(defaultsValid(target, reverseOps(ops))).toEqual(current);
  });
});

describe("op model: a column comes back with the values its enum has at that point", () => {
  it("reverses a dropped enum column next to a value removal exactly", () => {
    const current: SchemaIR = {
      dialect: "postgres",
      tables: [
        table("users", [roleColumn(["reader", "writer"], "'writer'"), { ...roleColumn(["reader", "writer"], "'writer'"), name: "former" }]),
      ],
      enums: [{ name: "user_role", values: ["reader", "writer"] }],
    };
    const target = usersWithRoles(["writer"], "'writer'");
    const { ops } = diffSchemas(target, current);
    expect(ops.map((o) => o.kind)).toEqual(["dropColumn", "alterEnum"]);
    expect(applyOps(current, ops)).toEqual(target);
    expect(applyOps(target, reverseOps(ops))).toEqual(current);
  });
});

describe.skipIf(!PG)("PostgreSQL: type and enum changes inside one revision's transaction", () => {
  let db: TestPgDatabase;
  let conn: DbConnection;

  beforeAll(async () => {
    db = await createPgDatabase("autogen_type_enum_changes");
    conn = await pg.connect(db.url);
  });
  afterAll(async () => {
    await conn?.close();
    await db?.drop();
  });

  const read = () => pg.introspect(conn, { versionTable: "autogen_version" });

  /** Runs ops the way the runner does: one transaction, each op rendered against the state before it. */
  async function runInTransaction(ops: Op[]): Promise<void> {
    await conn.query("BEGIN");
    try {
      let state = await read();
      for (const [i, op] of ops.entries()) {
        // The ops after it, as the runner passes them (an enum value added in place cannot be used before the commit).
        for (const sql of pg.renderOp(op, state, ops.slice(i + 1))) await conn.query(sql);
        state = applyOp(state, op);
      }
      await conn.query("COMMIT");
    } catch (err) {
      await conn.query("ROLLBACK");
      throw err;
    }
  }

  async function reset(setup: string[]): Promise<void> {
    await queryEach(conn, `DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
    for (const sql of setup) await conn.query(sql);
  }

  it.each([
    ["varchar(10) -> varchar(3)", "varchar(10)", { type: "varchar", length: 10 }, { type: "varchar", length: 3 }],
    ["text -> varchar(3)", "text", { type: "text" }, { type: "varchar", length: 3 }],
    ["char(10) -> char(3)", "char(10)", { type: "char", length: 10 }, { type: "char", length: 3 }],
    [
      "varchar(10)[] -> varchar(3)[]",
      "varchar(10)[]",
      { type: "varchar", length: 10, array: true },
      { type: "varchar", length: 3, array: true },
    ],
  ])("a shorter type (%s) refuses a value that does not fit instead of cutting it", async (_name, sqlType, from, to) => {
    const value = sqlType.endsWith("[]") ? `'{abcdefghij}'` : `'abcdefghij'`;
    await reset([`CREATE TABLE "t" ("id" integer PRIMARY KEY, "c" ${sqlType} NOT NULL)`, `INSERT INTO "t" VALUES (1, ${value})`]);
    const before = await conn.query(`SELECT "c" FROM "t"`);
    await expect(runInTransaction([{ kind: "alterColumn", table: "t", column: "c", changes: { type: { from, to } } }])).rejects.toThrow(
      /too long/,
    );
    expect(await conn.query(`SELECT "c" FROM "t"`)).toEqual(before);
  });

  it("a longer varchar keeps the plain cast and every value", async () => {
    await reset([`CREATE TABLE "t" ("id" integer PRIMARY KEY, "c" varchar(3) NOT NULL)`, `INSERT INTO "t" VALUES (1, 'abc')`]);
    const op: Op = {
      kind: "alterColumn",
      table: "t",
      column: "c",
      changes: { type: { from: { type: "varchar", length: 3 }, to: { type: "varchar", length: 10 } } },
    };
    expect(pg.renderOp(op, await read())).toEqual([`ALTER TABLE "t" ALTER COLUMN "c" TYPE varchar(10) USING "c"::varchar(10)`]);
    await runInTransaction([op]);
    expect(await conn.query(`SELECT "c" FROM "t"`)).toEqual([{ c: "abc" }]);
  });

  it("a value added to an enum can be the default, and be written, in the same transaction", async () => {
    await reset([
      `CREATE TYPE "user_role" AS ENUM ('reader', 'writer')`,
      `CREATE TABLE "users" ("id" integer PRIMARY KEY, "role" "user_role" NOT NULL DEFAULT 'reader')`,
      `INSERT INTO "users" ("id") VALUES (1)`,
    ]);
    await runInTransaction([
      {
        kind: "alterEnum",
        name: "user_role",
        values: { from: ["reader", "writer"], to: ["reader", "writer", "editor"] },
      },
      {
        kind: "alterColumn",
        table: "users",
        column: "role",
        changes: { default: { from: "'reader'", to: "'editor'" } },
      },
      { kind: "execute", sql: `UPDATE "users" SET "role" = 'editor' WHERE "id" = 1` },
    ]);
    await conn.query(`INSERT INTO "users" ("id") VALUES (2)`);
    expect(await conn.query(`SELECT "id", "role" FROM "users" ORDER BY "id"`)).toEqual([
      { id: 1, role: "editor" },
      { id: 2, role: "editor" },
    ]);
  });

  it("replacing enum values under a moving default upgrades and downgrades", async () => {
    await reset([
      `CREATE TYPE "user_role" AS ENUM ('reader', 'writer')`,
      `CREATE TABLE "users" ("id" integer NOT NULL, "role" "user_role" NOT NULL DEFAULT 'reader', CONSTRAINT "PK_users" PRIMARY KEY ("id"))`,
      `INSERT INTO "users" ("id", "role") VALUES (1, 'writer')`,
    ]);
    const current = await read();
    const target = usersWithRoles(["writer", "admin"], "'writer'");
    const { ops } = diffSchemas(target, current);

    await runInTransaction(ops);
    expect(await read()).toEqual(target);
    await runInTransaction(reverseOps(ops));
    expect(await read()).toEqual(current);
    expect(await conn.query(`SELECT "id", "role" FROM "users"`)).toEqual([{ id: 1, role: "writer" }]);
  });
});
