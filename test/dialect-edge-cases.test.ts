/**
 * Dialect edge cases, each on a real database: a non-public PostgreSQL schema
 * introspects unqualified; SQLite rebuilds keep views working and AUTOINCREMENT counters;
 * expression index terms pass applyOp (offline state) and render; unreadable stored DDL
 * is a one-line UserError.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbConnection } from "../src/dialects/dialect.js";
import { postgresDialect } from "../src/dialects/postgres/index.js";
import { sqliteDialect } from "../src/dialects/sqlite/index.js";
import { diffSchemas } from "../src/diff/index.js";
import { UserError } from "../src/errors.js";
import { SchemaStateError, applyOp, applyOps } from "../src/ops/apply.js";
import type { Op } from "../src/ops/ops.js";
import { isExpressionTerm, type SchemaIR, type TableIR } from "../src/schema/ir.js";
import {
  createPgDatabase,
  createTempDir,
  pgAvailable,
  queryEach,
  sqliteUrl,
  type TempDir,
  type TestPgDatabase,
} from "./helpers/databases.js";

const PG = await pgAvailable();
const VERSION_TABLE = "autogen_version";

async function run(conn: DbConnection, statements: string[]): Promise<void> {
  for (const sql of statements) await conn.query(sql);
}

describe.skipIf(!PG)("postgres: the configured schema is the connection's default", () => {
  let db: TestPgDatabase;
  let conn: DbConnection;

  beforeAll(async () => {
    db = await createPgDatabase("autogen_review_pg");
    conn = await postgresDialect.connect(db.url);
    await conn.query(`CREATE SCHEMA app`);
    // What the runtime does for a config with "schema": "app".
    await conn.query(`SET search_path TO "app", public`);
  });
  afterAll(async () => {
    await conn?.close();
    await db?.drop();
  });

  // The model side: no table or enum names a schema, the configured one being the default.
  const users: TableIR = {
    name: "users",
    columns: [
      { name: "id", type: "integer", nullable: false, generated: "increment" },
      { name: "email", type: "character varying", length: 200, nullable: false },
      { name: "mood", type: "enum", enumName: "users_mood_enum", enumValues: ["ok", "sad"], nullable: true },
    ],
    primaryKey: { name: "PK_users", columns: ["id"] },
    foreignKeys: [],
    uniques: [{ name: "UQ_users_email", columns: ["email"] }],
    indexes: [{ name: "IDX_users_lower_email", columns: ["lower(email)"], unique: false }],
    checks: [],
  };
  const legacy: TableIR = {
    name: "legacy",
    columns: [
      { name: "id", type: "integer", nullable: false },
      { name: "user_id", type: "integer", nullable: true },
    ],
    primaryKey: { name: "PK_legacy", columns: ["id"] },
    foreignKeys: [
      {
        name: "FK_legacy_user",
        columns: ["user_id"],
        referencedTable: "users",
        referencedColumns: ["id"],
        onDelete: "CASCADE",
        onUpdate: "NO ACTION",
      },
    ],
    uniques: [],
    indexes: [],
    checks: [],
  };
  const models: SchemaIR = { dialect: "postgres", tables: [users, legacy], enums: [{ name: "users_mood_enum", values: ["ok", "sad"] }] };

  it("introspects tables, enums and foreign keys in it without a schema, equal to the models", async () => {
    const ops: Op[] = [
      { kind: "createEnum", enum: models.enums[0]! },
      { kind: "createTable", table: users },
      { kind: "createTable", table: legacy },
    ];
    let state: SchemaIR = { dialect: "postgres", tables: [], enums: [] };
    for (const op of ops) {
      await run(conn, postgresDialect.renderOp(op, state));
      state = applyOp(state, op);
    }
    const inApp = await conn.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'app' ORDER BY tablename`);
    expect(inApp.map((r) => r.tablename)).toEqual(["legacy", "users"]);

    const live = await postgresDialect.introspect(conn, { versionTable: VERSION_TABLE, schema: "app" });
    expect(live.tables.map((t) => t.schema)).toEqual([undefined, undefined]);
    expect(live.enums.map((e) => e.schema)).toEqual([undefined]);
    expect(live.tables.find((t) => t.name === "legacy")!.foreignKeys[0]!.referencedSchema).toBeUndefined();
    expect(live).toEqual(postgresDialect.normalizeSchema(models));
    // So check/autogenerate find nothing to move or recreate.
    expect(diffSchemas(postgresDialect.normalizeSchema(models), live, {}).ops).toEqual([]);
  });
});

describe("sqlite table rebuild", () => {
  let dir: TempDir;
  let counter = 0;
  beforeAll(() => {
    dir = createTempDir("autogen-review-sqlite-");
  });
  afterAll(() => dir.remove());

  async function freshDb(ddl: string): Promise<DbConnection> {
    counter += 1;
    const conn = await sqliteDialect.connect(sqliteUrl(dir, `review${counter}.sqlite`));
    await queryEach(conn, ddl);
    return conn;
  }
  const introspect = (conn: DbConnection) => sqliteDialect.introspect(conn, { versionTable: VERSION_TABLE });

  /** Renders and runs the ops in one revision transaction, as the runner does; returns the predicted state. */
  async function migrate(conn: DbConnection, ops: Op[]): Promise<SchemaIR> {
    let state = await introspect(conn);
    await run(conn, sqliteDialect.beginTransaction());
    for (const op of ops) {
      await run(conn, sqliteDialect.renderOp(op, state));
      state = applyOp(state, op);
    }
    await run(conn, sqliteDialect.commitTransaction());
    return state;
  }

  const widenName: Op = {
    kind: "alterColumn",
    table: "t",
    column: "name",
    changes: { type: { from: { type: "varchar", length: 10 }, to: { type: "varchar", length: 50 } } },
  };

  it("keeps a view that selects from the rebuilt table working", async () => {
    const conn = await freshDb(`
      CREATE TABLE "t" ("id" integer PRIMARY KEY NOT NULL, "name" varchar(10) NOT NULL);
      INSERT INTO "t" VALUES (1, 'one'), (2, 'two');
      CREATE VIEW "v" AS SELECT "id", upper("name") AS "shout" FROM "t";
    `);
    const state = await migrate(conn, [widenName]);
    expect(await introspect(conn)).toEqual(sqliteDialect.normalizeSchema(state));
    expect(await conn.query(`SELECT * FROM "v" ORDER BY "id"`)).toEqual([
      { id: 1, shout: "ONE" },
      { id: 2, shout: "TWO" },
    ]);
    // The view reads the new table: a value longer than the old length shows through it.
    await conn.query(`INSERT INTO "t" VALUES (3, 'a name longer than ten')`);
    expect(await conn.query(`SELECT "shout" FROM "v" WHERE "id" = 3`)).toEqual([{ shout: "A NAME LONGER THAN TEN" }]);
    // The legacy rename mode is switched back off.
    expect(await conn.query(`PRAGMA legacy_alter_table`)).toEqual([{ legacy_alter_table: 0 }]);
    await conn.close();
  });

  it("keeps the AUTOINCREMENT counter past deleted ids", async () => {
    const conn = await freshDb(`
      CREATE TABLE "t" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(10) NOT NULL);
      INSERT INTO "t" ("name") VALUES ('a'), ('b'), ('c');
      DELETE FROM "t" WHERE "id" = 3;
    `);
    await migrate(conn, [widenName]);
    await conn.query(`INSERT INTO "t" ("name") VALUES ('d')`);
    expect(await conn.query(`SELECT "id" FROM "t" WHERE "name" = 'd'`)).toEqual([{ id: 4 }]);
    expect(await conn.query(`SELECT "name", "seq" FROM "sqlite_sequence"`)).toEqual([{ name: "t", seq: 4 }]);
    await conn.close();
  });

  it("keeps the AUTOINCREMENT counter of a table emptied before the rebuild", async () => {
    const conn = await freshDb(`
      CREATE TABLE "t" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(10) NOT NULL);
      INSERT INTO "t" ("name") VALUES ('a'), ('b');
      DELETE FROM "t";
    `);
    await migrate(conn, [widenName]);
    await conn.query(`INSERT INTO "t" ("name") VALUES ('c')`);
    expect(await conn.query(`SELECT "id" FROM "t"`)).toEqual([{ id: 3 }]);
    expect(await conn.query(`SELECT "name", "seq" FROM "sqlite_sequence"`)).toEqual([{ name: "t", seq: 3 }]);
    await conn.close();
  });

  it("says which table's stored definition it cannot read, on one line", async () => {
    // SQLite accepts ON CONFLICT after a table CHECK; the DDL reader does not.
    const conn = await freshDb(`CREATE TABLE "odd" ("a" integer,\n  CHECK ("a" > 0) ON CONFLICT FAIL)`);
    const error = await introspect(conn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Cannot read the definition of SQLite table "odd": Expected "\)" at offset \d+, near: /);
    expect(message).toContain(`ON CONFLICT FAIL`);
    expect(message).not.toContain("\n");
    await conn.close();
  });
});

describe("expression index terms", () => {
  const table: TableIR = {
    name: "u",
    columns: [
      { name: "id", type: "integer", nullable: false },
      { name: "email", type: "varchar", nullable: false },
    ],
    primaryKey: { columns: ["id"] },
    foreignKeys: [],
    uniques: [],
    indexes: [],
    checks: [],
  };
  const createIndex = (columns: string[]): Op => ({ kind: "createIndex", table: "u", index: { name: "IDX", columns, unique: false } });

  it("tells expressions from column names", () => {
    for (const term of ["email", "Email_2", "first-name", "ünï"]) expect(isExpressionTerm(term)).toBe(false);
    for (const term of ["lower(email)", `"a" || "b"`, "(email)::text", "a + b", "'x'"]) expect(isExpressionTerm(term)).toBe(true);
  });

  it("applyOp takes an expression index and still refuses an unknown column", () => {
    const state: SchemaIR = { dialect: "sqlite", tables: [table], enums: [] };
    const after = applyOp(state, createIndex(["lower(email)", "id"]));
    expect(after.tables[0]!.indexes).toEqual([{ name: "IDX", columns: ["lower(email)", "id"], unique: false }]);
    expect(() => applyOp(state, createIndex(["emial"]))).toThrow(SchemaStateError);
  });

  it("renders and runs on SQLite, introspecting as applyOp predicts", async () => {
    const dir = createTempDir("autogen-review-expr-");
    try {
      const conn = await sqliteDialect.connect(sqliteUrl(dir, "expr.sqlite"));
      const ops: Op[] = [{ kind: "createTable", table }, createIndex(["lower(email)"])];
      let state: SchemaIR = { dialect: "sqlite", tables: [], enums: [] };
      for (const op of ops) {
        await run(conn, sqliteDialect.renderOp(op, state));
        state = applyOp(state, op);
      }
      expect(state).toEqual(applyOps({ dialect: "sqlite", tables: [], enums: [] }, ops));
      expect(await sqliteDialect.introspect(conn, { versionTable: VERSION_TABLE })).toEqual(sqliteDialect.normalizeSchema(state));
      await conn.close();
    } finally {
      dir.remove();
    }
  });
});
