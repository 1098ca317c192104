/**
 * SQLite dialect: connection, DDL parsing, introspection (exact IR, fixed query count),
 * normalisation, version table, transactions and dropAll, on real SQLite files.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { UserError } from "../src/errors.js";
import type { DbConnection } from "../src/dialects/dialect.js";
import { sqliteDialect } from "../src/dialects/sqlite/index.js";
import { enumValuesOfCheck, parseCreateIndex, parseCreateTable } from "../src/dialects/sqlite/ddl/ddl-parser.js";
import { fileOfUrl as sqliteFileOfUrl } from "../src/dialects/sqlite/url.js";
import { canonicalExpressionText, hasSeveralStatements, tokenize } from "../src/dialects/sqlite/ddl/sql-tokens.js";
import type { SchemaIR, TableIR } from "../src/schema/ir.js";
import { createTempDir, queryEach, sqliteUrl, type TempDir } from "./helpers/databases.js";

let dir: TempDir;
let counter = 0;
beforeAll(() => {
  dir = createTempDir("autogen-sqlite-");
});
afterAll(() => dir.remove());

async function freshDb(ddl?: string): Promise<DbConnection> {
  counter += 1;
  const conn = await sqliteDialect.connect(sqliteUrl(dir, `db${counter}.sqlite`));
  if (ddl) await queryEach(conn, ddl);
  return conn;
}

const introspect = (conn: DbConnection, excludeTables: string[] = []) =>
  sqliteDialect.introspect(conn, { versionTable: "autogen_version", excludeTables });

describe("connect", () => {
  it("opens sqlite:<path>, sqlite://<path> and sqlite::memory:", async () => {
    const file = dir.file("connect.sqlite");
    for (const url of [`sqlite:${file}`, `sqlite://${file}`, "sqlite::memory:"]) {
      const conn = await sqliteDialect.connect(url);
      expect(await conn.query<{ one: number }>("SELECT 1 AS one")).toEqual([{ one: 1 }]);
      await conn.close();
    }
    expect(sqliteFileOfUrl("sqlite:rel/x.db")).toBe(`${process.cwd()}/rel/x.db`);
    expect(sqliteFileOfUrl("sqlite:///abs/x.db")).toBe("/abs/x.db");
    expect(() => sqliteFileOfUrl("sqlite:")).toThrow(UserError);
    expect(() => sqliteFileOfUrl("postgres://localhost/db")).toThrow(/Not an SQLite URL/);
  });

  it("refuses a path whose directory does not exist with a UserError naming it", async () => {
    const missing = dir.file("no/such/dir/x.sqlite");
    const error = await sqliteDialect.connect(`sqlite:${missing}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).not.toContain("\n");
  });

  it("refuses a file that is not a database, naming it", async () => {
    const notDb = dir.file("not-a-db.sqlite");
    writeFileSync(notDb, "this is plainly not an SQLite database file, just some text padding it out....".repeat(20));
    const error = await sqliteDialect.connect(`sqlite:${notDb}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(notDb);
  });

  it("counts statements, runs one per call (a trigger body included), refuses several, and enforces foreign keys", async () => {
    const conn = await freshDb();
    const start = conn.queryCount;
    await conn.query("CREATE TABLE p (id integer PRIMARY KEY);");
    expect(conn.queryCount).toBe(start + 1);
    await expect(conn.query("CREATE TABLE c (p integer REFERENCES p(id)); DROP TABLE p")).rejects.toThrow(/several statements/);
    expect(await conn.query("SELECT name FROM sqlite_master ORDER BY name")).toEqual([{ name: "p" }]);
    await conn.query("CREATE TABLE c (p integer REFERENCES p(id))");
    await conn.query("CREATE TRIGGER c_touch AFTER INSERT ON p BEGIN DELETE FROM c WHERE p = 0; DELETE FROM c WHERE p = -1; END");
    expect(await conn.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).toEqual([{ name: "c" }, { name: "p" }]);
    expect(await conn.query("SELECT ? + ? AS n", [1, 2])).toEqual([{ n: 3 }]);
    await expect(conn.query("INSERT INTO c VALUES (42)")).rejects.toThrow(/FOREIGN KEY/);
    await conn.close();
  });
});

describe("sql tokenizer and DDL parser", () => {
  it("tokenizes quoting, escapes, comments and operators", () => {
    const tokens = tokenize(`"a""b" [c d] \`e\` 'it''s' x'0A' -1.5e3 -- note\n /* c */ a->>'$.x' || b`);
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ["quoted", 'a"b'],
      ["quoted", "c d"],
      ["quoted", "e"],
      ["string", "it's"],
      ["blob", "0A"],
      ["punct", "-"],
      ["number", "1.5e3"],
      ["word", "a"],
      ["punct", "->>"],
      ["string", "$.x"],
      ["punct", "||"],
      ["word", "b"],
    ]);
    expect(() => tokenize("'open")).toThrow(/Unterminated/);
  });

  it("canonicalises expression whitespace but keeps literals", () => {
    expect(canonicalExpressionText(`age>0  AND  name <> 'a  b'`)).toBe(`age > 0 AND name <> 'a  b'`);
    expect(canonicalExpressionText(`datetime( 'now' )`)).toBe(`datetime('now')`);
    expect(canonicalExpressionText(`"role" IN ('a','b')`)).toBe(`"role" IN ('a', 'b')`);
    expect(canonicalExpressionText(`x = -1`)).toBe(`x = -1`);
    expect(canonicalExpressionText(`a - 1`)).toBe(`a - 1`);
  });

  it("tells one statement from several", () => {
    expect(hasSeveralStatements("SELECT 1;")).toBe(false);
    expect(hasSeveralStatements("SELECT ';'")).toBe(false);
    expect(hasSeveralStatements("SELECT 1; SELECT 2")).toBe(true);
  });

  it("parses every column and table constraint form", () => {
    const parsed = parseCreateTable(
      `CREATE TABLE IF NOT EXISTS main."t" (
        "id" integer CONSTRAINT "PK_t" PRIMARY KEY ASC ON CONFLICT ABORT AUTOINCREMENT NOT NULL,
        [name] varchar (40) COLLATE "NOCASE" CONSTRAINT uq_name UNIQUE DEFAULT 'x, y',
        n NUMERIC(10, 2) DEFAULT -1 CHECK (n > 0) NULL,
        role varchar CHECK( "role" IN ('a','it''s') ),
        ref integer CONSTRAINT fk_ref REFERENCES other (id) ON DELETE SET NULL ON UPDATE CASCADE MATCH SIMPLE DEFERRABLE INITIALLY DEFERRED,
        g text GENERATED ALWAYS AS (upper(name)) STORED,
        h AS (1),
        CONSTRAINT "UQ_pair" UNIQUE (name, n COLLATE NOCASE DESC) ON CONFLICT REPLACE,
        CHECK (n < 100),
        FOREIGN KEY (ref, n) REFERENCES "other"
      ) WITHOUT ROWID, STRICT`,
    );
    expect(parsed.name).toBe("t");
    expect(parsed.withoutRowid).toBe(true);
    expect(parsed.strict).toBe(true);
    expect(parsed.columns).toEqual([
      {
        name: "id",
        declaredType: "integer",
        primaryKey: { name: "PK_t", autoincrement: true },
        notNull: true,
        uniques: [],
        checks: [],
        references: [],
      },
      {
        name: "name",
        declaredType: "varchar (40)",
        notNull: false,
        collation: "NOCASE",
        uniques: [{ name: "uq_name" }],
        checks: [],
        default: "'x, y'",
        references: [],
      },
      {
        name: "n",
        declaredType: "NUMERIC(10, 2)",
        notNull: false,
        uniques: [],
        default: "-1",
        checks: [{ expression: "n > 0" }],
        references: [],
      },
      {
        name: "role",
        declaredType: "varchar",
        notNull: false,
        uniques: [],
        checks: [{ expression: `"role" IN ('a','it''s')` }],
        references: [],
      },
      {
        name: "ref",
        declaredType: "integer",
        notNull: false,
        uniques: [],
        checks: [],
        references: [
          {
            name: "fk_ref",
            referencedTable: "other",
            referencedColumns: ["id"],
            onDelete: "SET NULL",
            onUpdate: "CASCADE",
            deferrable: "INITIALLY DEFERRED",
          },
        ],
      },
      {
        name: "g",
        declaredType: "text",
        notNull: false,
        uniques: [],
        checks: [],
        references: [],
        generated: { expression: "upper(name)", stored: true },
      },
      {
        name: "h",
        declaredType: "",
        notNull: false,
        uniques: [],
        checks: [],
        references: [],
        generated: { expression: "1", stored: false },
      },
    ]);
    expect(parsed.constraints).toEqual([
      { kind: "unique", name: "UQ_pair", columns: ["name", "n"] },
      { kind: "check", expression: "n < 100" },
      { kind: "foreignKey", columns: ["ref", "n"], referencedTable: "other", referencedColumns: [] },
    ]);
    expect(enumValuesOfCheck(parsed.columns[3]!.checks[0]!.expression, "role")).toEqual(["a", "it's"]);
    expect(enumValuesOfCheck(`"role" IN ('a') OR 1`, "role")).toBeUndefined();
    expect(enumValuesOfCheck(`"other" IN ('a')`, "role")).toBeUndefined();
  });

  it("parses CREATE INDEX with expressions and a partial predicate", () => {
    expect(parseCreateIndex(`CREATE UNIQUE INDEX IF NOT EXISTS "i" ON "t" (lower("a"), b DESC) WHERE b IS NOT NULL AND a <> ';'`)).toEqual({
      name: "i",
      table: "t",
      unique: true,
      columns: [`lower("a")`, "b"],
      where: `b IS NOT NULL AND a <> ';'`,
    });
    expect(parseCreateIndex(`CREATE INDEX "IDX_x" ON "user" ("created") `)).toEqual({
      name: "IDX_x",
      table: "user",
      unique: false,
      columns: ["created"],
    });
  });

  it("reports unparseable DDL with its position", () => {
    expect(() => parseCreateTable("CREATE TABLE t (a integer PRIMARY)")).toThrow(/Expected KEY at offset/);
  });
});

const HAND_WRITTEN_DDL = `
CREATE TABLE "user" (
  "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  "email" varchar(255) NOT NULL,
  "role" varchar CHECK( "role" IN ('admin','it''s') ) NOT NULL DEFAULT ('admin'),
  "score" decimal(10,2) DEFAULT (0),
  "created" DATETIME NOT NULL DEFAULT (datetime('now')),
  "active" boolean NOT NULL DEFAULT TRUE,
  "nick" text COLLATE NOCASE UNIQUE,
  "kind" TEXT CHECK ("kind" IN ('x','y')),
  CONSTRAINT "UQ_email" UNIQUE ("email"),
  CONSTRAINT "CHK_score" CHECK ("score" >= 0)
);
CREATE TABLE post (
  id INTEGER NOT NULL,
  author_id INTEGER REFERENCES "user" ON DELETE CASCADE,
  editor_id integer,
  title VARCHAR(100),
  body TEXT CHECK (length(body)<1000),
  slug text GENERATED ALWAYS AS (lower(title)) VIRTUAL,
  CONSTRAINT pk_post PRIMARY KEY (id),
  CONSTRAINT "FK_editor" FOREIGN KEY (editor_id) REFERENCES "user" (id) ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX "IDX_title" ON post (title) WHERE title IS NOT NULL;
CREATE UNIQUE INDEX idx_lower ON post (lower(title), id);
CREATE TABLE tag_post (tag_id integer, post_id integer, PRIMARY KEY (tag_id, post_id));
CREATE TABLE autogen_version (version_num varchar(64) NOT NULL PRIMARY KEY);
CREATE TABLE migrations (id integer PRIMARY KEY AUTOINCREMENT, name varchar);
CREATE VIEW post_titles AS SELECT title FROM post;
`;

const HAND_WRITTEN_IR: SchemaIR = {
  dialect: "sqlite",
  tables: [
    {
      name: "post",
      columns: [
        { name: "id", type: "integer", nullable: false },
        { name: "author_id", type: "integer", nullable: true },
        { name: "editor_id", type: "integer", nullable: true },
        { name: "title", type: "varchar", length: 100, nullable: true },
        { name: "body", type: "text", nullable: true },
        { name: "slug", type: "text", nullable: true, computed: { expression: "lower(title)", stored: false } },
      ],
      primaryKey: { columns: ["id"] },
      foreignKeys: [
        { columns: ["author_id"], referencedTable: "user", referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "NO ACTION" },
        {
          name: "FK_editor",
          columns: ["editor_id"],
          referencedTable: "user",
          referencedColumns: ["id"],
          onDelete: "NO ACTION",
          onUpdate: "SET NULL",
          deferrable: "INITIALLY DEFERRED",
        },
      ],
      uniques: [],
      indexes: [
        { name: "IDX_title", columns: ["title"], unique: false, where: "title IS NOT NULL" },
        { name: "idx_lower", columns: ["lower(title)", "id"], unique: true },
      ],
      checks: [{ expression: "length(body) < 1000" }],
    },
    {
      name: "tag_post",
      columns: [
        { name: "tag_id", type: "integer", nullable: true },
        { name: "post_id", type: "integer", nullable: true },
      ],
      primaryKey: { columns: ["tag_id", "post_id"] },
      foreignKeys: [],
      uniques: [],
      indexes: [],
      checks: [],
    },
    {
      name: "user",
      columns: [
        { name: "id", type: "integer", nullable: false, generated: "increment" },
        { name: "email", type: "varchar", length: 255, nullable: false },
        { name: "role", type: "varchar", enumValues: ["admin", "it's"], nullable: false, default: "'admin'" },
        { name: "score", type: "decimal", precision: 10, scale: 2, nullable: true, default: "0" },
        { name: "created", type: "datetime", nullable: false, default: "datetime('now')" },
        { name: "active", type: "boolean", nullable: false, default: "1" },
        { name: "nick", type: "text", nullable: true, collation: "NOCASE" },
        { name: "kind", type: "text", nullable: true },
      ],
      primaryKey: { columns: ["id"] },
      foreignKeys: [],
      uniques: [{ columns: ["nick"] }, { name: "UQ_email", columns: ["email"] }],
      indexes: [],
      checks: [{ expression: `"kind" IN ('x', 'y')` }, { name: "CHK_score", expression: `"score" >= 0` }],
    },
  ],
  enums: [],
  // Without a typeorm_metadata row, a view's expression is the SELECT of its own DDL.
  views: [{ name: "post_titles", expression: "SELECT title FROM post" }],
};

describe("introspect", () => {
  it("reads hand-written DDL into the exact IR, views included, skipping the version table, excluded tables and sqlite_*", async () => {
    const conn = await freshDb(HAND_WRITTEN_DDL);
    const ir = await introspect(conn, ["migrations"]);
    expect(ir).toEqual(HAND_WRITTEN_IR);
    // The result is already canonical.
    expect(sqliteDialect.normalizeSchema(ir)).toEqual(ir);
    await conn.close();
  });

  it("reads TypeORM-written DDL, names included", async () => {
    const conn = await freshDb(`
      CREATE TABLE "author" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar NOT NULL);
      CREATE TABLE "book" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "title" varchar(120) NOT NULL, "genre" varchar CHECK( "genre" IN ('fiction','poetry') ) NOT NULL DEFAULT ('fiction'), "price" decimal(8,2), "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "authorId" integer, CONSTRAINT "UQ_b2b4b6dcb8d7c2b1e0d9c8a7f6e" UNIQUE ("title", "authorId"), CONSTRAINT "CHK_3f1c0b0c1f9a1e2d3c4b5a6978" CHECK ("price" > 0), CONSTRAINT "FK_66a4f0f47943a0d99c16ecf90b2" FOREIGN KEY ("authorId") REFERENCES "author" ("id") ON DELETE SET NULL ON UPDATE NO ACTION);
      CREATE INDEX "IDX_0b1a3c6f9a7c5a0e2e1d3f7c8b" ON "book" ("createdAt") ;
    `);
    const ir = await introspect(conn);
    const book = ir.tables.find((t) => t.name === "book")!;
    expect(book).toEqual({
      name: "book",
      columns: [
        { name: "id", type: "integer", nullable: false, generated: "increment" },
        { name: "title", type: "varchar", length: 120, nullable: false },
        { name: "genre", type: "varchar", enumValues: ["fiction", "poetry"], nullable: false, default: "'fiction'" },
        { name: "price", type: "decimal", precision: 8, scale: 2, nullable: true },
        { name: "createdAt", type: "datetime", nullable: false, default: "datetime('now')" },
        { name: "authorId", type: "integer", nullable: true },
      ],
      primaryKey: { columns: ["id"] },
      foreignKeys: [
        {
          name: "FK_66a4f0f47943a0d99c16ecf90b2",
          columns: ["authorId"],
          referencedTable: "author",
          referencedColumns: ["id"],
          onDelete: "SET NULL",
          onUpdate: "NO ACTION",
        },
      ],
      uniques: [{ name: "UQ_b2b4b6dcb8d7c2b1e0d9c8a7f6e", columns: ["title", "authorId"] }],
      indexes: [{ name: "IDX_0b1a3c6f9a7c5a0e2e1d3f7c8b", columns: ["createdAt"], unique: false }],
      checks: [{ name: "CHK_3f1c0b0c1f9a1e2d3c4b5a6978", expression: `"price" > 0` }],
    } satisfies TableIR);
    await conn.close();
  });

  it("sees columns added and renamed by ALTER TABLE (SQLite rewrites the stored DDL)", async () => {
    const conn = await freshDb(`CREATE TABLE "t" ("id" integer PRIMARY KEY NOT NULL, "a" varchar, CONSTRAINT "UQ_a" UNIQUE ("a"))`);
    await conn.query(`ALTER TABLE "t" ADD COLUMN "b" varchar(10) NOT NULL DEFAULT ('x')`);
    await conn.query(`ALTER TABLE "t" RENAME COLUMN "a" TO "c"`);
    const [t] = (await introspect(conn)).tables;
    expect(t!.columns.map((c) => [c.name, c.type, c.length, c.default])).toEqual([
      ["id", "integer", undefined, undefined],
      ["c", "varchar", undefined, undefined],
      ["b", "varchar", 10, "'x'"],
    ]);
    expect(t!.uniques).toEqual([{ name: "UQ_a", columns: ["c"] }]);
    await conn.close();
  });

  it("uses the same number of queries for 5 tables as for 200", async () => {
    const ddlFor = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        [
          `CREATE TABLE "t${i}" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(50) NOT NULL, "parentId" integer,`,
          ` CONSTRAINT "UQ_t${i}" UNIQUE ("name"), CONSTRAINT "CHK_t${i}" CHECK ("id" > 0),`,
          ` CONSTRAINT "FK_t${i}" FOREIGN KEY ("parentId") REFERENCES "t${i === 0 ? 0 : i - 1}" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);`,
          `CREATE INDEX "IDX_t${i}" ON "t${i}" ("parentId");`,
        ].join(""),
      ).join("\n");
    const counts: number[] = [];
    for (const n of [5, 200]) {
      const conn = await freshDb(ddlFor(n));
      const before = conn.queryCount;
      const ir = await introspect(conn);
      counts.push(conn.queryCount - before);
      expect(ir.tables).toHaveLength(n);
      expect(ir.tables.every((t) => t.foreignKeys.length === 1 && t.indexes.length === 1 && t.uniques.length === 1)).toBe(true);
      await conn.close();
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeLessThanOrEqual(4);
  });

  it("reads an attached database as a schema", async () => {
    const other = dir.file("attached.sqlite");
    const conn = await freshDb();
    await conn.query(`ATTACH DATABASE '${other}' AS aux`);
    await conn.query(`CREATE TABLE aux."x" ("id" integer PRIMARY KEY NOT NULL, "v" text UNIQUE)`);
    const ir = await sqliteDialect.introspect(conn, { versionTable: "autogen_version", schema: "aux" });
    expect(ir.tables.map((t) => [t.name, t.columns.length, t.uniques.length])).toEqual([["x", 2, 1]]);
    expect((await introspect(conn)).tables).toEqual([]);
    const error = await sqliteDialect.introspect(conn, { versionTable: "v", schema: "public" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(`"public"`);
    await conn.close();
  });
});

describe("normalizeSchema", () => {
  /** What a model reader emits for a TypeORM "better-sqlite3" DataSource (driver.normalizeType / normalizeDefault output). */
  const typeormVocabulary: SchemaIR = {
    dialect: "sqlite",
    enums: [{ name: "user_role_enum", values: ["admin", "it's"] }],
    tables: [
      {
        name: "user",
        schema: "main",
        comment: "people",
        columns: [
          { name: "id", type: "int", nullable: false, generated: "increment", comment: "key" },
          { name: "email", type: "varchar", length: 255, nullable: false },
          {
            name: "role",
            type: "simple-enum",
            length: 30,
            enumValues: ["admin", "it's"],
            enumName: "user_role_enum",
            nullable: false,
            default: "'admin'",
          },
          { name: "score", type: "DECIMAL", precision: 10, scale: 2, nullable: true, default: "(0)" },
          { name: "created", type: "datetime", nullable: false, default: "datetime( 'now' )" },
          { name: "active", type: "boolean", nullable: false, default: "true" },
          { name: "nick", type: "text", nullable: true, collation: "nocase" },
          { name: "kind", type: "text", nullable: true, default: "NULL", collation: "BINARY" },
        ],
        primaryKey: { name: "PK_cace4a159ff9f2512dd42373760", columns: ["id"] },
        foreignKeys: [],
        uniques: [{ name: "UQ_email", columns: ["email"] }, { columns: ["nick"] }],
        indexes: [],
        checks: [{ name: "CHK_score", expression: `"score">=0` }, { expression: `"kind" IN ('x','y')` }],
      },
      {
        name: "post",
        columns: [
          { name: "id", type: "integer", nullable: false },
          { name: "author_id", type: "integer", nullable: true },
          { name: "editor_id", type: "integer", nullable: true },
          { name: "title", type: "varchar(100)", nullable: true },
          { name: "body", type: "text", nullable: true },
          { name: "slug", type: "text", nullable: true, computed: { expression: "lower(title)", stored: false } },
        ],
        primaryKey: { columns: ["id"] },
        foreignKeys: [
          {
            name: "FK_editor",
            columns: ["editor_id"],
            referencedTable: "user",
            referencedSchema: "main",
            referencedColumns: ["id"],
            onDelete: "NO ACTION",
            onUpdate: "SET NULL",
            deferrable: "INITIALLY DEFERRED",
          },
          { columns: ["author_id"], referencedTable: "user", referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "NO ACTION" },
        ],
        uniques: [],
        indexes: [
          { name: "idx_lower", columns: ["lower(title)", "id"], unique: true, method: "btree" },
          { name: "IDX_title", columns: ["title"], unique: false, where: "title IS NOT NULL" },
        ],
        checks: [{ expression: "length(body)<1000" }],
      },
      {
        name: "tag_post",
        columns: [
          { name: "tag_id", type: "integer", nullable: true },
          { name: "post_id", type: "integer", nullable: true },
        ],
        primaryKey: { name: "PK_tag_post", columns: ["tag_id", "post_id"] },
        foreignKeys: [],
        uniques: [],
        indexes: [],
        checks: [],
      },
    ],
  };

  it("maps TypeORM's vocabulary to what the introspector returns for the same schema", () => {
    const normalized = sqliteDialect.normalizeSchema(typeormVocabulary);
    const { views: _views, ...expected } = structuredClone(HAND_WRITTEN_IR);
    const user = expected.tables.find((t) => t.name === "user")!;
    user.checks = [{ expression: `"kind" IN ('x', 'y')` }, { name: "CHK_score", expression: `"score" >= 0` }];
    expect(normalized).toEqual(expected);
  });

  it("is idempotent and leaves no undefined keys", () => {
    const once = sqliteDialect.normalizeSchema(typeormVocabulary);
    expect(sqliteDialect.normalizeSchema(once)).toEqual(once);
    expect(JSON.stringify(once)).toBe(JSON.stringify(JSON.parse(JSON.stringify(once))));
    const hasUndefined = (value: unknown): boolean =>
      value !== null && typeof value === "object" && Object.values(value).some((v) => v === undefined || hasUndefined(v));
    expect(hasUndefined(once)).toBe(false);
  });

  it("canonicalises defaults and type aliases one by one", () => {
    const column = (extra: object) =>
      sqliteDialect.normalizeSchema({
        dialect: "sqlite",
        enums: [],
        tables: [
          {
            name: "t",
            columns: [{ name: "c", type: "varchar", nullable: true, ...extra }],
            foreignKeys: [],
            uniques: [],
            indexes: [],
            checks: [],
          },
        ],
      }).tables[0]!.columns[0]!;
    expect(column({ default: "current_timestamp" }).default).toBe("CURRENT_TIMESTAMP");
    expect(column({ default: "((1))" }).default).toBe("1");
    expect(column({ default: "(1) + (2)" }).default).toBe("(1) + (2)");
    expect(column({ default: "FALSE" }).default).toBe("0");
    expect(column({ default: "-5" }).default).toBe("-5");
    expect(column({ default: "'('" }).default).toBe("'('");
    expect(column({ type: "uuid" }).type).toBe("varchar");
    expect(column({ type: "simple-json" }).type).toBe("text");
    expect(column({ type: "simple-array" }).type).toBe("text");
    expect(column({ type: "datetime(6)" })).toMatchObject({ type: "datetime", precision: 6 });
    expect(column({ generated: "rowid" }).generated).toBeUndefined();
  });
});

describe("version table", () => {
  it("creates, reads, inserts, updates and deletes with literals", async () => {
    const conn = await freshDb();
    const vt = sqliteDialect.versionTable;
    expect(await conn.query(vt.exists("autogen_version"))).toEqual([]);
    for (let i = 0; i < 2; i += 1) for (const sql of vt.create("autogen_version")) await conn.query(sql);
    expect(await conn.query(vt.exists("autogen_version"))).toHaveLength(1);
    await conn.query(vt.insert("autogen_version", "aaa"));
    await conn.query(vt.insert("autogen_version", "it's"));
    await conn.query(vt.update("autogen_version", "aaa", "bbb"));
    expect(await conn.query(vt.selectAll("autogen_version"))).toEqual([{ version_num: "bbb" }, { version_num: "it's" }]);
    await conn.query(vt.delete("autogen_version", "it's"));
    expect(await conn.query(vt.selectAll("autogen_version"))).toEqual([{ version_num: "bbb" }]);
    await expect(conn.query(vt.insert("autogen_version", "bbb"))).rejects.toThrow(/UNIQUE/);
    expect(vt.insert("v", "abc")).toBe(`INSERT INTO "v" ("version_num") VALUES ('abc')`);
    await conn.query(vt.drop("autogen_version"));
    await conn.query(vt.drop("autogen_version"));
    expect(await conn.query(vt.exists("autogen_version"))).toEqual([]);
    await conn.close();
  });
});

describe("transactions", () => {
  const run = async (conn: DbConnection, statements: string[]) => {
    for (const sql of statements) await conn.query(sql);
  };

  it("commits when every foreign key holds, and switches enforcement back on", async () => {
    const conn = await freshDb(
      `CREATE TABLE p (id integer PRIMARY KEY); CREATE TABLE c (p integer REFERENCES p(id)); INSERT INTO p VALUES (1);`,
    );
    await run(conn, sqliteDialect.beginTransaction());
    expect(await conn.query("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 0 }]);
    await conn.query("INSERT INTO c VALUES (1)");
    await run(conn, sqliteDialect.commitTransaction());
    expect(await conn.query("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    expect(await conn.query("SELECT p FROM c")).toEqual([{ p: 1 }]);
    await conn.close();
  });

  it("refuses to commit dangling references; rollback undoes everything", async () => {
    const conn = await freshDb(`CREATE TABLE p (id integer PRIMARY KEY); CREATE TABLE c (p integer REFERENCES p(id));`);
    await run(conn, sqliteDialect.beginTransaction());
    await conn.query("CREATE TABLE extra (x integer)");
    await conn.query("INSERT INTO c VALUES (99)");
    await expect(run(conn, sqliteDialect.commitTransaction())).rejects.toThrow(/foreign key violation/);
    for (const sql of sqliteDialect.rollbackTransaction()) await conn.query(sql).catch(() => undefined);
    expect(await conn.query("SELECT count(*) AS n FROM c")).toEqual([{ n: 0 }]);
    expect(await conn.query("SELECT name FROM sqlite_master WHERE name = 'extra'")).toEqual([]);
    expect(await conn.query("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    await conn.close();
  });
});

describe("dropAll", () => {
  it("drops every table, children before parents, even with foreign keys enforced in a transaction", async () => {
    const conn = await freshDb(`
      CREATE TABLE a (id integer PRIMARY KEY);
      CREATE TABLE b (id integer PRIMARY KEY, a integer REFERENCES a(id));
      CREATE TABLE c (id integer PRIMARY KEY, b integer REFERENCES b(id), a integer REFERENCES a(id));
      INSERT INTO a VALUES (1); INSERT INTO b VALUES (1, 1); INSERT INTO c VALUES (1, 1, 1);
    `);
    const schema = await introspect(conn);
    const statements = sqliteDialect.dropAll(schema);
    expect(statements.filter((s) => s.startsWith("DROP"))).toEqual([
      `DROP TABLE IF EXISTS "c"`,
      `DROP TABLE IF EXISTS "b"`,
      `DROP TABLE IF EXISTS "a"`,
    ]);
    await conn.query("BEGIN");
    for (const sql of statements) await conn.query(sql);
    await conn.query("COMMIT");
    expect((await introspect(conn)).tables).toEqual([]);
    await conn.close();
  });

  it("handles reference cycles holding rows, in the dialect's transaction (as fresh runs it)", async () => {
    const conn = await freshDb(`
      CREATE TABLE x (id integer PRIMARY KEY, y integer REFERENCES y(id));
      CREATE TABLE y (id integer PRIMARY KEY, x integer REFERENCES x(id));
      INSERT INTO x VALUES (1, NULL); INSERT INTO y VALUES (1, 1); UPDATE x SET y = 1;
    `);
    const statements = sqliteDialect.dropAll(await introspect(conn));
    // No pragma: inside the transaction it could not change anything.
    expect(statements).toEqual([`DROP TABLE IF EXISTS "x"`, `DROP TABLE IF EXISTS "y"`]);
    for (const sql of [...sqliteDialect.beginTransaction(), ...statements, ...sqliteDialect.commitTransaction()]) await conn.query(sql);
    expect((await introspect(conn)).tables).toEqual([]);
    expect(await conn.query<{ foreign_keys: number }>("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    await conn.close();
  });
});

describe("quoting", () => {
  it("doubles embedded quotes", () => {
    expect(sqliteDialect.quoteIdent(`a"b`)).toBe(`"a""b"`);
    expect(sqliteDialect.quoteLiteral(`it's`)).toBe(`'it''s'`);
  });

  it("declares its capabilities", () => {
    expect(sqliteDialect.capabilities).toEqual({
      transactionalDDL: true,
      enumTypes: false,
      dropsUnnamedConstraints: true,
      schemas: false,
      noOnlineForm: expect.stringContaining("one writer at a time"),
    });
  });
});
