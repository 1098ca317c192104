/**
 * SQLite op rendering: every op kind rendered, executed in the dialect's transaction on a
 * real database, then introspected, must give the IR that `applyOp` predicts; rebuilds
 * keep rows, indexes and foreign keys.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbConnection } from "../src/dialects/dialect.js";
import { getDialect } from "../src/dialects/index.js";
import { applyOp } from "../src/ops/apply.js";
import type { Op } from "../src/ops/ops.js";
import type { ColumnIR, SchemaIR, TableIR } from "../src/schema/ir.js";
import { createTempDir, queryEach, sqliteUrl, type TempDir } from "./helpers/databases.js";

/** The render path users get: guarded, raw SQL cut into statements. */
const sqliteDialect = getDialect("sqlite");

let dir: TempDir;
let counter = 0;
beforeAll(() => {
  dir = createTempDir("autogen-sqlite-render-");
});
afterAll(() => dir.remove());

const table = (name: string, def: Partial<TableIR> & { columns: ColumnIR[] }): TableIR => ({
  name,
  foreignKeys: [],
  uniques: [],
  indexes: [],
  checks: [],
  ...def,
});

const USERS = table("users", {
  columns: [
    { name: "id", type: "integer", nullable: false, generated: "increment" },
    { name: "email", type: "varchar", length: 100, nullable: false },
    { name: "name", type: "varchar", nullable: true },
    { name: "role", type: "varchar", enumValues: ["admin", "member"], nullable: false, default: "'member'" },
    { name: "age", type: "integer", nullable: true },
  ],
  primaryKey: { columns: ["id"] },
  uniques: [{ name: "UQ_users_email", columns: ["email"] }],
  indexes: [{ name: "IDX_users_name", columns: ["name"], unique: false }],
  checks: [{ name: "CHK_users_age", expression: `"age" >= 0` }],
});

const POSTS = table("posts", {
  columns: [
    { name: "id", type: "integer", nullable: false, generated: "increment" },
    { name: "title", type: "varchar", length: 200, nullable: false },
    { name: "body", type: "text", nullable: true },
    { name: "author_id", type: "integer", nullable: false },
  ],
  primaryKey: { columns: ["id"] },
  foreignKeys: [
    {
      name: "FK_posts_author",
      columns: ["author_id"],
      referencedTable: "users",
      referencedColumns: ["id"],
      onDelete: "CASCADE",
      onUpdate: "NO ACTION",
    },
  ],
  indexes: [{ name: "IDX_posts_author", columns: ["author_id"], unique: false }],
});

const POST_TAGS = table("post_tags", {
  columns: [
    { name: "post_id", type: "integer", nullable: false },
    { name: "tag", type: "varchar", length: 30, nullable: false },
  ],
  primaryKey: { columns: ["post_id", "tag"] },
});

const SETTINGS = table("settings", {
  columns: [
    { name: "key", type: "varchar", nullable: false },
    { name: "value", type: "text", nullable: true },
  ],
});

const SEED = `
  INSERT INTO "users" ("id", "email", "name", "role", "age") VALUES (1, 'a@x', 'Ann', 'admin', 30), (2, 'b@x', NULL, 'member', NULL);
  INSERT INTO "posts" ("id", "title", "body", "author_id") VALUES (1, 'First', NULL, 1), (2, 'Second', 'text', 2);
  INSERT INTO "post_tags" ("post_id", "tag") VALUES (1, 'news'), (2, 'misc');
`;

async function run(conn: DbConnection, statements: string[]): Promise<void> {
  for (const sql of statements) await conn.query(sql);
}

/** A fresh database holding the base schema (created through our own createTable rendering) and seed rows. */
async function baseDatabase(): Promise<{ conn: DbConnection; state: SchemaIR }> {
  counter += 1;
  const conn = await sqliteDialect.connect(sqliteUrl(dir, `render${counter}.sqlite`));
  let state: SchemaIR = { dialect: "sqlite", tables: [], enums: [] };
  await run(conn, sqliteDialect.beginTransaction());
  for (const t of [USERS, POSTS, POST_TAGS, SETTINGS]) {
    const op: Op = { kind: "createTable", table: t };
    await run(conn, sqliteDialect.renderOp(op, state));
    state = applyOp(state, op);
  }
  await run(conn, sqliteDialect.commitTransaction());
  await queryEach(conn, SEED);
  return { conn, state: await introspect(conn) };
}

const introspect = (conn: DbConnection) => sqliteDialect.introspect(conn, { versionTable: "autogen_version" });

async function rowCounts(conn: DbConnection, state: SchemaIR): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of state.tables) {
    const [row] = await conn.query<{ n: number }>(`SELECT count(*) AS n FROM "${t.name}"`);
    counts[t.name] = row!.n;
  }
  return counts;
}

interface OpCase {
  name: string;
  op: Op;
  /** "alter" = one in-place ALTER TABLE / CREATE / DROP statement; "rebuild" = temporary table. */
  via: "alter" | "rebuild" | "statements";
  /** A fact about the result, beyond "equals what applyOp predicts". */
  check?: (after: SchemaIR, conn: DbConnection) => Promise<void> | void;
}

const tableOf = (schema: SchemaIR, name: string) => schema.tables.find((t) => t.name === name)!;
const columnOf = (schema: SchemaIR, tableName: string, column: string) => tableOf(schema, tableName).columns.find((c) => c.name === column);

const CASES: OpCase[] = [
  {
    name: "createTable with composite key, unique, check, FK and index",
    via: "statements",
    op: {
      kind: "createTable",
      table: table("comments", {
        columns: [
          { name: "post_id", type: "integer", nullable: false },
          { name: "n", type: "integer", nullable: false, default: "1" },
          { name: "text", type: "text", nullable: false },
          { name: "at", type: "datetime", nullable: false, default: "CURRENT_TIMESTAMP" },
        ],
        primaryKey: { columns: ["post_id", "n"] },
        foreignKeys: [
          {
            name: "FK_comments_post",
            columns: ["post_id"],
            referencedTable: "posts",
            referencedColumns: ["id"],
            onDelete: "CASCADE",
            onUpdate: "CASCADE",
          },
        ],
        uniques: [{ name: "UQ_comments_text", columns: ["post_id", "text"] }],
        checks: [{ name: "CHK_comments_n", expression: `"n" > 0` }],
        indexes: [{ name: "IDX_comments_at", columns: ["at"], unique: false, where: `"n" > 1` }],
      }),
    },
    check: (after) => expect(tableOf(after, "comments").primaryKey).toEqual({ columns: ["post_id", "n"] }),
  },
  {
    name: "dropTable",
    via: "statements",
    op: { kind: "dropTable", table: POST_TAGS },
    check: (after) => expect(after.tables.map((t) => t.name)).not.toContain("post_tags"),
  },
  {
    name: "renameTable carries other tables' foreign keys along",
    via: "alter",
    op: { kind: "renameTable", from: "users", to: "people" },
    check: async (after, conn) => {
      expect(tableOf(after, "posts").foreignKeys[0]!.referencedTable).toBe("people");
      expect(await conn.query(`SELECT count(*) AS n FROM "people"`)).toEqual([{ n: 2 }]);
    },
  },
  {
    name: "addColumn nullable",
    via: "alter",
    op: { kind: "addColumn", table: "users", column: { name: "bio", type: "text", nullable: true } },
  },
  {
    name: "addColumn NOT NULL with a constant default",
    via: "alter",
    op: { kind: "addColumn", table: "users", column: { name: "score", type: "integer", nullable: false, default: "0" } },
    check: async (_after, conn) => expect(await conn.query(`SELECT "score" FROM "users"`)).toEqual([{ score: 0 }, { score: 0 }]),
  },
  {
    name: "addColumn enum with inline CHECK",
    via: "alter",
    op: {
      kind: "addColumn",
      table: "posts",
      column: { name: "status", type: "varchar", enumValues: ["draft", "done"], nullable: false, default: "'draft'" },
    },
    check: (after) => expect(columnOf(after, "posts", "status")?.enumValues).toEqual(["draft", "done"]),
  },
  {
    name: "addColumn NOT NULL with a non-constant default rebuilds",
    via: "rebuild",
    op: { kind: "addColumn", table: "posts", column: { name: "created", type: "datetime", nullable: false, default: "datetime('now')" } },
    check: async (_after, conn) => {
      const rows = await conn.query<{ created: string }>(`SELECT "created" FROM "posts"`);
      expect(rows.every((r) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(r.created))).toBe(true);
    },
  },
  {
    name: "addColumn NOT NULL without default rebuilds (empty table)",
    via: "rebuild",
    op: { kind: "addColumn", table: "settings", column: { name: "scope", type: "varchar", length: 20, nullable: false } },
  },
  {
    name: "dropColumn of a plain column",
    via: "alter",
    op: { kind: "dropColumn", table: "posts", column: { name: "body", type: "text", nullable: true } },
  },
  {
    name: "dropColumn of an indexed column rebuilds and drops the index",
    via: "rebuild",
    op: { kind: "dropColumn", table: "users", column: { name: "name", type: "varchar", nullable: true } },
    check: (after) => expect(tableOf(after, "users").indexes).toEqual([]),
  },
  {
    name: "dropColumn of an enum column (its own inline CHECK goes with it)",
    via: "alter",
    op: {
      kind: "dropColumn",
      table: "users",
      column: { name: "role", type: "varchar", enumValues: ["admin", "member"], nullable: false, default: "'member'" },
    },
  },
  {
    name: "dropColumn of a foreign-key column rebuilds",
    via: "rebuild",
    op: { kind: "dropColumn", table: "posts", column: { name: "author_id", type: "integer", nullable: false } },
    check: (after) => expect(tableOf(after, "posts").foreignKeys).toEqual([]),
  },
  {
    name: "renameColumn carries the index along",
    via: "alter",
    op: { kind: "renameColumn", table: "users", from: "name", to: "full_name" },
    check: (after) => expect(tableOf(after, "users").indexes[0]!.columns).toEqual(["full_name"]),
  },
  {
    name: "alterColumn type and length",
    via: "rebuild",
    op: {
      kind: "alterColumn",
      table: "users",
      column: "email",
      changes: { type: { from: { type: "varchar", length: 100 }, to: { type: "varchar", length: 255 } } },
    },
    check: async (after, conn) => {
      expect(columnOf(after, "users", "email")).toMatchObject({ type: "varchar", length: 255 });
      expect(await conn.query(`SELECT "email" FROM "users" ORDER BY "id"`)).toEqual([{ email: "a@x" }, { email: "b@x" }]);
    },
  },
  {
    name: "alterColumn default",
    via: "rebuild",
    op: { kind: "alterColumn", table: "users", column: "role", changes: { default: { from: "'member'", to: "'admin'" } } },
  },
  {
    name: "alterColumn enum values",
    via: "rebuild",
    op: {
      kind: "alterColumn",
      table: "users",
      column: "role",
      changes: {
        type: {
          from: { type: "varchar", enumValues: ["admin", "member"] },
          to: { type: "varchar", enumValues: ["admin", "member", "guest"] },
        },
      },
    },
    check: async (_after, conn) => {
      await conn.query(`UPDATE "users" SET "role" = 'guest' WHERE "id" = 2`);
      await expect(conn.query(`UPDATE "users" SET "role" = 'nobody'`)).rejects.toThrow(/CHECK/);
    },
  },
  {
    name: "alterColumn comment only needs no statement",
    via: "statements",
    op: { kind: "alterColumn", table: "users", column: "age", changes: { comment: { from: null, to: "years" } } },
  },
  {
    name: "createPrimaryKey",
    via: "rebuild",
    op: { kind: "createPrimaryKey", table: "settings", primaryKey: { columns: ["key"] } },
  },
  {
    name: "dropPrimaryKey",
    via: "rebuild",
    op: { kind: "dropPrimaryKey", table: "post_tags", primaryKey: { columns: ["post_id", "tag"] } },
    check: (after) => expect(tableOf(after, "post_tags").primaryKey).toBeUndefined(),
  },
  {
    name: "createIndex unique partial",
    via: "alter",
    op: {
      kind: "createIndex",
      table: "posts",
      index: { name: "IDX_posts_title", columns: ["title", "author_id"], unique: true, where: `"body" IS NOT NULL` },
    },
  },
  {
    name: "dropIndex",
    via: "alter",
    op: { kind: "dropIndex", table: "users", index: { name: "IDX_users_name", columns: ["name"], unique: false } },
  },
  {
    name: "createForeignKey",
    via: "rebuild",
    op: {
      kind: "createForeignKey",
      table: "post_tags",
      foreignKey: {
        name: "FK_post_tags_post",
        columns: ["post_id"],
        referencedTable: "posts",
        referencedColumns: ["id"],
        onDelete: "CASCADE",
        onUpdate: "NO ACTION",
        deferrable: "INITIALLY DEFERRED",
      },
    },
    check: async (_after, conn) => {
      await conn.query(`DELETE FROM "posts" WHERE "id" = 1`);
      expect(await conn.query(`SELECT "tag" FROM "post_tags"`)).toEqual([{ tag: "misc" }]);
    },
  },
  {
    name: "dropForeignKey",
    via: "rebuild",
    op: { kind: "dropForeignKey", table: "posts", foreignKey: POSTS.foreignKeys[0]! },
  },
  {
    name: "createUnique",
    via: "rebuild",
    op: { kind: "createUnique", table: "posts", unique: { name: "UQ_posts_title", columns: ["title"] } },
    check: async (_after, conn) => expect(conn.query(`UPDATE "posts" SET "title" = 'x'`)).rejects.toThrow(/UNIQUE/),
  },
  {
    name: "dropUnique",
    via: "rebuild",
    op: { kind: "dropUnique", table: "users", unique: { name: "UQ_users_email", columns: ["email"] } },
  },
  {
    name: "createCheck",
    via: "rebuild",
    op: { kind: "createCheck", table: "posts", check: { name: "CHK_posts_title", expression: `length("title") > 0` } },
  },
  {
    name: "dropCheck",
    via: "rebuild",
    op: { kind: "dropCheck", table: "users", check: { name: "CHK_users_age", expression: `"age" >= 0` } },
    check: async (_after, conn) => {
      await conn.query(`UPDATE "users" SET "age" = -1`);
    },
  },
  {
    name: "createEnum writes nothing",
    via: "statements",
    op: { kind: "createEnum", enum: { name: "mood", values: ["happy", "sad"] } },
  },
  {
    name: "execute for sqlite",
    via: "statements",
    op: { kind: "execute", sql: `UPDATE "users" SET "name" = 'X'; UPDATE "posts" SET "body" = 'Y'`, dialect: "sqlite" },
    check: async (_after, conn) => {
      expect(await conn.query(`SELECT DISTINCT "name" FROM "users"`)).toEqual([{ name: "X" }]);
      expect(await conn.query(`SELECT DISTINCT "body" FROM "posts"`)).toEqual([{ body: "Y" }]);
    },
  },
];

describe("renderOp: rendered, executed, introspected", () => {
  it.each(CASES)("$name", async ({ op, via, check }) => {
    const { conn, state } = await baseDatabase();
    const countsBefore = await rowCounts(conn, state);
    const statements = sqliteDialect.renderOp(op, state);
    if (via === "alter") {
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/^(ALTER TABLE|CREATE (UNIQUE )?INDEX|DROP INDEX)/);
    } else if (via === "rebuild") {
      expect(statements[0]).toMatch(/^CREATE TABLE "temporary_/);
    }
    await run(conn, sqliteDialect.beginTransaction());
    await run(conn, statements);
    await run(conn, sqliteDialect.commitTransaction());

    const after = await introspect(conn);
    expect(after).toEqual(sqliteDialect.normalizeSchema(applyOp(state, op)));
    // No rows lost in any table that still exists (a cascade in a check may delete later).
    const countsAfter = await rowCounts(conn, after);
    for (const [name, n] of Object.entries(countsAfter)) {
      const previous = op.kind === "renameTable" && name === op.to ? countsBefore[op.from] : countsBefore[name];
      expect(n, name).toBe(previous ?? 0);
    }
    await check?.(after, conn);
    await conn.close();
  });

  it("alterColumn NOT NULL with a default over a NULL fails, as on PostgreSQL (issue 7: no silent fill)", async () => {
    const { conn, state } = await baseDatabase();
    const op: Op = {
      kind: "alterColumn",
      table: "users",
      column: "age",
      changes: { nullable: { from: true, to: false }, default: { from: null, to: "0" } },
    };
    await run(conn, sqliteDialect.beginTransaction());
    await expect(run(conn, sqliteDialect.renderOp(op, state))).rejects.toThrow(/NOT NULL/);
    await run(conn, sqliteDialect.rollbackTransaction());
    expect(await conn.query(`SELECT "age" FROM "users" ORDER BY "id"`)).toEqual([{ age: 30 }, { age: null }]);
    await conn.close();
  });

  it("enum ops write nothing and execute respects its dialect", () => {
    const state: SchemaIR = { dialect: "sqlite", tables: [], enums: [] };
    expect(sqliteDialect.renderOp({ kind: "dropEnum", enum: { name: "m", values: ["a"] } }, state)).toEqual([]);
    expect(sqliteDialect.renderOp({ kind: "alterEnum", name: "m", values: { from: ["a"], to: ["a", "b"] } }, state)).toEqual([]);
    expect(sqliteDialect.renderOp({ kind: "execute", sql: "SELECT 1", dialect: "postgres" }, state)).toEqual([]);
    expect(sqliteDialect.renderOp({ kind: "execute", sql: "SELECT 1" }, state)).toEqual(["SELECT 1"]);
  });

  it("refuses AUTOINCREMENT outside a single-column primary key, naming the column", () => {
    const op: Op = {
      kind: "createTable",
      table: table("bad", { columns: [{ name: "id", type: "integer", nullable: false, generated: "increment" }] }),
    };
    expect(() => sqliteDialect.renderOp(op, { dialect: "sqlite", tables: [], enums: [] })).toThrow(/"bad\.id"/);
  });

  it("writes a hand-written revision's TypeORM vocabulary as TypeORM would", () => {
    const state: SchemaIR = { dialect: "sqlite", tables: [], enums: [] };
    const op: Op = {
      kind: "createTable",
      table: table("t", {
        columns: [
          { name: "id", type: "int", nullable: false, generated: "increment", comment: "ignored" },
          { name: "kind", type: "simple-enum", length: 10, enumValues: ["a", "b"], nullable: false, default: "'a'" },
          { name: "ok", type: "boolean", nullable: false, default: "true" },
          { name: "meta", type: "simple-json", nullable: true },
        ],
        primaryKey: { name: "PK_t", columns: ["id"] },
      }),
    };
    expect(sqliteDialect.renderOp(op, state)).toEqual([
      `CREATE TABLE "t" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" varchar CHECK( "kind" IN ('a','b') ) NOT NULL DEFAULT ('a'), "ok" boolean NOT NULL DEFAULT (1), "meta" text)`,
    ]);
  });

  it("names the missing table when a rebuild has no state for it", () => {
    const op: Op = { kind: "createUnique", table: "ghost", unique: { name: "UQ", columns: ["a"] } };
    expect(() => sqliteDialect.renderOp(op, { dialect: "sqlite", tables: [], enums: [] })).toThrow(/"ghost"/);
  });
});

describe("table rebuild", () => {
  it("writes the documented statement sequence", () => {
    const state: SchemaIR = { dialect: "sqlite", tables: [SETTINGS], enums: [] };
    const op: Op = { kind: "createPrimaryKey", table: "settings", primaryKey: { columns: ["key"] } };
    expect(sqliteDialect.renderOp(op, state)).toEqual([
      `CREATE TABLE "temporary_settings" ("key" varchar PRIMARY KEY NOT NULL, "value" text)`,
      `INSERT INTO "temporary_settings"("key", "value") SELECT "key", "value" FROM "settings"`,
      `DROP TABLE "settings"`,
      "PRAGMA legacy_alter_table = ON",
      `ALTER TABLE "temporary_settings" RENAME TO "settings"`,
      "PRAGMA legacy_alter_table = OFF",
    ]);
  });

  it("keeps every row, index and foreign key (both directions) through type, length and nullability changes", async () => {
    const { conn, state } = await baseDatabase();
    await conn.query(
      `WITH RECURSIVE s(v) AS (SELECT 3 UNION ALL SELECT v + 1 FROM s WHERE v < 40) ` +
        `INSERT INTO "users" ("email", "name", "role", "age") SELECT 'u' || v || '@x', 'n' || v, 'member', v FROM s`,
    );
    const usersBefore = await conn.query(`SELECT * FROM "users" ORDER BY "id"`);
    const postsBefore = await conn.query(`SELECT * FROM "posts" ORDER BY "id"`);

    const ops: Op[] = [
      {
        kind: "alterColumn",
        table: "users",
        column: "email",
        changes: { type: { from: { type: "varchar", length: 100 }, to: { type: "varchar", length: 300 } } },
      },
      { kind: "alterColumn", table: "users", column: "name", changes: { type: { from: { type: "varchar" }, to: { type: "text" } } } },
      { kind: "alterColumn", table: "users", column: "email", changes: { nullable: { from: false, to: true } } },
    ];
    let current = state;
    await run(conn, sqliteDialect.beginTransaction());
    for (const op of ops) {
      await run(conn, sqliteDialect.renderOp(op, current));
      current = applyOp(current, op);
    }
    await run(conn, sqliteDialect.commitTransaction());

    const after = await introspect(conn);
    expect(after).toEqual(sqliteDialect.normalizeSchema(current));
    const users = tableOf(after, "users");
    expect(users.indexes).toEqual([{ name: "IDX_users_name", columns: ["name"], unique: false }]);
    expect(users.uniques).toEqual([{ name: "UQ_users_email", columns: ["email"] }]);
    expect(users.columns.find((c) => c.name === "id")).toEqual({ name: "id", type: "integer", nullable: false, generated: "increment" });
    expect(tableOf(after, "posts").foreignKeys).toEqual(POSTS.foreignKeys);

    expect(await conn.query(`SELECT * FROM "users" ORDER BY "id"`)).toEqual(usersBefore);
    expect(await conn.query(`SELECT * FROM "posts" ORDER BY "id"`)).toEqual(postsBefore);
    expect(await conn.query("PRAGMA foreign_key_check")).toEqual([]);
    // The child's foreign key still points at the rebuilt parent and still cascades.
    await conn.query(`DELETE FROM "users" WHERE "id" = 1`);
    expect(await conn.query(`SELECT "id" FROM "posts"`)).toEqual([{ id: 2 }]);
    // AUTOINCREMENT continues after the highest id it had handed out.
    await conn.query(`INSERT INTO "users" ("email", "role") VALUES ('new@x', 'admin')`);
    expect(await conn.query(`SELECT max("id") AS id FROM "users"`)).toEqual([{ id: 41 }]);
    await conn.close();
  });

  it("rebuilds a self-referencing table", async () => {
    counter += 1;
    const conn = await sqliteDialect.connect(sqliteUrl(dir, `render${counter}.sqlite`));
    await conn.query(
      `CREATE TABLE "node" ("id" integer PRIMARY KEY NOT NULL, "parent" integer, "label" varchar(10), CONSTRAINT "FK_node_parent" FOREIGN KEY ("parent") REFERENCES "node" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await conn.query(`INSERT INTO "node" VALUES (1, NULL, 'root'), (2, 1, 'child')`);
    const state = await introspect(conn);
    const op: Op = {
      kind: "alterColumn",
      table: "node",
      column: "label",
      changes: { type: { from: { type: "varchar", length: 10 }, to: { type: "varchar", length: 50 } } },
    };
    await run(conn, sqliteDialect.beginTransaction());
    await run(conn, sqliteDialect.renderOp(op, state));
    await run(conn, sqliteDialect.commitTransaction());
    expect(await introspect(conn)).toEqual(sqliteDialect.normalizeSchema(applyOp(state, op)));
    await conn.query(`DELETE FROM "node" WHERE "id" = 1`);
    expect(await conn.query(`SELECT count(*) AS n FROM "node"`)).toEqual([{ n: 0 }]);
    await conn.close();
  });
});
