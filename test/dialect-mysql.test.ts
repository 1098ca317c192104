/**
 * MySQL/MariaDB on a real server (AUTOGEN_TEST_MYSQL_URL, MariaDB 10.11 here): the
 * models-example revision's MySQL spelling (the README flow itself is roundtrip.test.ts's,
 * on every database), introspection in a constant number of queries, the catalog's vocabulary read back
 * equal to what was rendered, and a failing revision reporting which of its statements
 * took effect (MySQL DDL is not transactional).
 */
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revision, upgrade, Workspace } from "../src/api/index.js";
import { getDialect } from "../src/dialects/index.js";
import type { DbConnection } from "../src/dialects/dialect.js";
import type { SchemaIR } from "../src/schema/ir.js";
import { createMysqlDatabase, mysqlAvailable } from "./helpers/databases.js";
import { createProject, type TestProject, MODELS_EXAMPLE_DIR } from "./helpers/project.js";

const MYSQL = await mysqlAvailable();
const mysql = getDialect("mysql");

async function withDatabase<T>(fn: (url: string, conn: DbConnection) => Promise<T>): Promise<T> {
  const db = await createMysqlDatabase("autogen_my");
  const conn = await mysql.connect(db.url);
  try {
    return await fn(db.url, conn);
  } finally {
    await conn.close();
    await db.drop();
  }
}

const introspect = (conn: DbConnection) => mysql.introspect(conn, { versionTable: "autogen_version" });

// The README flow itself (autogenerate, upgrade, TypeORM's oracle, a silent second
// autogenerate, downgrade base) runs on every database in roundtrip.test.ts; here, what
// only MySQL writes.
describe.skipIf(!MYSQL)("models-example's first revision as MySQL/MariaDB writes it", () => {
  let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
  let project: TestProject;
  beforeAll(async () => {
    db = await createMysqlDatabase("autogen_readme");
    project = createProject({ url: db.url, entities: ["entities/*.ts"] });
    // A copy: the tutorial edits models-example, the test must not depend on that.
    cpSync(path.join(MODELS_EXAMPLE_DIR, "entities"), project.dir.file("entities"), { recursive: true });
    const first = await revision({ config: project.config, message: "init", autogenerate: true });
    expect(first.written).toBe(true);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("offline --sql renders the same revision as a script", async () => {
    const { sql } = await upgrade({ config: project.config, target: "head", sql: true });
    expect(sql).toMatch(
      /CREATE TABLE `posts` \(.*`updatedAt` datetime\(6\) NOT NULL DEFAULT CURRENT_TIMESTAMP\(6\) ON UPDATE CURRENT_TIMESTAMP\(6\)/,
    );
    expect(sql).toMatch(/SELECT GET_LOCK\(/);
  });
});

describe.skipIf(!MYSQL)("MySQL introspection", () => {
  const createTables = async (conn: DbConnection, n: number) => {
    for (let i = 0; i < n; i++) {
      await conn.query(
        `CREATE TABLE t${i} (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, parent int unsigned NULL, label varchar(40) NOT NULL DEFAULT 'x', ` +
          `INDEX IDX_t${i}_label (label), CONSTRAINT CHK_t${i} CHECK (parent IS NULL OR parent > 0)` +
          (i > 0 ? `, CONSTRAINT FK_t${i} FOREIGN KEY (parent) REFERENCES t${i - 1} (id))` : ")"),
      );
    }
  };
  const queriesFor = async (n: number) =>
    withDatabase(async (_url, conn) => {
      await createTables(conn, n);
      const before = conn.queryCount;
      const schema = await introspect(conn);
      expect(schema.tables).toHaveLength(n);
      return conn.queryCount - before;
    });

  it("uses the same number of queries for 5 and 200 tables", async () => {
    const five = await queriesFor(5);
    const many = await queriesFor(200);
    expect(five).toBe(many);
    expect(five).toBeLessThanOrEqual(8);
  }, 120_000);

  it("reads TypeORM's MySQL vocabulary back as it was rendered: widths, unsigned, zerofill, tinyint(1), decimal, precision, ON UPDATE, enum/set, json, collation, fulltext", async () => {
    await withDatabase(async (_url, conn) => {
      await conn.query(
        "CREATE TABLE kinds (" +
          "id bigint(20) unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, " +
          "flag tinyint(1) NOT NULL DEFAULT 0, " +
          "n int(11) NOT NULL DEFAULT '5', " +
          "z int(5) unsigned zerofill NULL, " +
          "price decimal(10,2) NOT NULL DEFAULT '1.50', " +
          "plain decimal NULL, " +
          "at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), " +
          "ts timestamp NULL DEFAULT NULL, " +
          "mood enum('sad','it''s ok','happy') NOT NULL DEFAULT 'happy', " +
          "tags set('a','b') NULL, " +
          "doc json NULL, " +
          "code char(1) NOT NULL, " +
          "name varchar(30) COLLATE utf8mb4_bin NOT NULL COMMENT 'shown name', " +
          "body text NOT NULL, " +
          "UNIQUE KEY UQ_name (name), FULLTEXT INDEX FT_body (body)" +
          ") COMMENT='all the kinds'",
      );
      const read = await introspect(conn);
      const kinds = read.tables[0]!;
      const col = (name: string) => kinds.columns.find((c) => c.name === name);
      expect(col("id")).toEqual({ name: "id", type: "bigint unsigned", nullable: false, generated: "increment" });
      expect(col("flag")).toEqual({ name: "flag", type: "tinyint", nullable: false, default: "0" });
      expect(col("n")).toEqual({ name: "n", type: "int", nullable: false, default: "5" });
      expect(col("z")).toEqual({ name: "z", type: "int unsigned zerofill", nullable: true });
      expect(col("price")).toEqual({ name: "price", type: "decimal", precision: 10, scale: 2, nullable: false, default: "1.50" });
      expect(col("plain")).toEqual({ name: "plain", type: "decimal", nullable: true });
      expect(col("at")).toEqual({
        name: "at",
        type: "datetime",
        precision: 3,
        nullable: false,
        default: "CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)",
      });
      expect(col("ts")).toEqual({ name: "ts", type: "timestamp", nullable: true });
      expect(col("mood")).toEqual({
        name: "mood",
        type: "enum",
        enumValues: ["sad", "it's ok", "happy"],
        nullable: false,
        default: "'happy'",
      });
      expect(col("tags")).toEqual({ name: "tags", type: "set", enumValues: ["a", "b"], nullable: true });
      expect(col("doc")).toEqual({ name: "doc", type: "json", nullable: true });
      expect(col("code")).toEqual({ name: "code", type: "char", nullable: false });
      expect(col("name")).toEqual({
        name: "name",
        type: "varchar",
        length: 30,
        nullable: false,
        collation: "utf8mb4_bin",
        comment: "shown name",
      });
      expect(kinds.uniques).toEqual([{ name: "UQ_name", columns: ["name"] }]);
      expect(kinds.indexes).toEqual([{ name: "FT_body", columns: ["body"], unique: false, method: "fulltext" }]);
      expect(kinds.checks).toEqual([]);
      expect(kinds.comment).toBe("all the kinds");

      // Rendered into another database, the table reads back the same.
      const again = await withDatabase(async (_u, other) => {
        for (const sql of mysql.renderOp({ kind: "createTable", table: kinds }, { dialect: "mysql", tables: [], enums: [] }))
          await other.query(sql);
        return introspect(other);
      });
      expect(again).toEqual(read);
    });
  });

  it("changes a column with MODIFY COLUMN and renames with RENAME COLUMN, keeping the rows", async () => {
    await withDatabase(async (_url, conn) => {
      await conn.query("CREATE TABLE items (id int NOT NULL PRIMARY KEY, qty smallint NULL, label varchar(10) NOT NULL)");
      await conn.query("INSERT INTO items VALUES (1, 7, 'a'), (2, NULL, 'b')");
      let state: SchemaIR = await introspect(conn);
      const ops = [
        {
          kind: "alterColumn",
          table: "items",
          column: "qty",
          changes: { type: { from: { type: "smallint" }, to: { type: "bigint" } }, default: { from: null, to: "0" } },
        },
        {
          kind: "alterColumn",
          table: "items",
          column: "label",
          changes: { type: { from: { type: "varchar", length: 10 }, to: { type: "varchar", length: 50 } } },
        },
        { kind: "renameColumn", table: "items", from: "label", to: "title" },
      ] as const;
      for (const sql of mysql.renderOps(ops as never, state)) await conn.query(sql);
      state = await introspect(conn);
      expect(state.tables[0]!.columns).toEqual([
        { name: "id", type: "int", nullable: false },
        { name: "qty", type: "bigint", nullable: true, default: "0" },
        { name: "title", type: "varchar", length: 50, nullable: false },
      ]);
      expect(await conn.query("SELECT id, qty, title FROM items ORDER BY id")).toEqual([
        { id: 1, qty: "7", title: "a" },
        { id: 2, qty: null, title: "b" },
      ]);
    });
  });
});

describe.skipIf(!MYSQL)("MySQL DDL is not transactional", () => {
  let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
  let project: TestProject;
  beforeAll(async () => {
    db = await createMysqlDatabase("autogen_nontx");
    project = createProject({ url: db.url });
    mkdirSync(project.dir.file("versions"));
    writeFileSync(
      project.dir.file("versions/n1_first.ts"),
      `export const revision = "n1";
export const downRevision = null;
export function upgrade(op: any): void {
  op.createTable("a", { columns: [{ name: "id", type: "int", nullable: false }], primaryKey: { columns: ["id"] } });
  op.createTable("b", { columns: [{ name: "id", type: "int", nullable: false }], primaryKey: { columns: ["id"] } });
  op.execute("INSERT INTO no_such_table VALUES (1)");
}
export function downgrade(op: any): void {
  op.dropTable("b", { columns: [{ name: "id", type: "int", nullable: false }], primaryKey: { columns: ["id"] } });
  op.dropTable("a", { columns: [{ name: "id", type: "int", nullable: false }], primaryKey: { columns: ["id"] } });
}
`,
    );
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("a failing revision says which of its statements took effect, and leaves the version table unchanged", async () => {
    const error = await upgrade({ config: project.config }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /not transactional, the 2 statement\(s\) before it stayed applied: \(1\) CREATE TABLE `a` .*; \(2\) CREATE TABLE `b` /,
    );
    expect(error?.message).toMatch(/no_such_table/);
    expect(error?.message).not.toMatch(/\n/);
    const ws = new Workspace({ config: project.config });
    expect(await ws.withConnection((c) => ws.readHeads(c))).toEqual([]);
  });
});

describe.skipIf(!MYSQL)("MySQL: one statement per call", () => {
  let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
  let project: TestProject;
  beforeAll(async () => {
    db = await createMysqlDatabase("autogen_split");
    project = createProject({ url: db.url });
    mkdirSync(project.dir.file("versions"));
    // Three statements in one op.execute, a `;` inside a string and a comment, failing at the third.
    writeFileSync(
      project.dir.file("versions/s1_script.ts"),
      `export const revision = "s1";
export const downRevision = null;
export function upgrade(op: any): void {
  op.execute(\`CREATE TABLE notes (id int PRIMARY KEY, body varchar(50));
    INSERT INTO notes VALUES (1, 'a; b \\\\' c'); -- not a statement: ;
    INSERT INTO no_such_table VALUES (1)\`);
}
export function downgrade(op: any): void {}
`,
    );
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("a three-statement op.execute failing at the third names the first two as applied, and they are", async () => {
    const error = await upgrade({ config: project.config }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /not transactional, the 2 statement\(s\) before it stayed applied: \(1\) CREATE TABLE notes .*; \(2\) INSERT INTO notes VALUES \(1, 'a; b \\' c'\)/,
    );
    expect(error?.message).toMatch(/no_such_table/);
    expect(error?.message).not.toMatch(/\n/);
    const ws = new Workspace({ config: project.config });
    expect(await ws.withConnection((c) => c.query("SELECT id, body FROM notes"))).toEqual([{ id: 1, body: "a; b ' c" }]);
    expect(await ws.withConnection((c) => ws.readHeads(c))).toEqual([]);
  });

  it("a connection refuses a second statement in one call instead of running it", async () => {
    await expect(new Workspace({ config: project.config }).withConnection((c) => c.query("SELECT 1; DROP TABLE notes"))).rejects.toThrow(
      /SQL syntax/,
    );
    const ws = new Workspace({ config: project.config });
    expect(await ws.withConnection((c) => c.query("SELECT id FROM notes"))).toHaveLength(1);
  });
});
