/**
 * TypeORM as the outside oracle for the SQLite dialect:
 * - the IR TypeORM's metadata describes (through its own normalizeType/normalizeDefault),
 *   normalised, equals what the introspector reads from a database TypeORM synchronised;
 * - tables we create (and rebuild) are ones TypeORM's own schema builder finds nothing to
 *   change in, with DDL text identical to TypeORM's.
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSource, EntitySchema } from "typeorm";
import type { DbConnection } from "../src/dialects/dialect.js";
import { sqliteDialect } from "../src/dialects/sqlite/index.js";
import { applyOp } from "../src/ops/apply.js";
import type { Op } from "../src/ops/ops.js";
import type { ColumnIR, SchemaIR, TableIR } from "../src/schema/ir.js";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";

// The entities are plain records; `any` keeps EntitySchema from demanding a class type.
function entities(variant: "v1" | "v2") {
  const v2 = variant === "v2";
  const User = new EntitySchema<any>({
    name: "user",
    columns: {
      id: { type: Number, primary: true, generated: "increment" },
      email: { type: String, length: v2 ? 200 : 120, unique: true },
      role: { type: "simple-enum", enum: v2 ? ["admin", "member", "guest"] : ["admin", "member"], default: "member" },
      active: { type: Boolean, default: true },
      score: { type: "decimal", precision: 10, scale: 2, nullable: true },
      prefs: { type: "simple-json", nullable: true },
      tags: { type: "simple-array", nullable: v2 },
      created: { type: Date, createDate: true },
      updated: { type: Date, updateDate: true },
      uuid: { type: "uuid", nullable: true },
      ...(v2 ? { nickname: { type: "varchar", length: 40, nullable: true } } : {}),
    },
    checks: [{ expression: `"score" >= 0` }],
    indices: [{ columns: ["created"] }, { name: "IDX_active_email", columns: ["active", "email"], unique: true, where: `"active" = 1` }],
  });
  const Post = new EntitySchema<any>({
    name: "post",
    columns: {
      id: { type: Number, primary: true, generated: "increment" },
      title: { type: String },
      rating: { type: "real", default: 0 },
    },
    uniques: [{ columns: ["title"] }],
    relations: {
      author: { type: "many-to-one", target: "user", onDelete: "CASCADE", nullable: false },
      tags: { type: "many-to-many", target: "tag", joinTable: true },
    },
  });
  const Tag = new EntitySchema<any>({ name: "tag", columns: { name: { type: String, primary: true } } });
  return [User, Post, Tag];
}

/** What a model reader emits: TypeORM's metadata through the driver's own normalisation. */
function modelIr(ds: DataSource): SchemaIR {
  const driver = ds.driver;
  const tables = ds.entityMetadatas.map((m): TableIR => {
    const columns = m.columns.map((c): ColumnIR => {
      const column: ColumnIR = { name: c.databaseName, type: driver.normalizeType(c), nullable: c.isNullable };
      if (c.length) column.length = Number(c.length);
      if (c.precision !== undefined && c.precision !== null) column.precision = c.precision;
      if (c.scale !== undefined && c.scale !== null) column.scale = c.scale;
      const dflt = driver.normalizeDefault(c);
      if (dflt !== undefined && dflt !== null) column.default = dflt;
      if (c.isGenerated && c.generationStrategy === "increment") column.generated = "increment";
      if (c.enum) column.enumValues = c.enum.map(String);
      return column;
    });
    return {
      name: m.tableName,
      columns,
      primaryKey: {
        name: ds.namingStrategy.primaryKeyName(
          m.tableName,
          m.primaryColumns.map((c) => c.databaseName),
        ),
        columns: m.primaryColumns.map((c) => c.databaseName),
      },
      foreignKeys: m.foreignKeys.map((fk) => ({
        name: fk.name,
        columns: fk.columnNames,
        referencedTable: fk.referencedTablePath,
        referencedColumns: fk.referencedColumnNames,
        onDelete: fk.onDelete ?? "NO ACTION",
        onUpdate: fk.onUpdate ?? "NO ACTION",
      })) as TableIR["foreignKeys"],
      uniques: m.uniques.map((u) => ({ name: u.name, columns: u.columns.map((c) => c.databaseName) })),
      indexes: m.indices.map((i) => ({
        name: i.name,
        columns: i.columns.map((c) => c.databaseName),
        unique: i.isUnique,
        ...(i.where ? { where: i.where } : {}),
      })),
      checks: m.checks.map((c) => ({ name: c.name, expression: c.expression! })),
    };
  });
  return { dialect: "sqlite", tables, enums: [] };
}

let dir: TempDir;
beforeAll(() => {
  dir = createTempDir("autogen-sqlite-typeorm-");
});
afterAll(() => dir.remove());

async function dataSource(file: string, variant: "v1" | "v2", synchronize: boolean): Promise<DataSource> {
  const ds = new DataSource({ type: "better-sqlite3", database: dir.file(file), entities: entities(variant), synchronize, logging: false });
  return ds.initialize();
}

async function pendingTypeormChanges(file: string, variant: "v1" | "v2"): Promise<string[]> {
  const ds = await dataSource(file, variant, false);
  try {
    const sql = await ds.driver.createSchemaBuilder().log();
    return sql.upQueries.map((q) => q.query);
  } finally {
    await ds.destroy();
  }
}

async function tableSql(conn: DbConnection): Promise<Map<string, string>> {
  const rows = await conn.query<{ name: string; sql: string }>(
    `SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'`,
  );
  return new Map(rows.map((r) => [r.name, r.sql.trim()]));
}

const introspect = (conn: DbConnection) => sqliteDialect.introspect(conn, { versionTable: "autogen_version" });

async function run(conn: DbConnection, statements: string[]): Promise<void> {
  for (const sql of statements) await conn.query(sql);
}

describe("TypeORM as the oracle", () => {
  it("normalised model IR equals the introspection of a TypeORM-synchronised database", async () => {
    const ds = await dataSource("synced.sqlite", "v1", true);
    const model = sqliteDialect.normalizeSchema(modelIr(ds));
    await ds.destroy();
    const conn = await sqliteDialect.connect(sqliteUrl(dir, "synced.sqlite"));
    expect(await introspect(conn)).toEqual(model);
    await conn.close();
  });

  it("tables we create match TypeORM's DDL and leave its schema builder nothing to do", async () => {
    const ds = await dataSource("typeorm.sqlite", "v1", true);
    const model = sqliteDialect.normalizeSchema(modelIr(ds));
    await ds.destroy();

    const ours = await sqliteDialect.connect(sqliteUrl(dir, "ours.sqlite"));
    let state: SchemaIR = { dialect: "sqlite", tables: [], enums: [] };
    await run(ours, sqliteDialect.beginTransaction());
    for (const table of model.tables) {
      const op: Op = { kind: "createTable", table };
      await run(ours, sqliteDialect.renderOp(op, state));
      state = applyOp(state, op);
    }
    await run(ours, sqliteDialect.commitTransaction());
    expect(await introspect(ours)).toEqual(model);

    // Byte-identical DDL wherever TypeORM's list order is not ambiguous (one item per list).
    const theirs = await sqliteDialect.connect(sqliteUrl(dir, "typeorm.sqlite"));
    const [theirSql, ourSql] = [await tableSql(theirs), await tableSql(ours)];
    const unambiguous = model.tables.filter((t) => t.foreignKeys.length <= 1 && t.uniques.length <= 1 && t.checks.length <= 1);
    expect(unambiguous.map((t) => t.name).sort()).toEqual(["post", "tag", "user"]);
    for (const t of unambiguous) {
      expect(ourSql.get(t.name), t.name).toBe(theirSql.get(t.name));
      for (const index of t.indexes) expect(ourSql.get(index.name), index.name).toBe(theirSql.get(index.name));
    }
    await theirs.close();
    await ours.close();

    expect(await pendingTypeormChanges("ours.sqlite", "v1")).toEqual([]);
  });

  it("after our rebuilds and ADD COLUMN for a model change, TypeORM sees no difference and rows survive", async () => {
    const ds = await dataSource("evolve.sqlite", "v1", true);
    await ds.query(`INSERT INTO "user" ("email", "role", "tags") VALUES ('a@x', 'admin', 'x,y'), ('b@x', 'member', 'z')`);
    await ds.destroy();
    expect((await pendingTypeormChanges("evolve.sqlite", "v2")).length).toBeGreaterThan(0);

    const conn = await sqliteDialect.connect(sqliteUrl(dir, "evolve.sqlite"));
    const rowsBefore = await conn.query(`SELECT "id", "email", "role", "tags" FROM "user" ORDER BY "id"`);
    const ops: Op[] = [
      {
        kind: "alterColumn",
        table: "user",
        column: "email",
        changes: { type: { from: { type: "varchar", length: 120 }, to: { type: "varchar", length: 200 } } },
      },
      {
        kind: "alterColumn",
        table: "user",
        column: "role",
        changes: {
          type: {
            from: { type: "varchar", enumValues: ["admin", "member"] },
            to: { type: "varchar", enumValues: ["admin", "member", "guest"] },
          },
        },
      },
      { kind: "alterColumn", table: "user", column: "tags", changes: { nullable: { from: false, to: true } } },
      { kind: "addColumn", table: "user", column: { name: "nickname", type: "varchar", length: 40, nullable: true } },
    ];
    let state = await introspect(conn);
    await run(conn, sqliteDialect.beginTransaction());
    for (const op of ops) {
      await run(conn, sqliteDialect.renderOp(op, state));
      state = applyOp(state, op);
    }
    await run(conn, sqliteDialect.commitTransaction());
    expect(await conn.query(`SELECT "id", "email", "role", "tags" FROM "user" ORDER BY "id"`)).toEqual(rowsBefore);
    await conn.close();

    expect(await pendingTypeormChanges("evolve.sqlite", "v2")).toEqual([]);
  });
});
