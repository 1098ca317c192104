/**
 * The outside oracle for the model reader: let TypeORM itself create the schema
 * (`synchronize`) on a real SQLite file, a fresh PostgreSQL database and a fresh MariaDB
 * database, read the catalogs, and check that the IR the reader built WITHOUT a connection
 * names and describes exactly what TypeORM created. Each database's check is written in
 * its own catalog's terms, apart from the dialect's introspector, so that it can disagree.
 */
import path from "node:path";
import { DataSource } from "typeorm";
import { afterAll, describe, expect, it } from "vitest";
import { expandGlobs, loadModule } from "../src/load/typescript.js";
import { readModels } from "../src/models/index.js";
import type { ColumnIR, SchemaIR } from "../src/schema/ir.js";
import { createMysqlDatabase, createPgDatabase, createTempDir, mysqlAvailable, pgAvailable } from "./helpers/databases.js";
import { MODELS_EXAMPLE_DIR } from "./helpers/project.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const EXAMPLE = MODELS_EXAMPLE_DIR;
const FIXTURES = path.join(ROOT, "fixtures", "entities");

/** The classes readModels sees: same files, same module instances. */
function entityClasses(baseDir: string, pattern: string): Function[] {
  return expandGlobs([pattern], baseDir).flatMap((file) =>
    Object.values(loadModule(file)).filter((v): v is Function => typeof v === "function"),
  );
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
const sorted = (xs: string[]) => [...xs].sort();

// ---------------------------------------------------------------------------------
// SQLite
// ---------------------------------------------------------------------------------

interface SqliteColumnRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

interface SqliteFkRow {
  id: number;
  table: string;
  from: string;
  to: string;
  on_update: string;
  on_delete: string;
}

/** The declared type TypeORM writes: type(length) or type(precision[,scale]). */
function sqliteDeclaredType(c: ColumnIR): string {
  if (c.length !== undefined) return `${c.type}(${c.length})`;
  if (c.precision !== undefined) return `${c.type}(${c.precision}${c.scale !== undefined ? `,${c.scale}` : ""})`;
  return c.type;
}

async function checkSqlite(ir: SchemaIR, ds: DataSource): Promise<void> {
  const master: Array<{ type: string; name: string; tbl_name: string; sql: string | null }> = await ds.query(
    `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`,
  );
  const tables = master.filter((m) => m.type === "table");
  expect(sorted(tables.map((t) => t.name))).toEqual(sorted(ir.tables.map((t) => t.name)));

  for (const t of ir.tables) {
    const sql = tables.find((m) => m.name === t.name)?.sql ?? "";
    const cols: SqliteColumnRow[] = await ds.query(`PRAGMA table_info("${t.name}")`);
    expect(
      cols.map((c) => c.name),
      t.name,
    ).toEqual(t.columns.map((c) => c.name));
    for (const c of t.columns) {
      const row = cols.find((r) => r.name === c.name) as SqliteColumnRow;
      const where = `${t.name}.${c.name}`;
      expect(row.type.toLowerCase(), where).toBe(sqliteDeclaredType(c).toLowerCase());
      expect(row.notnull === 0, where).toBe(c.nullable);
      expect(row.dflt_value, where).toBe(c.default ?? null);
      if (c.generated === "increment") expect(sql, where).toContain(`"${c.name}" integer PRIMARY KEY AUTOINCREMENT`);
      if (c.enumValues) {
        expect(sql, where).toContain(`CHECK( "${c.name}" IN (${c.enumValues.map((v) => `'${v}'`).join(",")}) )`);
      }
    }
    const pk = cols
      .filter((r) => r.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((r) => r.name);
    expect(pk, t.name).toEqual(t.primaryKey?.columns ?? []);

    const fkRows: SqliteFkRow[] = await ds.query(`PRAGMA foreign_key_list("${t.name}")`);
    const fks = [...new Set(fkRows.map((r) => r.id))].map((id) => {
      const rows = fkRows.filter((r) => r.id === id);
      const first = rows[0] as SqliteFkRow;
      return {
        columns: rows.map((r) => r.from),
        referencedTable: first.table,
        referencedColumns: rows.map((r) => r.to),
        onDelete: first.on_delete,
        onUpdate: first.on_update,
      };
    });
    const irFks = t.foreignKeys.map(({ name: _n, ...fk }) => fk);
    const key = (f: { columns: string[] }) => f.columns.join(",");
    expect(
      [...fks].sort((a, b) => key(a).localeCompare(key(b))),
      t.name,
    ).toEqual([...irFks].sort((a, b) => key(a).localeCompare(key(b))));
    for (const fk of t.foreignKeys) expect(sql, t.name).toContain(`CONSTRAINT "${fk.name}" FOREIGN KEY`);
    for (const u of t.uniques) {
      expect(sql, t.name).toContain(`CONSTRAINT "${u.name}" UNIQUE (${u.columns.map((c) => `"${c}"`).join(", ")})`);
    }

    const indexes = master.filter((m) => m.type === "index" && m.tbl_name === t.name && m.sql !== null);
    expect(sorted(indexes.map((i) => i.name)), t.name).toEqual(sorted(t.indexes.map((i) => i.name)));
    for (const index of t.indexes) {
      const info: Array<{ name: string }> = await ds.query(`PRAGMA index_info("${index.name}")`);
      expect(
        info.map((i) => i.name),
        index.name,
      ).toEqual(index.columns);
      const list: Array<{ name: string; unique: number }> = await ds.query(`PRAGMA index_list("${t.name}")`);
      expect(list.find((l) => l.name === index.name)?.unique === 1, index.name).toBe(index.unique);
    }
  }
}

describe("SQLite: the IR is what TypeORM's synchronize creates", () => {
  const tmp = createTempDir("autogen-oracle-");
  afterAll(() => tmp.remove());

  it.each([
    ["models-example", EXAMPLE, "entities/*.ts"],
    ["library (compiled .js)", FIXTURES, "library-js/*.js"],
  ])("%s", async (label, baseDir, pattern) => {
    const ir = await readModels({ dialect: "sqlite", baseDir, entities: [pattern] });
    const ds = new DataSource({
      type: "better-sqlite3",
      database: tmp.file(`${label.replace(/\W+/g, "_")}.sqlite`),
      entities: entityClasses(baseDir, pattern),
      synchronize: true,
    });
    await ds.initialize();
    try {
      await checkSqlite(ir, ds);
    } finally {
      await ds.destroy();
    }
  });
});

// ---------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------

interface PgColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  is_nullable: "YES" | "NO";
  column_default: string | null;
  is_identity: "YES" | "NO";
  identity_generation: string | null;
}

/**
 * Compares defaults the way a dialect's normaliser must: drops `::type` casts outside
 * quotes (`'draft'::posts_status_enum` -> `'draft'`) and unquotes numbers, which
 * PostgreSQL folds (TypeORM writes DEFAULT '0' for a number; the catalog says 0).
 */
function comparableDefault(expression: string | null | undefined): string | null {
  if (expression === null || expression === undefined) return null;
  const uncast = expression.replace(/('(?:[^']|'')*')|::[\w ]+(?:\[\])*/g, (_m, quoted: string | undefined) => quoted ?? "");
  return uncast.replace(/^'(-?\d+(?:\.\d+)?)'$/, "$1");
}

const ARRAY_UDT: Record<string, string> = { text: "_text", integer: "_int4" };
const ACTION: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

async function checkPostgres(ir: SchemaIR, ds: DataSource): Promise<void> {
  const tableRows: Array<{ table_name: string }> = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  expect(sorted(tableRows.map((r) => r.table_name))).toEqual(sorted(ir.tables.map((t) => t.name)));

  const columnRows: PgColumnRow[] = await ds.query(
    `SELECT table_name, column_name, data_type, udt_name, character_maximum_length, numeric_precision, numeric_scale,
            is_nullable, column_default, is_identity, identity_generation
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const constraints: Array<{
    table: string;
    name: string;
    type: string;
    deltype: string;
    updtype: string;
    deferrable: boolean;
    deferred: boolean;
  }> = await ds.query(
    `SELECT rel.relname AS table, con.conname AS name, con.contype AS type, con.confdeltype AS deltype,
              con.confupdtype AS updtype, con.condeferrable AS deferrable, con.condeferred AS deferred
         FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = rel.relnamespace WHERE n.nspname = 'public'`,
  );
  const indexRows: Array<{ tablename: string; indexname: string; indexdef: string }> = await ds.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
  );
  const enumRows: Array<{ name: string; values: string[] }> = await ds.query(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`,
  );
  expect([...enumRows].sort(byName)).toEqual([...ir.enums].sort(byName));

  for (const t of ir.tables) {
    const cols = columnRows.filter((r) => r.table_name === t.name);
    expect(
      cols.map((c) => c.column_name),
      t.name,
    ).toEqual(t.columns.map((c) => c.name));
    for (const c of t.columns) {
      const row = cols.find((r) => r.column_name === c.name) as PgColumnRow;
      const where = `${t.name}.${c.name}`;
      if (c.array) {
        expect(row.data_type, where).toBe("ARRAY");
        expect(row.udt_name, where).toBe(c.type === "enum" ? `_${c.enumName}` : ARRAY_UDT[c.type]);
      } else if (c.type === "enum") {
        expect([row.data_type, row.udt_name], where).toEqual(["USER-DEFINED", c.enumName]);
      } else {
        expect(row.data_type, where).toBe(c.type);
      }
      expect(row.character_maximum_length, where).toBe(c.length ?? null);
      if (c.type === "numeric") expect([row.numeric_precision, row.numeric_scale], where).toEqual([c.precision, c.scale]);
      expect(row.is_nullable === "YES", where).toBe(c.nullable);
      if (c.generated === "increment") {
        expect(row.column_default, where).toMatch(/^nextval\(/);
      } else if (c.generated === "identity") {
        expect([row.is_identity, row.identity_generation], where).toEqual(["YES", c.identity]);
      } else {
        expect(comparableDefault(row.column_default), where).toBe(comparableDefault(c.default));
      }
      if (c.comment) {
        const [comment] = await ds.query(
          `SELECT col_description('public."${t.name}"'::regclass, a.attnum) AS text FROM pg_attribute a
            WHERE a.attrelid = 'public."${t.name}"'::regclass AND a.attname = $1`,
          [c.name],
        );
        expect(comment.text, where).toBe(c.comment);
      }
    }

    const mine = constraints.filter((c) => c.table === t.name);
    expect(
      mine.filter((c) => c.type === "p").map((c) => c.name),
      t.name,
    ).toEqual(t.primaryKey?.name ? [t.primaryKey.name] : []);
    expect(sorted(mine.filter((c) => c.type === "u").map((c) => c.name)), t.name).toEqual(sorted(t.uniques.map((u) => u.name ?? "")));
    expect(sorted(mine.filter((c) => c.type === "c").map((c) => c.name)), t.name).toEqual(sorted(t.checks.map((c) => c.name ?? "")));
    const fks = mine.filter((c) => c.type === "f");
    expect(sorted(fks.map((f) => f.name)), t.name).toEqual(sorted(t.foreignKeys.map((f) => f.name ?? "")));
    for (const fk of t.foreignKeys) {
      const row = fks.find((f) => f.name === fk.name);
      expect([ACTION[row?.deltype ?? ""], ACTION[row?.updtype ?? ""]], fk.name).toEqual([fk.onDelete, fk.onUpdate]);
      const deferrable = row?.deferrable ? (row.deferred ? "INITIALLY DEFERRED" : "INITIALLY IMMEDIATE") : undefined;
      expect(deferrable, fk.name).toBe(fk.deferrable);
    }

    const constraintNames = new Set(mine.map((c) => c.name));
    const indexes = indexRows.filter((i) => i.tablename === t.name && !constraintNames.has(i.indexname));
    expect(sorted(indexes.map((i) => i.indexname)), t.name).toEqual(sorted(t.indexes.map((i) => i.name)));
    for (const index of t.indexes) {
      // pg_indexes quotes identifiers only where needed.
      const def = (indexes.find((i) => i.indexname === index.name)?.indexdef ?? "").replaceAll('"', "");
      expect(def.startsWith(index.unique ? "CREATE UNIQUE INDEX" : "CREATE INDEX"), index.name).toBe(true);
      expect(def, index.name).toContain(`USING ${index.method ?? "btree"} (${index.columns.join(", ")})`);
      expect(def.includes(" WHERE "), index.name).toBe(index.where !== undefined);
    }

    if (t.comment) {
      const [comment] = await ds.query(`SELECT obj_description('public."${t.name}"'::regclass, 'pg_class') AS text`);
      expect(comment.text, t.name).toBe(t.comment);
    }
  }
}

const PG = await pgAvailable();

describe.skipIf(!PG)("PostgreSQL: the IR is what TypeORM's synchronize creates", () => {
  it.each([
    ["models-example", EXAMPLE, "entities/*.ts"],
    ["pg-only", FIXTURES, "pg-only/*.ts"],
    ["library (ESM .js)", FIXTURES, "library-esm/*.js"],
  ])("%s", async (_label, baseDir, pattern) => {
    const ir = await readModels({ dialect: "postgres", baseDir, entities: [pattern] });
    const db = await createPgDatabase("autogen_oracle");
    const ds = new DataSource({ type: "postgres", url: db.url, entities: entityClasses(baseDir, pattern), synchronize: true });
    try {
      await ds.initialize();
      await checkPostgres(ir, ds);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await db.drop();
    }
  });
});

// ---------------------------------------------------------------------------------
// MySQL / MariaDB
// ---------------------------------------------------------------------------------

interface MysqlColumnRow {
  TABLE_NAME: string;
  COLUMN_NAME: string;
  DATA_TYPE: string;
  COLUMN_TYPE: string;
  CHARACTER_MAXIMUM_LENGTH: number | string | null;
  DATETIME_PRECISION: number | string | null;
  IS_NULLABLE: "YES" | "NO";
  COLUMN_DEFAULT: string | null;
  EXTRA: string;
  COLUMN_COMMENT: string;
}

/** A default as the catalog and TypeORM may both spell it: lower case, a quoted number unquoted, NULL none. */
function mysqlComparableDefault(expression: string | null | undefined): string | null {
  if (expression === null || expression === undefined || /^null$/i.test(expression)) return null;
  return expression.replace(/^'(-?\d+(?:\.\d+)?)'$/, "$1").toLowerCase();
}

async function checkMysql(ir: SchemaIR, ds: DataSource): Promise<void> {
  const here = "TABLE_SCHEMA = DATABASE()";
  const tableRows: Array<{ TABLE_NAME: string; TABLE_COMMENT: string }> = await ds.query(
    `SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES WHERE ${here} AND TABLE_TYPE = 'BASE TABLE'`,
  );
  expect(sorted(tableRows.map((r) => r.TABLE_NAME))).toEqual(sorted(ir.tables.map((t) => t.name)));
  const columnRows: MysqlColumnRow[] = await ds.query(
    `SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, DATETIME_PRECISION, IS_NULLABLE,
            COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT
       FROM information_schema.COLUMNS WHERE ${here} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  const indexRows: Array<{ TABLE_NAME: string; INDEX_NAME: string; NON_UNIQUE: number | string; COLUMN_NAME: string }> = await ds.query(
    `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS WHERE ${here} ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  );
  const fkRows: Array<{ TABLE_NAME: string; CONSTRAINT_NAME: string; DELETE_RULE: string; UPDATE_RULE: string }> = await ds.query(
    `SELECT TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`,
  );
  const checkRows: Array<{ TABLE_NAME: string; CONSTRAINT_NAME: string }> = await ds.query(
    `SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'CHECK'`,
  );

  for (const t of ir.tables) {
    const cols = columnRows.filter((r) => r.TABLE_NAME === t.name);
    expect(
      cols.map((c) => c.COLUMN_NAME),
      t.name,
    ).toEqual(t.columns.map((c) => c.name));
    for (const c of t.columns) {
      const row = cols.find((r) => r.COLUMN_NAME === c.name)!;
      const where = `${t.name}.${c.name}`;
      expect(row.DATA_TYPE, where).toBe(c.type);
      if (c.enumValues) expect(row.COLUMN_TYPE, where).toBe(`enum(${c.enumValues.map((v) => `'${v}'`).join(",")})`);
      if (c.length !== undefined) expect(Number(row.CHARACTER_MAXIMUM_LENGTH), where).toBe(c.length);
      if (c.type === "datetime" || c.type === "timestamp") expect(Number(row.DATETIME_PRECISION), where).toBe(c.precision ?? 0);
      expect(row.IS_NULLABLE === "YES", where).toBe(c.nullable);
      expect(row.EXTRA.includes("auto_increment"), where).toBe(c.generated === "increment");
      const [value, onUpdate] = (c.default ?? "").split(/\s+ON UPDATE\s+/i);
      expect(mysqlComparableDefault(row.COLUMN_DEFAULT), where).toBe(mysqlComparableDefault(value || null));
      expect(/on update (\S+)/i.exec(row.EXTRA)?.[1]?.toLowerCase(), where).toBe(onUpdate?.toLowerCase());
      expect(row.COLUMN_COMMENT, where).toBe(c.comment ?? "");
    }

    const indexes = new Map<string, { unique: boolean; columns: string[] }>();
    for (const r of indexRows.filter((i) => i.TABLE_NAME === t.name)) {
      const index = indexes.get(r.INDEX_NAME) ?? { unique: Number(r.NON_UNIQUE) === 0, columns: [] };
      index.columns.push(r.COLUMN_NAME);
      indexes.set(r.INDEX_NAME, index);
    }
    expect(indexes.get("PRIMARY")?.columns, t.name).toEqual(t.primaryKey?.columns);
    const fks = fkRows.filter((f) => f.TABLE_NAME === t.name);
    expect(sorted(fks.map((f) => f.CONSTRAINT_NAME)), t.name).toEqual(sorted(t.foreignKeys.map((f) => f.name ?? "")));
    for (const fk of t.foreignKeys) {
      const row = fks.find((f) => f.CONSTRAINT_NAME === fk.name);
      expect([row?.DELETE_RULE, row?.UPDATE_RULE], fk.name).toEqual([fk.onDelete, fk.onUpdate]);
    }
    // The server gives a foreign key an index of its own name where none of the table's serves it.
    const declared = [...t.indexes.map((i) => i.name), ...t.uniques.map((u) => u.name ?? "")];
    const own = [...indexes.keys()].filter((name) => name !== "PRIMARY" && !t.foreignKeys.some((fk) => fk.name === name));
    expect(sorted(own), t.name).toEqual(sorted(declared));
    for (const index of t.indexes) expect(indexes.get(index.name), index.name).toEqual({ unique: index.unique, columns: index.columns });
    for (const unique of t.uniques) expect(indexes.get(unique.name ?? ""), unique.name).toEqual({ unique: true, columns: unique.columns });
    const checks = checkRows.filter((c) => c.TABLE_NAME === t.name).map((c) => c.CONSTRAINT_NAME);
    expect(sorted(checks), t.name).toEqual(sorted(t.checks.map((c) => c.name ?? "")));
    expect(tableRows.find((r) => r.TABLE_NAME === t.name)?.TABLE_COMMENT, t.name).toBe(t.comment ?? "");
  }
}

const MYSQL = await mysqlAvailable();

describe.skipIf(!MYSQL)("MySQL/MariaDB: the IR is what TypeORM's synchronize creates", () => {
  it.each([
    ["models-example", EXAMPLE, "entities/*.ts"],
    ["library (ESM .js)", FIXTURES, "library-esm/*.js"],
  ])("%s", async (_label, baseDir, pattern) => {
    const ir = await readModels({ dialect: "mysql", baseDir, entities: [pattern] });
    const db = await createMysqlDatabase("autogen_oracle");
    // MariaDB is the test server: TypeORM's "mariadb" driver, as its users would pick.
    const ds = new DataSource({ type: "mariadb", url: db.url, entities: entityClasses(baseDir, pattern), synchronize: true });
    try {
      await ds.initialize();
      await checkMysql(ir, ds);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await db.drop();
    }
  });
});
