/**
 * Model evolution, on every database (DATABASE_KINDS): the entity sets in fixtures/evolution/
 * step-1 … step-N are the changes a TypeORM user makes one after the other. For each step:
 * autogenerate a revision (the ops are the expected kinds: an alter stays an alter), upgrade,
 * the database equals the models (our introspector, and TypeORM's own schema builder has
 * nothing to do), a second autogenerate writes nothing, and the rows seeded so far are
 * unchanged except where the step means to change them.
 *
 * Then back down one revision at a time: after each downgrade the database is exactly as
 * it was after the previous step's upgrade (IR recorded on the way up), and the rows that
 * existed then are still there — except data the walked-back steps destroyed (a dropped
 * column comes back empty, a dropped table comes back without rows). Finally up again to
 * head from the first revision (columns the downgrade dropped come back with their default),
 * down to base (only the version table is left), and up to head once more.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { current, downgrade, revision, upgrade, Workspace } from "../src/api/index.js";
import { readDatabaseSchema, readTargetSchema } from "../src/autogenerate.js";
import type { RenameHints } from "../src/diff/types.js";
import type { Op } from "../src/ops/ops.js";
import type { DialectName, SchemaIR } from "../src/schema/ir.js";
import type { Dialect } from "../src/dialects/dialect.js";
import { DATABASE_KINDS, databaseKind } from "./helpers/databases.js";
import { createProject, REPO_ROOT, type TestProject } from "./helpers/project.js";
import { typeormPendingQueries } from "./helpers/typeorm-oracle.js";

/** A column value as the drivers return it (jsonb as an object, arrays as arrays). */
type Value = string | number | boolean | null | object;
type Row = Record<string, Value>;
/** Table name -> its rows (sorted by key), for every table of the schema. */
type DataSet = Record<string, Row[]>;

const stepEntities = (n: number) => path.join(REPO_ROOT, "fixtures/evolution", `step-${n}`, "*.ts");

/** The junction table TypeORM names for Post.tags. */
const POST_TAGS = "posts_tags_tags";

interface EvolutionStep {
  n: number;
  /**
   * The step's entities use PostgreSQL's own types (a named enum type, jsonb, text[]), and
   * so do the steps after it, which build on them: they run on PostgreSQL only, by design.
   */
  postgresTypes?: boolean;
  renames?: RenameHints;
  /**
   * The ops autogenerate must produce, as `kind table[.column]`; where they depend on the
   * database, from what its dialect declares (named enum types, named primary keys).
   */
  ops: string[] | ((dialect: Dialect) => string[]);
  /** What the upgrade means to do to rows that exist (tables created/dropped are handled generically). */
  up?: (data: DataSet) => void;
  /** What the downgrade does to rows that exist (likewise). */
  down?: (data: DataSet) => void;
  /** Rows inserted after the upgrade. */
  seed?: DataSet;
  /**
   * Rows the upgrade cannot take as they are: it must fail and roll back (schema, rows and
   * version unchanged) until `sql`, the data migration a user would run first, moved them.
   */
  upgradeBlocked?: DataFix;
  /** Likewise for the downgrade, blocked by rows written after the upgrade. */
  downgradeBlocked?: DataFix;
  /** Data the upgrade destroys, which its downgrade cannot bring back. */
  loses?: { columns?: string[]; tables?: string[] };
  /** Further checks on the upgraded database. */
  check?: (ctx: StepContext) => Promise<void>;
}

interface DataFix {
  sql: string;
  /** Where the migration is blocked (default: every database). */
  blockedOn?: (dialect: DialectName) => boolean;
  /** The fix's effect on a data set (tables or columns it names may be absent). */
  apply: (data: DataSet) => void;
}

interface StepContext {
  /** Runs one statement on the step's database. */
  query: (sql: string) => Promise<Array<Record<string, unknown>>>;
}

const renameKey = (rows: Row[] | undefined, from: string, to: string) => {
  for (const row of rows ?? []) {
    row[to] = row[from]!;
    delete row[from];
  }
};
const setColumn = (rows: Row[] | undefined, column: string, value: Value) => {
  for (const row of rows ?? []) row[column] = structuredClone(value);
};
const renameTable = (data: DataSet, from: string, to: string) => {
  data[to] = data[from] ?? [];
  delete data[from];
};
const dropKey = (rows: Row[] | undefined, column: string) => {
  for (const row of rows ?? []) delete row[column];
};

/** Whether the database refuses a value longer than its column's declared length (SQLite keeps it as it is). */
const enforcesLengths = (dialect: DialectName) => databaseKind(dialect).enforcesLengths;

/** Whether the database keeps a primary key's name (its normaliser leaves it on the IR). */
function keepsPrimaryKeyNames(dialect: Dialect): boolean {
  const table = { name: "t", columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { name: "PK_t", columns: ["id"] } };
  const schema = dialect.normalizeSchema({
    dialect: dialect.name,
    tables: [{ ...table, foreignKeys: [], uniques: [], indexes: [], checks: [] }],
    enums: [],
  });
  return schema.tables[0]?.primaryKey?.name === "PK_t";
}

const STEPS: EvolutionStep[] = [
  {
    n: 1,
    ops: (d) => [...(d.capabilities.enumTypes ? ["createEnum posts_status_enum"] : []), "createTable users", "createTable posts"],
    seed: {
      users: [
        { id: 1, email: "ada@example.com", name: "Ada" },
        { id: 2, email: "brian@example.com", name: "Brian O'Neil" },
      ],
      posts: [
        { id: 1, title: "Notes on the engine", body: "It weaves patterns.", status: "published", authorId: 1 },
        { id: 2, title: "Draft", body: "", status: "draft", authorId: 1 },
        { id: 3, title: "Hidden", body: "secret", status: "hidden", authorId: 2 },
      ],
    },
  },
  {
    n: 2,
    ops: ["addColumn users.bio"],
    up: (d) => setColumn(d.users, "bio", null),
    down: (d) => dropKey(d.users, "bio"),
    seed: { users: [{ id: 3, email: "cleo@example.com", name: "Cleo", bio: "Writes about 'quotes'." }] },
  },
  {
    n: 3,
    ops: ["addColumn posts.views"],
    up: (d) => setColumn(d.posts, "views", 0),
    down: (d) => dropKey(d.posts, "views"),
    seed: { posts: [{ id: 4, title: "Popular", body: "b", status: "published", views: 5, authorId: 3 }] },
  },
  {
    n: 4,
    ops: ["alterColumn posts.title"],
    seed: { posts: [{ id: 5, title: "t".repeat(180), body: "long title", status: "draft", views: 0, authorId: 2 }] },
    // Post 5's title does not fit varchar(100) again: PostgreSQL and MySQL (strict mode) refuse to cut it (SQLite
    // does not enforce lengths, so there the downgrade keeps it as it is).
    downgradeBlocked: {
      blockedOn: enforcesLengths,
      sql: `UPDATE posts SET title = substr(title, 1, 100) WHERE length(title) > 100`,
      apply: (d) => d.posts?.filter((p) => String(p.title).length > 100).forEach((p) => (p.title = String(p.title).slice(0, 100))),
    },
  },
  {
    n: 5,
    ops: ["alterColumn posts.status", "alterColumn posts.views"],
    check: async ({ query }) => {
      // The new defaults are the database's: a row that omits them gets them.
      await query(`INSERT INTO posts (id, title, body, "authorId") VALUES (99, 'defaults', 'x', 1)`);
      const [row] = await query(`SELECT status, views FROM posts WHERE id = 99`);
      await query(`DELETE FROM posts WHERE id = 99`);
      expect(row).toEqual({ status: "published", views: 1 });
    },
  },
  {
    n: 6,
    ops: ["alterColumn posts.body"],
    seed: { posts: [{ id: 6, title: "No body", body: null, status: "published", views: 2, authorId: 1 }] },
    // Post 6 has no body, which the NOT NULL the downgrade restores refuses.
    downgradeBlocked: {
      sql: `UPDATE posts SET body = '' WHERE body IS NULL`,
      apply: (d) => d.posts?.filter((p) => p.body === null).forEach((p) => (p.body = "")),
    },
  },
  {
    n: 7,
    ops: ["alterColumn users.name"],
  },
  {
    n: 8,
    ops: ["createIndex posts", "createUnique users"],
  },
  {
    n: 9,
    ops: ["createTable comments"],
    seed: {
      comments: [
        { id: 1, body: "Great", postId: 1 },
        { id: 2, body: "Agreed", postId: 1 },
        { id: 3, body: "Hmm", postId: 4 },
      ],
    },
    check: async ({ query }) => {
      // ON DELETE CASCADE is live: deleting a post takes its comments along.
      await query(`INSERT INTO posts (id, title, body, "authorId") VALUES (98, 'doomed', 'x', 1)`);
      await query(`INSERT INTO comments (id, body, "postId") VALUES (98, 'gone soon', 98)`);
      await query(`DELETE FROM posts WHERE id = 98`);
      expect(await query(`SELECT id FROM comments WHERE id = 98`)).toEqual([]);
    },
  },
  {
    n: 10,
    ops: ["createTable tags", `createTable ${POST_TAGS}`],
    seed: {
      tags: [
        { id: 1, name: "history" },
        { id: 2, name: "math" },
      ],
      [POST_TAGS]: [
        { postsId: 1, tagsId: 1 },
        { postsId: 1, tagsId: 2 },
        { postsId: 4, tagsId: 2 },
      ],
    },
  },
  {
    n: 11,
    ops: (d) => (d.capabilities.enumTypes ? ["alterEnum posts_status_enum"] : ["alterColumn posts.status"]),
  },
  {
    n: 12,
    ops: (d) => (d.capabilities.enumTypes ? ["alterEnum posts_status_enum"] : ["alterColumn posts.status"]),
    // Post 3 is still "hidden".
    upgradeBlocked: {
      sql: `UPDATE posts SET status = 'draft' WHERE status = 'hidden'`,
      apply: (d) => d.posts?.filter((p) => p.status === "hidden").forEach((p) => (p.status = "draft")),
    },
    seed: { posts: [{ id: 7, title: "Old news", body: "z", status: "published", views: 3, authorId: 3 }] },
  },
  {
    n: 13,
    renames: { columns: { "users.name": "displayName" } },
    ops: ["renameColumn users.name"],
    up: (d) => renameKey(d.users, "name", "displayName"),
    down: (d) => renameKey(d.users, "displayName", "name"),
    seed: { users: [{ id: 4, email: "dan@example.com", displayName: "Dan", bio: "new here" }] },
  },
  {
    n: 14,
    ops: ["dropColumn users.bio"],
    up: (d) => dropKey(d.users, "bio"),
    down: (d) => setColumn(d.users, "bio", null),
    loses: { columns: ["users.bio"] },
  },
  {
    n: 15,
    ops: ["dropTable comments"],
    loses: { tables: ["comments"] },
  },
  {
    n: 16,
    ops: ["addColumn posts.categoryId", "createTable categories", "createForeignKey posts"],
    up: (d) => setColumn(d.posts, "categoryId", null),
    down: (d) => dropKey(d.posts, "categoryId"),
    seed: {
      categories: [
        { id: 1, name: "Essays" },
        { id: 2, name: "News" },
      ],
      posts: [{ id: 8, title: "Filed", body: "in essays", status: "published", views: 1, authorId: 2, categoryId: 1 }],
    },
    check: async ({ query }) => {
      // ON DELETE SET NULL is live.
      await query(`INSERT INTO categories (id, name) VALUES (97, 'short-lived')`);
      await query(`INSERT INTO posts (id, title, body, "authorId", "categoryId") VALUES (97, 'orphan', 'x', 1, 97)`);
      await query(`DELETE FROM categories WHERE id = 97`);
      const rows = await query(`SELECT "categoryId" FROM posts WHERE id = 97`);
      await query(`DELETE FROM posts WHERE id = 97`);
      expect(rows).toEqual([{ categoryId: null }]);
    },
  },
  {
    n: 17,
    ops: ["dropForeignKey posts", "createForeignKey posts"],
    check: async ({ query }) => {
      // ON DELETE CASCADE from users to posts is live.
      await query(`INSERT INTO users (id, email, "displayName") VALUES (96, 'gone@example.com', 'Gone')`);
      await query(`INSERT INTO posts (id, title, body, "authorId") VALUES (96, 'goes too', 'x', 96)`);
      await query(`DELETE FROM users WHERE id = 96`);
      expect(await query(`SELECT id FROM posts WHERE id = 96`)).toEqual([]);
    },
  },
  {
    n: 18,
    ops: ["alterColumn posts.title"],
    seed: {
      posts: [{ id: 9, title: "w".repeat(240), body: "wide", status: "draft", views: 0, authorId: 4, categoryId: 2 }],
    },
    downgradeBlocked: {
      blockedOn: enforcesLengths,
      sql: `UPDATE posts SET title = substr(title, 1, 200) WHERE length(title) > 200`,
      apply: (d) => d.posts?.filter((p) => String(p.title).length > 200).forEach((p) => (p.title = String(p.title).slice(0, 200))),
    },
  },
  {
    n: 19,
    ops: ["alterColumn users.email"],
    seed: { users: [{ id: 5, email: "eve@example.com", displayName: "Eve" }] },
  },
  {
    n: 20,
    renames: { columns: { "posts.title": "headline" } },
    ops: ["renameColumn posts.title", "dropIndex posts", "createIndex posts"],
    up: (d) => renameKey(d.posts, "title", "headline"),
    down: (d) => renameKey(d.posts, "headline", "title"),
  },
  {
    n: 21,
    renames: { tables: { categories: "sections" } },
    // TypeORM names a primary key after its table: where the database keeps the name, the key is made again.
    ops: (d) =>
      keepsPrimaryKeyNames(d)
        ? [
            "renameTable categories",
            "dropForeignKey posts",
            "dropPrimaryKey sections",
            "createPrimaryKey sections",
            "createForeignKey posts",
          ]
        : ["renameTable categories"],
    up: (d) => renameTable(d, "categories", "sections"),
    down: (d) => renameTable(d, "sections", "categories"),
    seed: { sections: [{ id: 3, name: "Letters" }] },
  },
  {
    n: 22,
    ops: ["createUnique posts"],
    check: async ({ query }) => {
      await expect(query(`INSERT INTO posts (id, headline, body, "authorId") VALUES (95, 'Draft', 'x', 1)`)).rejects.toThrow(
        /unique|UNIQUE|Duplicate entry/,
      );
    },
  },
  {
    n: 23,
    ops: ["dropIndex posts", "dropUnique posts"],
    seed: {
      posts: [{ id: 10, headline: "Draft", body: "again", status: "draft", views: 0, authorId: 1, categoryId: 3 }],
    },
    // Post 10 repeats post 2's author and headline, which the unique constraint the
    // downgrade restores refuses.
    downgradeBlocked: {
      sql: `UPDATE posts SET headline = 'Draft (2)' WHERE id = 10`,
      apply: (d) => d.posts?.filter((p) => p.id === 10).forEach((p) => (p.headline = "Draft (2)")),
    },
  },
  {
    n: 24,
    // On PostgreSQL the new value is used (as the default) in the transaction that adds it.
    ops: (d) => [...(d.capabilities.enumTypes ? ["alterEnum posts_status_enum"] : []), "alterColumn posts.status"],
    check: async ({ query }) => {
      await query(`INSERT INTO posts (id, headline, body, "authorId") VALUES (94, 'later', 'x', 1)`);
      const rows = await query(`SELECT status FROM posts WHERE id = 94`);
      await query(`DELETE FROM posts WHERE id = 94`);
      expect(rows).toEqual([{ status: "scheduled" }]);
    },
    seed: {
      posts: [{ id: 11, headline: "Soon", body: "s", status: "scheduled", views: 0, authorId: 5, categoryId: null }],
    },
    // The downgrade takes "scheduled" away again, which post 11 holds.
    downgradeBlocked: {
      sql: `UPDATE posts SET status = 'draft' WHERE status = 'scheduled'`,
      apply: (d) => d.posts?.filter((p) => p.status === "scheduled").forEach((p) => (p.status = "draft")),
    },
  },
  {
    n: 25,
    // A non-constant default (CURRENT_TIMESTAMP / now()) on a table with rows: SQLite cannot
    // ADD COLUMN it and rebuilds the table; existing rows get the time of the upgrade.
    ops: ["addColumn posts.pinned", "addColumn posts.createdAt"],
    up: (d) => {
      setColumn(d.posts, "pinned", 0);
      setColumn(d.posts, "createdAt", A_TIMESTAMP);
    },
    down: (d) => {
      dropKey(d.posts, "pinned");
      dropKey(d.posts, "createdAt");
    },
  },
  {
    n: 26,
    postgresTypes: true,
    ops: ["createEnum user_role", "addColumn users.role"],
    up: (d) => setColumn(d.users, "role", "reader"),
    down: (d) => dropKey(d.users, "role"),
    seed: { users: [{ id: 6, email: "finn@example.com", displayName: "Finn", role: "writer" }] },
  },
  {
    n: 27,
    postgresTypes: true,
    ops: ["addColumn users.settings", "addColumn users.nicknames"],
    up: (d) => {
      setColumn(d.users, "settings", {});
      setColumn(d.users, "nicknames", null);
    },
    down: (d) => {
      dropKey(d.users, "settings");
      dropKey(d.users, "nicknames");
    },
  },
  {
    n: 28,
    postgresTypes: true,
    // Values removed and added: additions before the default moves, removals after it,
    // so that the downgrade (the mirror image) also finds "reader" back before it is the default.
    ops: ["alterEnum user_role", "alterColumn users.role", "alterEnum user_role"],
    upgradeBlocked: {
      sql: `UPDATE users SET role = 'writer' WHERE role = 'reader'`,
      apply: (d) => d.users?.filter((u) => u.role === "reader").forEach((u) => (u.role = "writer")),
    },
  },
  {
    n: 29,
    postgresTypes: true,
    // The junction's column and its foreign key follow the key's type (bigint reads back as a string).
    ops: [`dropForeignKey ${POST_TAGS}`, "alterColumn posts_tags_tags.tagsId", "alterColumn tags.id", `createForeignKey ${POST_TAGS}`],
    up: (d) => {
      for (const tag of d.tags ?? []) tag.id = String(tag.id);
      for (const link of d[POST_TAGS] ?? []) link.tagsId = String(link.tagsId);
    },
    down: (d) => {
      for (const tag of d.tags ?? []) tag.id = Number(tag.id);
      for (const link of d[POST_TAGS] ?? []) link.tagsId = Number(link.tagsId);
    },
    check: async ({ query }) => {
      // Keys past 2^31 fit, and the serial's sequence was widened with the column.
      await query(`INSERT INTO tags (id, name) VALUES (3000000000, 'big')`);
      await query(`INSERT INTO ${POST_TAGS} ("postsId", "tagsId") VALUES (1, 3000000000)`);
      await query(`DELETE FROM tags WHERE id = 3000000000`);
      expect(await query(`SELECT * FROM ${POST_TAGS} WHERE "tagsId" = 3000000000`)).toEqual([]);
      const sequences = await query(`SELECT data_type FROM information_schema.sequences WHERE sequence_name = 'tags_id_seq'`);
      expect(sequences).toEqual([{ data_type: "bigint" }]);
    },
  },
];

function describeOp(op: Op): string {
  switch (op.kind) {
    case "createTable":
    case "dropTable":
      return `${op.kind} ${op.table.name}`;
    case "createEnum":
    case "dropEnum":
      return `${op.kind} ${op.enum.name}`;
    case "alterEnum":
      return `${op.kind} ${op.name}`;
    case "createExtension":
    case "dropExtension":
      return `${op.kind} ${op.extension.name}`;
    case "createView":
    case "dropView":
      return `${op.kind} ${op.view.name}`;
    case "renameTable":
      return `${op.kind} ${op.from}`;
    case "execute":
      return op.kind;
    case "addColumn":
    case "dropColumn":
      return `${op.kind} ${op.table}.${op.column.name}`;
    case "alterColumn":
      return `${op.kind} ${op.table}.${op.column}`;
    case "renameColumn":
      return `${op.kind} ${op.table}.${op.from}`;
    default:
      return `${op.kind} ${op.table}`;
  }
}

/** What a creation timestamp reads as: its value depends on when the step ran. */
const A_TIMESTAMP = "<timestamp>";
const TIMESTAMP_COLUMNS = new Set(["createdAt"]);

/** Values as the test compares them: booleans as 0/1 (SQLite has no other), timestamps as a marker. */
function comparable(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(row)) {
    if (TIMESTAMP_COLUMNS.has(column) && value !== null) out[column] = A_TIMESTAMP;
    else if (typeof value === "boolean") out[column] = value ? 1 : 0;
    else out[column] = value as Value;
  }
  return out;
}

const rowKey = (row: Row): string =>
  "id" in row
    ? String(row.id)
    : JSON.stringify(
        Object.keys(row)
          .sort()
          .map((k) => [k, row[k]]),
      );

function sortRows(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => {
    const [x, y] = [rowKey(a), rowKey(b)];
    if ("id" in a && "id" in b) return Number(a.id) - Number(b.id);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

const cloneData = (data: DataSet): DataSet => structuredClone(data);

/** The schema's tables decide which tables the data has: created ones start empty, dropped ones go. */
function followTables(data: DataSet, schema: SchemaIR): DataSet {
  const out: DataSet = {};
  for (const table of schema.tables) out[table.name] = data[table.name] ?? [];
  return out;
}

function addSeed(data: DataSet, seed: DataSet | undefined): DataSet {
  const out = cloneData(data);
  for (const [table, rows] of Object.entries(seed ?? {})) {
    out[table] = sortRows([...(out[table] ?? []), ...structuredClone(rows)]);
  }
  return out;
}

function literal(ws: Workspace, value: Value): string {
  if (value === null) return "NULL";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return ws.dialect.quoteLiteral(value);
  throw new Error(`seed values are strings, numbers or null, not ${JSON.stringify(value)}`);
}

async function insertSeed(ws: Workspace, seed: DataSet | undefined): Promise<void> {
  if (!seed) return;
  const q = (name: string) => ws.dialect.quoteIdent(name);
  await ws.withConnection(async (conn) => {
    for (const [table, rows] of Object.entries(seed)) {
      for (const row of rows) {
        const columns = Object.keys(row);
        await conn.query(
          `INSERT INTO ${q(table)} (${columns.map(q).join(", ")}) VALUES (${columns.map((c) => literal(ws, row[c]!)).join(", ")})`,
        );
      }
    }
  });
}

/**
 * The IR with each table's columns in name order. ADD COLUMN appends while the entity
 * declares a new field wherever it likes, and no op reorders columns (the differ ignores
 * column order too), so the models are compared with the database regardless of it.
 */
function ignoringColumnOrder(schema: SchemaIR): SchemaIR {
  return {
    ...schema,
    tables: schema.tables.map((t) => ({
      ...t,
      columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    })),
  };
}

async function readSchema(ws: Workspace): Promise<SchemaIR> {
  return ws.withConnection((conn) => readDatabaseSchema(conn, ws.config, ws.dialect));
}

/** Every row of every table in the database (the version table aside). */
async function readData(ws: Workspace): Promise<DataSet> {
  return ws.withConnection(async (conn) => {
    const schema = await readDatabaseSchema(conn, ws.config, ws.dialect);
    const out: DataSet = {};
    for (const table of schema.tables) {
      const rows = await conn.query(`SELECT * FROM ${ws.dialect.quoteIdent(table.name)}`);
      out[table.name] = sortRows(rows.map(comparable));
    }
    return out;
  });
}

/** The checks write identifiers in standard double quotes; each database quotes them its own way. */
function inDialect(ws: Workspace, sql: string): string {
  return sql.replace(/"([^"]+)"/g, (_, name: string) => ws.dialect.quoteIdent(name));
}

async function tablesInDatabase(ws: Workspace): Promise<string[]> {
  return ws.withConnection(async (conn) =>
    (await conn.query<{ name: string }>(databaseKind(ws.dialect.name).tablesQuery)).map((r) => r.name),
  );
}

/** The named enum types in the database (none where it has no such types). */
async function enumsInDatabase(ws: Workspace): Promise<string[]> {
  return ws.withConnection(async (conn) =>
    (await ws.dialect.introspect(conn, { versionTable: ws.config.versionTable })).enums.map((e) => e.name),
  );
}

/**
 * Rows of `snapshot` that must still be in `actual` after walking back to it: same key,
 * same values, except for columns whose data a walked-back step destroyed.
 */
function expectSnapshotRowsKept(actual: DataSet, snapshot: DataSet, lost: { columns: Set<string>; tables: Set<string> }): void {
  for (const [table, rows] of Object.entries(snapshot)) {
    expect(Object.keys(actual), `table ${table} is back`).toContain(table);
    if (lost.tables.has(table)) continue;
    const byKey = new Map(actual[table]!.map((r) => [rowKey(r), r]));
    for (const row of rows) {
      const found = byKey.get(rowKey(row));
      expect(found, `${table} row ${rowKey(row)} survived`).toBeDefined();
      const kept = (r: Row) => Object.fromEntries(Object.entries(r).filter(([column]) => !lost.columns.has(`${table}.${column}`)));
      expect(kept(found!), `${table} row ${rowKey(row)}`).toEqual(kept(row));
    }
  }
}

/** Every kind of database, from the shared fixture (test/helpers/databases.ts). */
const TARGETS = await Promise.all(
  DATABASE_KINDS.map(async (kind) => ({
    dialect: kind.dialect as DialectName,
    skip: !(await kind.available()),
    make: () => kind.create("autogen_evolution"),
    runScript: kind.runScript,
  })),
);

for (const target of TARGETS) {
  describe.skipIf(target.skip)(`model evolution on ${target.dialect}`, () => {
    const firstPostgresOnly = STEPS.findIndex((s) => s.postgresTypes);
    const steps = target.dialect === "postgres" || firstPostgresOnly < 0 ? STEPS : STEPS.slice(0, firstPostgresOnly);
    let url: string;
    let cleanup: () => Promise<void>;
    let project: TestProject;
    let ws: Workspace;
    /** After each step's upgrade: the database's IR and its rows (index = position in `steps`). */
    const schemaAfter: SchemaIR[] = [];
    const dataAfter: DataSet[] = [];
    const revisions: string[] = [];
    /** What the test expects the rows to be right now. */
    let expected: DataSet = {};

    beforeAll(async () => {
      ({ url, cleanup } = await target.make());
      project = createProject({ url, entities: [stepEntities(steps[0]!.n)] });
      ws = new Workspace({ config: project.config });
    });
    afterAll(async () => {
      project?.remove();
      await cleanup?.();
    });

    /** A migration that rows block: it fails, rolls back, and leaves schema, rows and version as they were. */
    const expectBlocked = async (run: () => Promise<unknown>, versionBefore: string[]) => {
      const schemaBefore = await readSchema(ws);
      // Where DDL is not transactional the failing statement is the first, so nothing ran either.
      await expect(run()).rejects.toThrow(ws.dialect.capabilities.transactionalDDL ? /rolled back/ : /no statement of it had taken effect/);
      expect(await readSchema(ws)).toEqual(schemaBefore);
      expect(await readData(ws)).toEqual(expected);
      expect((await current({ config: project.config })).map((r) => r.revision)).toEqual(versionBefore);
    };

    const blocks = (fix: DataFix | undefined) => fix !== undefined && (fix.blockedOn?.(target.dialect) ?? true);

    const useStep = (step: EvolutionStep) => {
      project.write({ url, entities: [stepEntities(step.n)] });
      ws = new Workspace({ config: project.config });
    };

    for (const [index, step] of steps.entries()) {
      it(`step ${step.n}: autogenerates, upgrades, and the database equals the models`, async () => {
        useStep(step);
        const before = await readData(ws);
        expect(before).toEqual(expected);

        const result = await revision({
          config: project.config,
          message: `step ${step.n}`,
          autogenerate: true,
          ...(step.renames ? { renames: step.renames } : {}),
        });
        expect(result.written).toBe(true);
        if (!result.written) return;
        const wanted = Array.isArray(step.ops) ? step.ops : step.ops(ws.dialect);
        expect(result.ops.map(describeOp)).toEqual(wanted);
        revisions.push(result.revision);

        if (blocks(step.upgradeBlocked)) {
          await expectBlocked(() => upgrade({ config: project.config, target: "head" }), revisions.slice(-2, -1));
          await ws.withConnection((conn) => conn.query(inDialect(ws, step.upgradeBlocked!.sql)));
          expected = cloneData(expected);
          step.upgradeBlocked!.apply(expected);
        }
        await upgrade({ config: project.config, target: "head" });

        const modelIR = await readTargetSchema(ws.config, ws.dialect);
        const dbIR = await readSchema(ws);
        expect(ignoringColumnOrder(dbIR)).toEqual(ignoringColumnOrder(modelIR));
        expect(await typeormPendingQueries(target.dialect, url, [stepEntities(step.n)])).toEqual([]);

        const files = readdirSync(project.dir.file("versions"));
        const again = await revision({ config: project.config, message: "nothing", autogenerate: true });
        expect(again.written).toBe(false);
        expect(readdirSync(project.dir.file("versions"))).toEqual(files);

        const changed = cloneData(expected);
        step.up?.(changed);
        expected = followTables(changed, dbIR);
        expect(await readData(ws)).toEqual(expected);

        await step.check?.({ query: (sql) => ws.withConnection((conn) => conn.query(inDialect(ws, sql))) });
        await insertSeed(ws, step.seed);
        expected = addSeed(expected, step.seed);
        expect(await readData(ws)).toEqual(expected);

        schemaAfter[index] = dbIR;
        dataAfter[index] = expected;
      });
    }

    for (let index = steps.length - 1; index >= 1; index--) {
      const step = steps[index]!;
      it(`downgrade -1 from step ${step.n}: schema and rows as after step ${steps[index - 1]!.n}`, async () => {
        expect(revisions).toHaveLength(steps.length);
        if (blocks(step.downgradeBlocked)) {
          await expectBlocked(() => downgrade({ config: project.config, target: "-1" }), revisions.slice(index, index + 1));
          await ws.withConnection((conn) => conn.query(inDialect(ws, step.downgradeBlocked!.sql)));
          expected = cloneData(expected);
          step.downgradeBlocked!.apply(expected);
        }
        await downgrade({ config: project.config, target: "-1" });
        expect(await readSchema(ws)).toEqual(schemaAfter[index - 1]);

        const changed = cloneData(expected);
        step.down?.(changed);
        expected = followTables(changed, schemaAfter[index - 1]!);
        const actual = await readData(ws);
        expect(actual).toEqual(expected);

        // The snapshot, as the data migrations run since then left it.
        const walkedBack = steps.slice(index);
        const snapshot = cloneData(dataAfter[index - 1]!);
        for (const s of walkedBack) {
          for (const fix of [s.upgradeBlocked, s.downgradeBlocked]) if (blocks(fix)) fix!.apply(snapshot);
        }
        const lost = {
          columns: new Set(walkedBack.flatMap((s) => s.loses?.columns ?? [])),
          tables: new Set(walkedBack.flatMap((s) => s.loses?.tables ?? [])),
        };
        expectSnapshotRowsKept(actual, snapshot, lost);
      });
    }

    it("upgrades to head again from the first revision: what the downgrades dropped comes back empty or defaulted", async () => {
      const top = steps.length - 1;
      let data = cloneData(expected);
      for (const [index, step] of steps.entries()) {
        if (index === 0) continue;
        // Rows that blocked the upgrade on the way up block it again: stop before, fix, go on.
        if (blocks(step.upgradeBlocked)) {
          await upgrade({ config: project.config, target: revisions[index - 1]! });
          await ws.withConnection((conn) => conn.query(inDialect(ws, step.upgradeBlocked!.sql)));
          step.upgradeBlocked!.apply(data);
        }
        step.up?.(data);
        data = followTables(data, schemaAfter[index]!);
      }
      await upgrade({ config: project.config, target: "head" });
      expect(await readSchema(ws)).toEqual(schemaAfter[top]);
      expected = data;
      expect(await readData(ws)).toEqual(expected);
      // Rows in the first step's tables survived the whole walk; their later columns did not.
      expect(expected.users!.length).toBe(dataAfter[top]!.users!.length);
      expect(expected.posts!.map((p) => p.views)).toEqual(expected.posts!.map(() => 0));
      expect(expected.posts!.map((p) => p.categoryId)).toEqual(expected.posts!.map(() => null));
      expect(expected[POST_TAGS]).toEqual([]);
    });

    it("downgrades to base, leaving only the version table, and upgrades to head again", async () => {
      await downgrade({ config: project.config, target: "base", force: true });
      // The version table and the migration log (bookkeeping) stay.
      expect(await tablesInDatabase(ws)).toEqual(["autogen_version", "autogen_version_log"]);
      expect(await enumsInDatabase(ws)).toEqual([]);

      await upgrade({ config: project.config, target: "head" });
      expect(await readSchema(ws)).toEqual(schemaAfter[steps.length - 1]);
      const data = await readData(ws);
      expect(Object.values(data).every((rows) => rows.length === 0)).toBe(true);
      expect(Object.keys(data).sort()).toEqual(Object.keys(dataAfter[steps.length - 1]!).sort());
    });

    it("offline: the --sql script of base:head builds the same schema on an empty database, and head:base takes it away", async () => {
      const top = steps.length - 1;
      const up = await upgrade({ config: project.config, target: "base:head", sql: true });
      const down = await downgrade({ config: project.config, target: `${revisions[top]}:base`, sql: true });
      const other = await target.make();
      try {
        const offline = new Workspace({ config: project.config, url: other.url });
        // Through the database's own client, as a DBA would run it.
        target.runScript(other.url, up.sql!);
        expect(await readSchema(offline)).toEqual(schemaAfter[top]);
        expect((await current({ config: project.config, url: other.url })).map((r) => r.revision)).toEqual([revisions[top]]);
        target.runScript(other.url, down.sql!);
        expect(await tablesInDatabase(offline)).toEqual(["autogen_version"]);
        expect(await enumsInDatabase(offline)).toEqual([]);
      } finally {
        await other.cleanup();
      }
    });
  });
}
