/**
 * Every Op kind on real PostgreSQL: render it against the current state, run it, read
 * the schema back, and compare with the IR the op should have produced. Also: data
 * survives type changes, serial/identity changes do not collide with existing rows, and
 * execute ops respect their dialect.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbConnection } from "../src/dialects/dialect.js";
import { postgresDialect as pg } from "../src/dialects/postgres/index.js";
import { renderOp as renderPostgresOp } from "../src/dialects/postgres/render.js";
import type { Op } from "../src/ops/ops.js";
import type { ColumnIR, SchemaIR, TableIR } from "../src/schema/ir.js";
import { createPgDatabase, pgAvailable, queryEach, type TestPgDatabase } from "./helpers/databases.js";

const PG = await pgAvailable();

const USERS: TableIR = {
  name: "users",
  columns: [
    { name: "id", type: "integer", nullable: false, generated: "increment" },
    { name: "name", type: "varchar", length: 100, nullable: false },
    { name: "email", type: "varchar", length: 255, nullable: true, comment: "login" },
    { name: "notes", type: "text", nullable: true },
  ],
  primaryKey: { name: "PK_users", columns: ["id"] },
  foreignKeys: [],
  uniques: [{ name: "UQ_users_email", columns: ["email"] }],
  indexes: [{ name: "IDX_users_name", columns: ["name"], unique: false }],
  checks: [{ name: "CHK_users_name", expression: `"name" <> ''` }],
  comment: "people",
};

const POSTS: TableIR = {
  name: "posts",
  columns: [
    { name: "id", type: "integer", nullable: false, generated: "identity", identity: "ALWAYS" },
    { name: "user_id", type: "integer", nullable: false },
    { name: "title", type: "text", nullable: false, default: "'untitled'" },
    { name: "mood", type: "enum", enumName: "mood", enumValues: ["happy", "sad"], nullable: true, default: "'happy'" },
    { name: "code", type: "varchar", length: 20, nullable: true },
  ],
  primaryKey: { name: "PK_posts", columns: ["id"] },
  foreignKeys: [
    {
      name: "FK_posts_user",
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

const BASE_OPS: Op[] = [
  { kind: "createEnum", enum: { name: "mood", values: ["happy", "sad"] } },
  { kind: "createTable", table: USERS },
  { kind: "createTable", table: POSTS },
];

const SEED = `
INSERT INTO users (name, email) VALUES ('ann', 'ann@x'), ('bob', NULL);
INSERT INTO posts (user_id, title, mood, code) VALUES (1, 'hello', 'sad', '42'), (2, 'world', DEFAULT, '7');
`;

/** Helpers for writing the expected IR as an edit of the base IR. */
function tableOf(s: SchemaIR, name: string): TableIR {
  const t = s.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
}
function columnOf(s: SchemaIR, table: string, name: string): ColumnIR {
  const c = tableOf(s, table).columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${table}.${name}`);
  return c;
}
function setEnum(s: SchemaIR, name: string, values: string[]): void {
  s.enums.find((e) => e.name === name)!.values = values;
  for (const t of s.tables) for (const c of t.columns) if (c.enumName === name) c.enumValues = values;
}

interface OpCase {
  name: string;
  ops: Op[];
  /** Edits a copy of the base IR into what the database must look like afterwards. */
  expected: (s: SchemaIR) => void;
  /** Data checks after the ops ran. */
  verify?: (conn: DbConnection) => Promise<void>;
}

const rows = async (conn: DbConnection, sql: string) => conn.query<Record<string, unknown>>(sql);

const CASES: OpCase[] = [
  {
    name: "createTable with every column feature, inline FK, indexes and comments",
    ops: [
      {
        kind: "createTable",
        table: {
          name: "things",
          columns: [
            { name: "id", type: "bigint", nullable: false, generated: "identity", identity: "BY DEFAULT" },
            { name: "parent_id", type: "bigint", nullable: true },
            { name: "owner_id", type: "integer", nullable: true },
            { name: "label", type: "varchar", length: 30, nullable: false, default: "'x'", collation: "C" },
            { name: "price", type: "numeric", precision: 8, scale: 2, nullable: true, default: "1.50" },
            { name: "shout", type: "text", nullable: true, computed: { expression: "upper(label)", stored: true } },
            { name: "tags", type: "text", array: true, nullable: false, default: "'{}'" },
            { name: "moods", type: "enum", enumName: "mood", enumValues: ["happy", "sad"], array: true, nullable: true },
            { name: "at", type: "timestamptz", precision: 3, nullable: true, default: "now()" },
            { name: "doc", type: "jsonb", nullable: true, comment: "it's json" },
          ],
          primaryKey: { name: "PK_things", columns: ["id"] },
          foreignKeys: [
            {
              name: "FK_things_parent",
              columns: ["parent_id"],
              referencedTable: "things",
              referencedColumns: ["id"],
              onDelete: "SET NULL",
              onUpdate: "NO ACTION",
            },
            {
              name: "FK_things_owner",
              columns: ["owner_id"],
              referencedTable: "users",
              referencedColumns: ["id"],
              onDelete: "NO ACTION",
              onUpdate: "CASCADE",
              deferrable: "INITIALLY DEFERRED",
            },
          ],
          uniques: [{ name: "UQ_things_label_owner", columns: ["label", "owner_id"] }],
          indexes: [
            { name: "IDX_things_doc", columns: ["doc"], unique: false, method: "gin" },
            { name: "IDX_things_lower", columns: ["lower(label)"], unique: true, where: "parent_id is null" },
          ],
          checks: [{ name: "CHK_things_price", expression: "price >= 0" }],
          comment: "stuff",
        },
      },
    ],
    expected: (s) => {
      const [op] = CASES[0]!.ops as [Extract<Op, { kind: "createTable" }>];
      s.tables.push(structuredClone(op.table));
    },
  },
  {
    name: "dropTable",
    ops: [{ kind: "dropTable", table: POSTS }],
    expected: (s) => {
      s.tables = s.tables.filter((t) => t.name !== "posts");
    },
  },
  {
    name: "renameTable keeps the serial sequence working",
    ops: [{ kind: "renameTable", from: "users", to: "members" }],
    expected: (s) => {
      tableOf(s, "users").name = "members";
      tableOf(s, "posts").foreignKeys[0]!.referencedTable = "members";
    },
    verify: async (conn) => {
      expect(await rows(conn, `SELECT pg_get_serial_sequence('members', 'id') AS seq`)).toEqual([{ seq: "public.members_id_seq" }]);
      expect(await rows(conn, `INSERT INTO members (name) VALUES ('cy') RETURNING id`)).toEqual([{ id: 3 }]);
    },
  },
  {
    name: "addColumn with default, NOT NULL and comment",
    ops: [
      { kind: "addColumn", table: "users", column: { name: "age", type: "smallint", nullable: false, default: "18", comment: "years" } },
    ],
    expected: (s) => {
      tableOf(s, "users").columns.push({ name: "age", type: "smallint", nullable: false, default: "18", comment: "years" });
    },
    verify: async (conn) => {
      expect(await rows(conn, `SELECT age FROM users ORDER BY id`)).toEqual([{ age: 18 }, { age: 18 }]);
    },
  },
  {
    name: "addColumn serial",
    ops: [{ kind: "addColumn", table: "posts", column: { name: "n", type: "bigint", nullable: false, generated: "increment" } }],
    expected: (s) => {
      tableOf(s, "posts").columns.push({ name: "n", type: "bigint", nullable: false, generated: "increment" });
    },
  },
  {
    name: "dropColumn",
    ops: [{ kind: "dropColumn", table: "users", column: USERS.columns[3]! }],
    expected: (s) => {
      tableOf(s, "users").columns.splice(3, 1);
    },
  },
  {
    name: "renameColumn (serial column keeps its sequence)",
    ops: [
      { kind: "renameColumn", table: "users", from: "email", to: "mail" },
      { kind: "renameColumn", table: "users", from: "id", to: "user_id" },
    ],
    expected: (s) => {
      columnOf(s, "users", "email").name = "mail";
      columnOf(s, "users", "id").name = "user_id";
      const users = tableOf(s, "users");
      users.uniques[0]!.columns = ["mail"];
      users.primaryKey!.columns = ["user_id"];
      tableOf(s, "posts").foreignKeys[0]!.referencedColumns = ["user_id"];
    },
    verify: async (conn) => {
      expect(await rows(conn, `SELECT pg_get_serial_sequence('users', 'user_id') AS seq`)).toEqual([{ seq: "public.users_user_id_seq" }]);
    },
  },
  {
    name: "alterColumn type varchar -> integer with USING keeps values",
    ops: [
      {
        kind: "alterColumn",
        table: "posts",
        column: "code",
        changes: { type: { from: { type: "varchar", length: 20 }, to: { type: "integer" } } },
      },
    ],
    expected: (s) => {
      const c = columnOf(s, "posts", "code");
      c.type = "integer";
      delete c.length;
    },
    verify: async (conn) => {
      expect(await rows(conn, `SELECT code FROM posts ORDER BY id`)).toEqual([{ code: 42 }, { code: 7 }]);
    },
  },
  {
    name: "alterColumn type text -> enum with a default in the way",
    ops: [
      { kind: "execute", sql: "UPDATE posts SET title = 'happy'" },
      { kind: "alterColumn", table: "posts", column: "title", changes: { default: { from: "'untitled'", to: null } } },
      { kind: "alterColumn", table: "posts", column: "title", changes: { default: { from: null, to: "'sad'" } } },
      {
        kind: "alterColumn",
        table: "posts",
        column: "title",
        changes: { type: { from: { type: "text" }, to: { type: "enum", enumName: "mood", enumValues: ["happy", "sad"] } } },
      },
    ],
    expected: (s) => {
      Object.assign(columnOf(s, "posts", "title"), { type: "enum", enumName: "mood", enumValues: ["happy", "sad"], default: "'sad'" });
    },
    verify: async (conn) => {
      await conn.query(`UPDATE posts SET title = 'sad'`); // the column now only takes enum values
      await expect(conn.query(`UPDATE posts SET title = 'hello'`)).rejects.toThrow(/invalid input value for enum/);
    },
  },
  {
    name: "alterColumn type with USING for enum arrays and numeric precision",
    ops: [
      { kind: "addColumn", table: "posts", column: { name: "moods", type: "text", array: true, nullable: true } },
      {
        kind: "alterColumn",
        table: "posts",
        column: "moods",
        changes: {
          type: { from: { type: "text", array: true }, to: { type: "enum", enumName: "mood", enumValues: ["happy", "sad"], array: true } },
        },
      },
      { kind: "addColumn", table: "posts", column: { name: "score", type: "numeric", precision: 5, scale: 1, nullable: true } },
      {
        kind: "alterColumn",
        table: "posts",
        column: "score",
        changes: { type: { from: { type: "numeric", precision: 5, scale: 1 }, to: { type: "numeric", precision: 12, scale: 3 } } },
      },
    ],
    expected: (s) => {
      const posts = tableOf(s, "posts");
      posts.columns.push({ name: "moods", type: "enum", enumName: "mood", enumValues: ["happy", "sad"], array: true, nullable: true });
      posts.columns.push({ name: "score", type: "numeric", precision: 12, scale: 3, nullable: true });
    },
  },
  {
    name: "alterColumn nullability both ways",
    ops: [
      { kind: "execute", sql: "UPDATE users SET notes = 'n/a'" },
      { kind: "alterColumn", table: "users", column: "name", changes: { nullable: { from: false, to: true } } },
      { kind: "alterColumn", table: "users", column: "notes", changes: { nullable: { from: true, to: false } } },
    ],
    expected: (s) => {
      columnOf(s, "users", "name").nullable = true;
      columnOf(s, "users", "notes").nullable = false;
    },
    verify: async (conn) => {
      await expect(conn.query(`INSERT INTO users (name) VALUES ('x')`)).rejects.toThrow(/null value in column "notes"/);
    },
  },
  {
    name: "alterColumn default set and drop",
    ops: [
      { kind: "alterColumn", table: "users", column: "notes", changes: { default: { from: null, to: "'n/a'" } } },
      { kind: "alterColumn", table: "posts", column: "title", changes: { default: { from: "'untitled'", to: null } } },
    ],
    expected: (s) => {
      columnOf(s, "users", "notes").default = "'n/a'";
      delete columnOf(s, "posts", "title").default;
    },
  },
  {
    name: "alterColumn identity -> none -> serial, and identity kind",
    ops: [
      { kind: "alterColumn", table: "posts", column: "id", changes: { identity: { from: "ALWAYS", to: "BY DEFAULT" } } },
      {
        kind: "alterColumn",
        table: "posts",
        column: "id",
        changes: { generated: { from: "identity", to: null }, identity: { from: "BY DEFAULT", to: null } },
      },
      { kind: "alterColumn", table: "posts", column: "id", changes: { generated: { from: null, to: "increment" } } },
    ],
    expected: (s) => {
      const c = columnOf(s, "posts", "id");
      c.generated = "increment";
      delete c.identity;
    },
    verify: async (conn) => {
      // the new sequence starts after the rows that are already there
      expect(await rows(conn, `INSERT INTO posts (user_id) VALUES (1) RETURNING id`)).toEqual([{ id: 3 }]);
    },
  },
  {
    name: "alterColumn serial -> none -> identity",
    ops: [
      { kind: "alterColumn", table: "users", column: "id", changes: { generated: { from: "increment", to: null } } },
      {
        kind: "alterColumn",
        table: "users",
        column: "id",
        changes: { generated: { from: null, to: "identity" }, identity: { from: null, to: "ALWAYS" } },
      },
    ],
    expected: (s) => {
      Object.assign(columnOf(s, "users", "id"), { generated: "identity", identity: "ALWAYS" });
    },
    verify: async (conn) => {
      // the serial sequence is gone; the one left is the identity's own
      expect(await rows(conn, `SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'S' AND relname LIKE 'users%'`)).toEqual([{ n: 1 }]);
      expect(await rows(conn, `SELECT attidentity FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'id'`)).toEqual([
        { attidentity: "a" },
      ]);
      expect(await rows(conn, `INSERT INTO users (name) VALUES ('cy') RETURNING id`)).toEqual([{ id: 3 }]);
    },
  },
  {
    name: "alterColumn integer -> bigint on a serial column widens its sequence",
    ops: [{ kind: "alterColumn", table: "users", column: "id", changes: { type: { from: { type: "integer" }, to: { type: "bigint" } } } }],
    expected: (s) => {
      columnOf(s, "users", "id").type = "bigint";
    },
    verify: async (conn) => {
      expect(
        await rows(conn, `SELECT format_type(seqtypid, NULL) AS t FROM pg_sequence WHERE seqrelid = 'users_id_seq'::regclass`),
      ).toEqual([{ t: "bigint" }]);
    },
  },
  {
    name: "alterColumn comment and collation",
    ops: [
      { kind: "alterColumn", table: "users", column: "email", changes: { comment: { from: "login", to: null } } },
      {
        kind: "alterColumn",
        table: "users",
        column: "notes",
        changes: { comment: { from: null, to: "free text" }, collation: { from: null, to: "C" } },
      },
    ],
    expected: (s) => {
      delete columnOf(s, "users", "email").comment;
      Object.assign(columnOf(s, "users", "notes"), { comment: "free text", collation: "C" });
    },
  },
  {
    name: "drop and create primary key",
    ops: [
      { kind: "dropPrimaryKey", table: "posts", primaryKey: { name: "PK_posts", columns: ["id"] } },
      { kind: "createPrimaryKey", table: "posts", primaryKey: { name: "PK_posts_2", columns: ["id", "user_id"] } },
      { kind: "dropPrimaryKey", table: "posts", primaryKey: { columns: ["id", "user_id"] } },
      { kind: "createPrimaryKey", table: "posts", primaryKey: { columns: ["user_id", "id"] } },
    ],
    expected: (s) => {
      tableOf(s, "posts").primaryKey = { name: "posts_pkey", columns: ["user_id", "id"] };
    },
  },
  {
    name: "createIndex unique/partial/method/expression and dropIndex",
    ops: [
      { kind: "dropIndex", table: "users", index: USERS.indexes[0]! },
      {
        kind: "createIndex",
        table: "users",
        index: { name: "IDX_users_name_email", columns: ["email", "name"], unique: true, where: `"email" IS NOT NULL` },
      },
      { kind: "createIndex", table: "users", index: { name: "IDX_users_notes", columns: ["notes"], unique: false, method: "hash" } },
      { kind: "createIndex", table: "users", index: { name: "IDX_users_lower", columns: ["lower(name)"], unique: false } },
    ],
    expected: (s) => {
      tableOf(s, "users").indexes = [
        { name: "IDX_users_name_email", columns: ["email", "name"], unique: true, where: `"email" IS NOT NULL` },
        { name: "IDX_users_notes", columns: ["notes"], unique: false, method: "hash" },
        { name: "IDX_users_lower", columns: ["lower(name)"], unique: false },
      ];
    },
  },
  {
    name: "drop and create foreign keys (an unnamed drop finds its name in the state)",
    ops: [
      { kind: "dropForeignKey", table: "posts", foreignKey: { ...POSTS.foreignKeys[0]!, name: undefined } as never },
      {
        kind: "createForeignKey",
        table: "posts",
        foreignKey: {
          name: "FK_posts_user_2",
          columns: ["user_id"],
          referencedTable: "users",
          referencedColumns: ["id"],
          onDelete: "RESTRICT",
          onUpdate: "SET NULL",
          deferrable: "INITIALLY IMMEDIATE",
        },
      },
      {
        kind: "createForeignKey",
        table: "posts",
        foreignKey: { columns: ["id"], referencedTable: "posts", referencedColumns: ["id"], onDelete: "NO ACTION", onUpdate: "NO ACTION" },
      },
    ],
    expected: (s) => {
      tableOf(s, "posts").foreignKeys = [
        {
          name: "FK_posts_user_2",
          columns: ["user_id"],
          referencedTable: "users",
          referencedColumns: ["id"],
          onDelete: "RESTRICT",
          onUpdate: "SET NULL",
          deferrable: "INITIALLY IMMEDIATE",
        },
        {
          name: "posts_id_fkey",
          columns: ["id"],
          referencedTable: "posts",
          referencedColumns: ["id"],
          onDelete: "NO ACTION",
          onUpdate: "NO ACTION",
        },
      ];
    },
  },
  {
    name: "drop and create unique constraints",
    ops: [
      { kind: "dropUnique", table: "users", unique: { columns: ["email"] } },
      { kind: "createUnique", table: "users", unique: { name: "UQ_users_name_email", columns: ["name", "email"] } },
    ],
    expected: (s) => {
      tableOf(s, "users").uniques = [{ name: "UQ_users_name_email", columns: ["name", "email"] }];
    },
  },
  {
    name: "drop and create check constraints",
    ops: [
      { kind: "dropCheck", table: "users", check: { expression: `"name" <> ''` } },
      { kind: "createCheck", table: "users", check: { name: "CHK_users_email", expression: `email LIKE '%@%'` } },
      { kind: "createCheck", table: "posts", check: { expression: `user_id > 0` } },
    ],
    expected: (s) => {
      tableOf(s, "users").checks = [{ name: "CHK_users_email", expression: `email like '%@%'` }];
      tableOf(s, "posts").checks = [{ name: "posts_user_id_check", expression: "user_id > 0" }];
    },
  },
  {
    name: "createEnum and dropEnum",
    ops: [
      { kind: "createEnum", enum: { name: "color", values: ["red", "green's"] } },
      { kind: "createEnum", enum: { name: "gone", values: ["x"] } },
      { kind: "dropEnum", enum: { name: "gone", values: ["x"] } },
    ],
    expected: (s) => {
      s.enums.push({ name: "color", values: ["red", "green's"] });
    },
  },
  {
    name: "alterEnum adding values in the middle and at the end",
    ops: [{ kind: "alterEnum", name: "mood", values: { from: ["happy", "sad"], to: ["calm", "happy", "meh", "sad", "angry"] } }],
    expected: (s) => setEnum(s, "mood", ["calm", "happy", "meh", "sad", "angry"]),
  },
  {
    name: "alterEnum removing and reordering values moves the columns over",
    ops: [
      {
        kind: "addColumn",
        table: "users",
        column: { name: "moods", type: "enum", enumName: "mood", array: true, nullable: true, default: "'{happy}'" },
      },
      { kind: "alterEnum", name: "mood", values: { from: ["happy", "sad"], to: ["sad", "happy", "bored"] } },
      { kind: "alterEnum", name: "mood", values: { from: ["sad", "happy", "bored"], to: ["happy", "bored"] } },
    ],
    expected: (s) => {
      tableOf(s, "users").columns.push({
        name: "moods",
        type: "enum",
        enumName: "mood",
        array: true,
        nullable: true,
        default: "'{happy}'",
      });
      // the default 'happy' survives; 'sad' rows were updated out of the way below
      setEnum(s, "mood", ["happy", "bored"]);
    },
  },
  {
    name: "execute runs PostgreSQL SQL and skips other dialects",
    ops: [
      { kind: "execute", sql: "UPDATE users SET notes = 'touched'" },
      { kind: "execute", sql: "THIS IS NOT SQL", dialect: "sqlite" },
      { kind: "execute", sql: "UPDATE users SET name = upper(name)", dialect: "postgres" },
    ],
    expected: () => {},
    verify: async (conn) => {
      expect(await rows(conn, `SELECT name, notes FROM users ORDER BY id`)).toEqual([
        { name: "ANN", notes: "touched" },
        { name: "BOB", notes: "touched" },
      ]);
    },
  },
  {
    name: "createExtension, an exclusion constraint that needs it, then both dropped again",
    ops: [
      { kind: "createExtension", extension: { name: "btree_gist" } },
      {
        kind: "createExclusion",
        table: "posts",
        exclusion: { name: "XCL_posts_user_code", expression: `USING gist ("user_id" WITH =, "code" WITH =) WHERE ("code" IS NOT NULL)` },
      },
      { kind: "createExclusion", table: "posts", exclusion: { name: "XCL_gone", expression: "USING gist (id WITH =)" } },
      { kind: "dropExclusion", table: "posts", exclusion: { name: "XCL_gone", expression: "USING gist (id WITH =)" } },
    ],
    expected: (s) => {
      s.extensions = [{ name: "btree_gist" }];
      tableOf(s, "posts").exclusions = [
        { name: "XCL_posts_user_code", expression: "USING gist (user_id WITH =, code WITH =) WHERE (code IS NOT NULL)" },
      ];
    },
  },
  {
    name: "createView records TypeORM's metadata row; dropView removes view and row; a materialized view",
    ops: [
      {
        kind: "createTable",
        table: {
          name: "typeorm_metadata",
          columns: [
            { name: "type", type: "varchar", nullable: false },
            { name: "database", type: "varchar", nullable: true },
            { name: "schema", type: "varchar", nullable: true },
            { name: "table", type: "varchar", nullable: true },
            { name: "name", type: "varchar", nullable: true },
            { name: "value", type: "text", nullable: true },
          ],
          foreignKeys: [],
          uniques: [],
          indexes: [],
          checks: [],
        },
      },
      { kind: "createView", view: { name: "titles", expression: `SELECT "title", 'it''s' AS "q" FROM "posts"` } },
      { kind: "createView", view: { name: "gone", expression: "SELECT 1 AS one" } },
      { kind: "createView", view: { name: "title_counts", expression: `SELECT count(*) AS n FROM "titles"`, materialized: true } },
      { kind: "dropView", view: { name: "gone", expression: "SELECT 1 AS one" } },
    ],
    expected: (s) => {
      s.tables.push({
        name: "typeorm_metadata",
        columns: [
          { name: "type", type: "varchar", nullable: false },
          { name: "database", type: "varchar", nullable: true },
          { name: "schema", type: "varchar", nullable: true },
          { name: "table", type: "varchar", nullable: true },
          { name: "name", type: "varchar", nullable: true },
          { name: "value", type: "text", nullable: true },
        ],
        foreignKeys: [],
        uniques: [],
        indexes: [],
        checks: [],
      });
      s.views = [
        { name: "title_counts", expression: `SELECT count(*) AS n FROM "titles"`, materialized: true },
        { name: "titles", expression: `SELECT "title", 'it''s' AS "q" FROM "posts"` },
      ];
    },
    verify: async (conn) => {
      expect(await rows(conn, `SELECT "type", "schema", "name" FROM typeorm_metadata ORDER BY "name"`)).toEqual([
        { type: "MATERIALIZED_VIEW", schema: "public", name: "title_counts" },
        { type: "VIEW", schema: "public", name: "titles" },
      ]);
    },
  },
];

describe.skipIf(!PG)("postgres dialect renders every op", () => {
  let db: TestPgDatabase;
  let conn: DbConnection;
  let baseSql: string;
  let baseIr: SchemaIR;

  const introspect = () => pg.introspect(conn, { versionTable: "autogen_version" });

  async function reset(): Promise<void> {
    await queryEach(conn, `DROP SCHEMA public CASCADE; CREATE SCHEMA public; ${baseSql}; ${SEED}`);
  }

  async function run(ops: Op[]): Promise<string[]> {
    const sent: string[] = [];
    for (const op of ops) {
      const state = await introspect();
      for (const sql of pg.renderOp(op, state)) {
        sent.push(sql);
        await conn.query(sql);
      }
    }
    return sent;
  }

  beforeAll(async () => {
    db = await createPgDatabase("autogen_pg_ops");
    conn = await pg.connect(db.url);
    let state: SchemaIR = { dialect: "postgres", tables: [], enums: [] };
    const statements: string[] = [];
    for (const op of BASE_OPS) {
      statements.push(...pg.renderOp(op, state));
      state = pg.normalizeSchema({
        ...state,
        tables: op.kind === "createTable" ? [...state.tables, op.table] : state.tables,
        enums: op.kind === "createEnum" ? [...state.enums, op.enum] : state.enums,
      });
    }
    baseSql = statements.join(";\n");
    await reset();
    baseIr = await introspect();
  });
  afterAll(async () => {
    await conn?.close();
    await db?.drop();
  });

  it("createTable/createEnum ops build exactly the tables they describe", () => {
    expect(baseIr).toEqual(
      pg.normalizeSchema({ dialect: "postgres", tables: [USERS, POSTS], enums: [{ name: "mood", values: ["happy", "sad"] }] }),
    );
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    await reset();
    if (c.name.startsWith("alterEnum removing")) await conn.query(`UPDATE posts SET mood = 'happy'`);
    await run(c.ops);
    const expected = structuredClone(baseIr);
    c.expected(expected);
    expect(await introspect()).toEqual(pg.normalizeSchema(expected));
    await c.verify?.(conn);
  });

  it("alterColumn varchar(100) -> varchar(150) keeps existing rows", async () => {
    await reset();
    const before = await conn.query(`SELECT id, name FROM users ORDER BY id`);
    const sent = await run([
      {
        kind: "alterColumn",
        table: "users",
        column: "name",
        changes: { type: { from: { type: "varchar", length: 100 }, to: { type: "varchar", length: 150 } } },
      },
    ]);
    expect(sent).toEqual([`ALTER TABLE "users" ALTER COLUMN "name" TYPE varchar(150) USING "name"::varchar(150)`]);
    expect(await conn.query(`SELECT id, name FROM users ORDER BY id`)).toEqual(before);
    expect(before).toHaveLength(2);
    expect((await introspect()).tables.find((t) => t.name === "users")!.columns[1]).toEqual({
      name: "name",
      type: "varchar",
      length: 150,
      nullable: false,
    });
  });

  it("renders alterEnum additions as ADD VALUE in place (issue 7: no table rewrite), in order", () => {
    const sql = pg.renderOp(
      { kind: "alterEnum", name: "mood", values: { from: ["happy", "sad"], to: ["calm", "happy", "meh", "sad", "angry"] } },
      baseIr,
    );
    expect(sql).toEqual([
      `ALTER TYPE "mood" ADD VALUE 'calm' BEFORE 'happy'`,
      `ALTER TYPE "mood" ADD VALUE 'meh' BEFORE 'sad'`,
      `ALTER TYPE "mood" ADD VALUE 'angry' AFTER 'sad'`,
    ]);
  });

  it("renders alterEnum as a new type the columns move to when a later op uses an added value (it could not before commit)", () => {
    const op: Op = { kind: "alterEnum", name: "mood", values: { from: ["happy", "sad"], to: ["calm", "happy", "meh", "sad", "angry"] } };
    const later: Op[] = [{ kind: "alterColumn", table: "posts", column: "mood", changes: { default: { from: null, to: "'calm'" } } }];
    const sql = renderPostgresOp(op, baseIr, later);
    expect(sql[0]).toBe(`ALTER TYPE "mood" RENAME TO "mood_old"`);
    expect(sql[1]).toBe(`CREATE TYPE "mood" AS ENUM ('calm', 'happy', 'meh', 'sad', 'angry')`);
    expect(sql.at(-1)).toBe(`DROP TYPE "mood_old"`);
    // The one column using the type (posts.mood) moves over, through text, keeping its default.
    expect(sql.slice(2, -1).join("\n")).toMatch(/ALTER TABLE "posts" ALTER COLUMN "mood" TYPE "mood" USING "mood"::text::"mood"/);
    expect(sql.some((s) => /ADD VALUE/.test(s))).toBe(false);
  });

  it("renders alterEnum renames as RENAME VALUE, and removals as the rebuild", () => {
    expect(
      pg.renderOp(
        { kind: "alterEnum", name: "mood", values: { from: ["happy", "sad"], to: ["glad", "sad"] }, renames: { happy: "glad" } },
        baseIr,
      ),
    ).toEqual([`ALTER TYPE "mood" RENAME VALUE 'happy' TO 'glad'`]);
    const removal = pg.renderOp({ kind: "alterEnum", name: "mood", values: { from: ["happy", "sad"], to: ["happy"] } }, baseIr);
    expect(removal[0]).toBe(`ALTER TYPE "mood" RENAME TO "mood_old"`);
  });

  it("renders createTable as one statement in TypeORM's shape, then indexes and comments", () => {
    expect(pg.renderOp({ kind: "createTable", table: USERS }, { dialect: "postgres", tables: [], enums: [] })).toEqual([
      `CREATE TABLE "users" ("id" SERIAL NOT NULL, "name" varchar(100) NOT NULL, "email" varchar(255), "notes" text, ` +
        `CONSTRAINT "UQ_users_email" UNIQUE ("email"), CONSTRAINT "CHK_users_name" CHECK ("name" <> ''), ` +
        `CONSTRAINT "PK_users" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IDX_users_name" ON "users" ("name")`,
      `COMMENT ON TABLE "users" IS 'people'`,
      `COMMENT ON COLUMN "users"."email" IS 'login'`,
    ]);
  });

  it("refuses to drop a constraint it cannot name", () => {
    expect(() => pg.renderOp({ kind: "dropUnique", table: "users", unique: { columns: ["notes"] } }, baseIr)).toThrow(
      /unnamed unique constraint on table users/,
    );
  });
});
