/**
 * Reads the live schema of the connection's database from information_schema in seven
 * queries, whatever the number of tables: the server's version, tables, columns, index
 * columns, foreign-key columns, check constraints, views (and TypeORM's view rows when
 * there are views).
 *
 * What the catalog says differently from what was written:
 * - MariaDB stores `json` as `longtext` plus a CHECK (json_valid(`col`)) named after the
 *   column: read back as `json`, the check left out.
 * - MySQL (not MariaDB) reports a literal default unquoted and marks an expression
 *   default DEFAULT_GENERATED in EXTRA: literals are quoted here, as MariaDB does.
 * - Every table has an engine and a collation; InnoDB (normalised away) and the
 *   database's default collation are left out, as TypeORM declares neither.
 * - A foreign key needs an index on its columns; where none was declared the server
 *   creates one named after the constraint. It is the key's, not the models', and is
 *   left out (as TypeORM's own loadTables does).
 */
import type { DbConnection, IntrospectOptions } from "../dialect.js";
import { TYPEORM_METADATA_TABLE } from "../../schema/ir.js";
import type { ColumnIR, ForeignKeyIR, IndexIR, ReferentialAction, SchemaIR, TableIR, ViewIR } from "../../schema/ir.js";
import { normalizeSchema } from "./normalize.js";
import { quoteIdent, quoteLiteral } from "./quote.js";
import { serverTraits } from "./server.js";
import { NUMERIC_TYPES, parseColumnType, splitType } from "./types.js";

/** Catalog queries one introspection sends (the version, then six catalog reads; one more for TypeORM's view rows). */
export const INTROSPECTION_QUERY_COUNT = 7;

interface TableRow {
  TABLE_NAME: string;
  TABLE_COMMENT: string | null;
  TABLE_COLLATION: string | null;
  ENGINE: string | null;
  /** The database's default collation (the same on every row). */
  DEFAULT_COLLATION_NAME: string | null;
}
interface ColumnRow {
  TABLE_NAME: string;
  COLUMN_NAME: string;
  COLUMN_TYPE: string;
  IS_NULLABLE: string;
  COLUMN_DEFAULT: string | null;
  EXTRA: string;
  COLLATION_NAME: string | null;
  COLUMN_COMMENT: string | null;
  GENERATION_EXPRESSION: string | null;
}
interface IndexRow {
  TABLE_NAME: string;
  INDEX_NAME: string;
  NON_UNIQUE: number | string;
  COLUMN_NAME: string | null;
  INDEX_TYPE: string;
  EXPRESSION?: string | null;
}
interface ForeignKeyRow {
  TABLE_NAME: string;
  CONSTRAINT_NAME: string;
  COLUMN_NAME: string;
  REFERENCED_TABLE_NAME: string;
  REFERENCED_COLUMN_NAME: string;
  DELETE_RULE: string;
  UPDATE_RULE: string;
}
interface CheckRow {
  TABLE_NAME: string;
  CONSTRAINT_NAME: string;
  CHECK_CLAUSE: string;
}

const IN_DATABASE = "TABLE_SCHEMA = DATABASE()";

function action(rule: string): ReferentialAction {
  const upper = rule.toUpperCase();
  return (["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"] as const).find((a) => a === upper) ?? "NO ACTION";
}

/** The default as MariaDB spells it (literals quoted, expressions bare). */
function defaultOf(row: ColumnRow, mariadb: boolean): string | undefined {
  const raw = row.COLUMN_DEFAULT;
  const extra = row.EXTRA.toLowerCase();
  let value: string | undefined;
  if (raw === null) value = undefined;
  else if (mariadb) value = raw;
  else if (extra.includes("default_generated")) value = raw;
  else if (NUMERIC_TYPES.has(splitType(parseColumnType(row.COLUMN_TYPE).type).base)) value = raw;
  else value = quoteLiteral(raw);
  const onUpdate = /on update (\S+(?:\(\d*\))?)/i.exec(row.EXTRA)?.[1];
  if (onUpdate) return `${value ?? "NULL"} ON UPDATE ${onUpdate}`;
  return value;
}

function columnOf(row: ColumnRow, table: TableRow | undefined, mariadb: boolean, jsonChecked: boolean): ColumnIR {
  const type = parseColumnType(row.COLUMN_TYPE);
  if (jsonChecked && type.type === "longtext") type.type = "json";
  const extra = row.EXTRA.toLowerCase();
  const column: ColumnIR = { name: row.COLUMN_NAME, ...type, nullable: row.IS_NULLABLE === "YES" };
  const generated = /(virtual|stored|persistent) generated/.exec(extra);
  if (generated && row.GENERATION_EXPRESSION) {
    column.computed = { expression: row.GENERATION_EXPRESSION, stored: generated[1] !== "virtual" };
  } else {
    const def = defaultOf(row, mariadb);
    if (def !== undefined) column.default = def;
  }
  if (extra.includes("auto_increment")) column.generated = "increment";
  // A column's collation is worth stating only where it is not its table's.
  if (row.COLLATION_NAME && row.COLLATION_NAME !== table?.TABLE_COLLATION && type.type !== "json") column.collation = row.COLLATION_NAME;
  if (row.COLUMN_COMMENT) column.comment = row.COLUMN_COMMENT;
  return column;
}

function group<T extends { TABLE_NAME: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(row.TABLE_NAME);
    if (list) list.push(row);
    else out.set(row.TABLE_NAME, [row]);
  }
  return out;
}

export async function introspect(conn: DbConnection, options: IntrospectOptions): Promise<SchemaIR> {
  const excluded = new Set([options.versionTable, ...(options.excludeTables ?? [])]);
  const [version] = await conn.query<{ v: string }>("SELECT VERSION() AS v");
  const server = serverTraits(version?.v ?? "");
  const { mariadb } = server;
  const tables = await conn.query<TableRow>(
    `SELECT t.TABLE_NAME, t.TABLE_COMMENT, t.TABLE_COLLATION, t.ENGINE, s.DEFAULT_COLLATION_NAME FROM information_schema.TABLES t ` +
      `JOIN information_schema.SCHEMATA s ON s.SCHEMA_NAME = t.TABLE_SCHEMA ` +
      `WHERE t.${IN_DATABASE} AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY t.TABLE_NAME`,
  );
  const columns = await conn.query<ColumnRow>(
    `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLLATION_NAME, COLUMN_COMMENT, GENERATION_EXPRESSION ` +
      `FROM information_schema.COLUMNS WHERE ${IN_DATABASE} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  const indexes = await conn.query<IndexRow>(
    `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE FROM information_schema.STATISTICS ` +
      `WHERE ${IN_DATABASE} ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  );
  const foreignKeys = await conn.query<ForeignKeyRow>(
    `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE ` +
      `FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r ` +
      `ON r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME ` +
      `WHERE k.${IN_DATABASE} AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
  );
  const checks = await conn.query<CheckRow>(
    `SELECT t.TABLE_NAME, t.CONSTRAINT_NAME, c.CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS t ` +
      `JOIN information_schema.CHECK_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = t.TABLE_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME` +
      (mariadb ? " AND c.TABLE_NAME = t.TABLE_NAME" : "") +
      ` WHERE t.${IN_DATABASE} AND t.CONSTRAINT_TYPE = 'CHECK' ORDER BY t.TABLE_NAME, t.CONSTRAINT_NAME`,
  );

  const columnsOf = group(columns);
  const indexesOf = group(indexes);
  const foreignKeysOf = group(foreignKeys);
  const checksOf = group(checks);
  const out: TableIR[] = [];
  for (const table of tables) {
    if (excluded.has(table.TABLE_NAME)) continue;
    const name = table.TABLE_NAME;
    // MariaDB's json: a longtext with CHECK (json_valid(`col`)) named after the column.
    const jsonChecks = new Set(
      (checksOf.get(name) ?? [])
        .filter((c) => new RegExp(`^json_valid\\(\`${escapeRegExp(c.CONSTRAINT_NAME)}\`\\)$`, "i").test(c.CHECK_CLAUSE.trim()))
        .map((c) => c.CONSTRAINT_NAME),
    );
    const ir: TableIR = {
      name,
      columns: (columnsOf.get(name) ?? []).map((row) => columnOf(row, table, mariadb, jsonChecks.has(row.COLUMN_NAME))),
      foreignKeys: foreignKeysFrom(foreignKeysOf.get(name) ?? []),
      uniques: [],
      indexes: [],
      checks: (checksOf.get(name) ?? [])
        .filter((c) => !jsonChecks.has(c.CONSTRAINT_NAME))
        .map((c) => ({ name: c.CONSTRAINT_NAME, expression: c.CHECK_CLAUSE })),
    };
    const fkNames = new Set(ir.foreignKeys.map((fk) => fk.name));
    for (const [indexName, rows] of group((indexesOf.get(name) ?? []).map((r) => ({ ...r, TABLE_NAME: r.INDEX_NAME })))) {
      const first = rows[0]!;
      const cols = rows.map((r) => r.COLUMN_NAME ?? r.EXPRESSION ?? "");
      if (indexName === "PRIMARY") {
        ir.primaryKey = { columns: cols };
        continue;
      }
      const unique = Number(first.NON_UNIQUE) === 0;
      if (!unique && fkNames.has(indexName)) continue;
      const index: IndexIR = { name: indexName, columns: cols, unique };
      const type = first.INDEX_TYPE.toLowerCase();
      if (type === "fulltext" || type === "spatial") index.method = type;
      ir.indexes.push(index);
    }
    if (table.TABLE_COMMENT) ir.comment = table.TABLE_COMMENT;
    if (table.ENGINE) ir.engine = table.ENGINE;
    // The database's default is what a table gets when it names none, as TypeORM's do.
    if (table.TABLE_COLLATION && table.TABLE_COLLATION !== table.DEFAULT_COLLATION_NAME) ir.collation = table.TABLE_COLLATION;
    out.push(ir);
  }
  const views = await readViews(conn, tables, excluded);
  return normalizeSchema({ dialect: "mysql", tables: out, enums: [], ...(views.length > 0 ? { views } : {}) }, server);
}

/**
 * Views: the expression is the text TypeORM recorded in its metadata table when there is
 * a row (what TypeORM compares with its entities), else the server's VIEW_DEFINITION.
 * The rows cost one more query, sent only when there are views and that table exists.
 */
async function readViews(conn: DbConnection, tables: TableRow[], excluded: Set<string>): Promise<ViewIR[]> {
  const found = (
    await conn.query<{ TABLE_NAME: string; VIEW_DEFINITION: string | null }>(
      `SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE ${IN_DATABASE} ORDER BY TABLE_NAME`,
    )
  ).filter((v) => !excluded.has(v.TABLE_NAME));
  if (found.length === 0) return [];
  const recorded = new Map<string, string>();
  if (tables.some((t) => t.TABLE_NAME === TYPEORM_METADATA_TABLE)) {
    const rows = await conn.query<{ name: string; value: string | null }>(
      `SELECT \`name\`, \`value\` FROM ${quoteIdent(TYPEORM_METADATA_TABLE)} WHERE \`type\` = 'VIEW' AND (\`database\` = DATABASE() OR \`database\` IS NULL)`,
    );
    for (const row of rows) if (row.value !== null) recorded.set(row.name, row.value);
  }
  return found.map((v) => ({ name: v.TABLE_NAME, expression: recorded.get(v.TABLE_NAME) ?? v.VIEW_DEFINITION ?? "" }));
}

function foreignKeysFrom(rows: ForeignKeyRow[]): ForeignKeyIR[] {
  const byName = new Map<string, ForeignKeyIR>();
  for (const row of rows) {
    let fk = byName.get(row.CONSTRAINT_NAME);
    if (!fk) {
      fk = {
        name: row.CONSTRAINT_NAME,
        columns: [],
        referencedTable: row.REFERENCED_TABLE_NAME,
        referencedColumns: [],
        onDelete: action(row.DELETE_RULE),
        onUpdate: action(row.UPDATE_RULE),
      };
      byName.set(row.CONSTRAINT_NAME, fk);
    }
    fk.columns.push(row.COLUMN_NAME);
    fk.referencedColumns.push(row.REFERENCED_COLUMN_NAME);
  }
  return [...byName.values()];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
