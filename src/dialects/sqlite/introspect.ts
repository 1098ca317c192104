/**
 * Reads a live SQLite schema into the IR with four queries, whatever the number of
 * tables: sqlite_master, then pragma_table_xinfo, pragma_index_list ⋈ pragma_index_info
 * and pragma_foreign_key_list, each joined to sqlite_master so one query covers every
 * table. What the pragmas do not report (constraint names, CHECKs, enum lists,
 * AUTOINCREMENT, COLLATE, generated expressions, DEFERRABLE, partial-index predicates)
 * comes from parsing the DDL text in sqlite_master (./ddl-parser.ts).
 */
import type {
  CheckIR,
  ColumnIR,
  ForeignKeyIR,
  IndexIR,
  PrimaryKeyIR,
  ReferentialAction,
  SchemaIR,
  TableIR,
  UniqueIR,
  ViewIR,
} from "../../schema/ir.js";
import { UserError, errorMessage } from "../../errors.js";
import { TYPEORM_METADATA_TABLE } from "../../schema/ir.js";
import type { DbConnection, IntrospectOptions } from "../dialect.js";
import {
  enumValuesOfCheck,
  parseCreateIndex,
  parseCreateTable,
  type ParsedColumn,
  type ParsedForeignKeyClause,
  type ParsedIndex,
  type ParsedTable,
} from "./ddl/ddl-parser.js";
import { SqlSyntaxError } from "./ddl/sql-tokens.js";
import { normalizeSchema } from "./normalize.js";
import { parseDeclaredType } from "./types.js";
import { quoteIdent, quoteLiteral } from "./quote.js";

interface MasterRow {
  type: "table" | "index" | "view" | "trigger";
  name: string;
  tbl_name: string;
  sql: string | null;
}

interface ColumnRow {
  table_name: string;
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  /** 0 ordinary, 1 hidden (virtual tables), 2 generated VIRTUAL, 3 generated STORED. */
  hidden: number;
}

interface IndexRow {
  table_name: string;
  index_name: string;
  unique: number;
  /** c = CREATE INDEX, u = UNIQUE constraint, pk = PRIMARY KEY. */
  origin: "c" | "u" | "pk";
  seqno: number;
  column_name: string | null;
}

interface ForeignKeyRow {
  table_name: string;
  id: number;
  seq: number;
  referenced_table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}

/** The catalog rows of one schema, as the four queries return them. */
interface Catalog {
  master: MasterRow[];
  columns: ColumnRow[];
  indexes: IndexRow[];
  foreignKeys: ForeignKeyRow[];
}

async function readCatalog(conn: DbConnection, schema: string): Promise<Catalog> {
  const master = `${quoteIdent(schema)}.sqlite_master`;
  const schemaArg = quoteLiteral(schema);
  // Ordinary tables only: not SQLite's own (sqlite_sequence, sqlite_stat1, …) nor virtual tables.
  const userTables = `m."type" = 'table' AND m."name" NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m."sql" NOT LIKE 'CREATE VIRTUAL%'`;
  const masterRows = await conn
    .query<MasterRow>(
      `SELECT m."type", m."name", m."tbl_name", m."sql" FROM ${master} AS m ` +
        `WHERE m."type" IN ('table', 'index', 'view', 'trigger') AND m."name" NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m."name"`,
    )
    .catch((err: unknown) => {
      if (/unknown database|no such table: \S*sqlite_master/i.test(errorMessage(err))) {
        throw new UserError(
          `SQLite has no database "${schema}" attached (a schema on SQLite is an attached database; the default is "main")`,
        );
      }
      throw err;
    });
  const [columns, indexes, foreignKeys] = [
    await conn.query<ColumnRow>(
      `SELECT m."name" AS "table_name", c."cid", c."name", c."type", c."notnull", c."dflt_value", c."pk", c."hidden" ` +
        `FROM ${master} AS m JOIN pragma_table_xinfo(m."name", ${schemaArg}) AS c ` +
        `WHERE ${userTables} ORDER BY m."name", c."cid"`,
    ),
    await conn.query<IndexRow>(
      `SELECT m."name" AS "table_name", il."name" AS "index_name", il."unique", il."origin", ii."seqno", ii."name" AS "column_name" ` +
        `FROM ${master} AS m JOIN pragma_index_list(m."name", ${schemaArg}) AS il ` +
        `JOIN pragma_index_info(il."name", ${schemaArg}) AS ii ` +
        `WHERE ${userTables} ORDER BY m."name", il."name", ii."seqno"`,
    ),
    await conn.query<ForeignKeyRow>(
      `SELECT m."name" AS "table_name", f."id", f."seq", f."table" AS "referenced_table", f."from", f."to", f."on_update", f."on_delete" ` +
        `FROM ${master} AS m JOIN pragma_foreign_key_list(m."name", ${schemaArg}) AS f ` +
        `WHERE ${userTables} ORDER BY m."name", f."id", f."seq"`,
    ),
  ];
  return { master: masterRows, columns, indexes, foreignKeys };
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

const sameColumns = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => name.toLowerCase() === b[i]!.toLowerCase());

const named = (name: string | undefined): { name?: string } => (name !== undefined ? { name } : {});

/** Takes the first not-yet-used candidate that `matches`, so two equal constraints map one to one. */
function takeMatch<T>(candidates: T[], matches: (candidate: T) => boolean): T | undefined {
  const at = candidates.findIndex(matches);
  return at === -1 ? undefined : candidates.splice(at, 1)[0];
}

/** TypeORM writes an enum as `"role" varchar CHECK( "role" IN (…) )`; it reads one back only in that shape. */
function enumValuesOf(column: ParsedColumn): string[] | undefined {
  if (column.declaredType.trim().toLowerCase() !== "varchar") return undefined;
  for (const check of column.checks) {
    if (check.name !== undefined) continue;
    const values = enumValuesOfCheck(check.expression, column.name);
    if (values) return values;
  }
  return undefined;
}

function readColumn(row: ColumnRow, parsed: ParsedColumn | undefined): ColumnIR {
  const column: ColumnIR = { name: row.name, ...parseDeclaredType(row.type), nullable: row.notnull === 0 };
  if (row.dflt_value !== null) column.default = row.dflt_value;
  if (parsed?.primaryKey?.autoincrement) column.generated = "increment";
  if ((row.hidden === 2 || row.hidden === 3) && parsed?.generated) {
    column.computed = { expression: parsed.generated.expression, stored: row.hidden === 3 };
  }
  if (parsed?.collation !== undefined) column.collation = parsed.collation;
  const enumValues = parsed ? enumValuesOf(parsed) : undefined;
  if (enumValues) column.enumValues = enumValues;
  return column;
}

function readPrimaryKey(columns: ColumnRow[], parsed: ParsedTable): PrimaryKeyIR | undefined {
  const keyColumns = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  if (keyColumns.length === 0) return undefined;
  const tableLevel = parsed.constraints.find((c) => c.kind === "primaryKey");
  const columnLevel = parsed.columns.find((c) => c.primaryKey)?.primaryKey;
  return { ...named(tableLevel?.name ?? columnLevel?.name), columns: keyColumns.map((c) => c.name) };
}

type ParsedForeignKey = ParsedForeignKeyClause & { name?: string; columns: string[] };

function parsedForeignKeys(parsed: ParsedTable): ParsedForeignKey[] {
  const fromColumns = parsed.columns.flatMap((c) => c.references.map((r) => ({ ...r, columns: [c.name] })));
  const fromTable = parsed.constraints.flatMap((c) => (c.kind === "foreignKey" ? [c] : []));
  return [...fromColumns, ...fromTable];
}

function referentialAction(value: string): ReferentialAction {
  const upper = value.toUpperCase();
  const known: ReferentialAction[] = ["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"];
  return known.find((k) => k === upper) ?? "NO ACTION";
}

function readForeignKeys(rows: ForeignKeyRow[], parsed: ParsedTable, primaryKeyOf: (table: string) => string[]): ForeignKeyIR[] {
  const candidates = parsedForeignKeys(parsed);
  const groups = [...groupBy(rows, (r) => r.id).values()];
  // pragma_foreign_key_list numbers foreign keys in reverse order of declaration.
  groups.sort((a, b) => b[0]!.id - a[0]!.id);
  return groups.map((group) => {
    const first = group[0]!;
    const columns = group.map((r) => r.from);
    const explicit = group.every((r) => r.to !== null);
    const referencedColumns = explicit ? group.map((r) => r.to!) : primaryKeyOf(first.referenced_table);
    const source = takeMatch(
      candidates,
      (c) => sameColumns(c.columns, columns) && c.referencedTable.toLowerCase() === first.referenced_table.toLowerCase(),
    );
    const fk: ForeignKeyIR = {
      ...named(source?.name),
      columns,
      referencedTable: first.referenced_table,
      referencedColumns,
      onDelete: referentialAction(first.on_delete),
      onUpdate: referentialAction(first.on_update),
    };
    if (source?.deferrable) fk.deferrable = source.deferrable;
    return fk;
  });
}

function indexColumns(rows: IndexRow[]): string[] {
  return [...rows].sort((a, b) => a.seqno - b.seqno).map((r) => r.column_name ?? "");
}

function readUniques(rows: IndexRow[], parsed: ParsedTable): UniqueIR[] {
  const candidates = [
    ...parsed.columns.flatMap((c) => c.uniques.map((u) => ({ ...u, columns: [c.name] }))),
    ...parsed.constraints.flatMap((c) => (c.kind === "unique" ? [c] : [])),
  ];
  const autoIndexes = groupBy(
    rows.filter((r) => r.origin === "u"),
    (r) => r.index_name,
  );
  return [...autoIndexes.values()].map((group) => {
    const columns = indexColumns(group);
    const source = takeMatch(candidates, (c) => sameColumns(c.columns, columns));
    return { ...named(source?.name), columns };
  });
}

function readIndexes(rows: IndexRow[], definitions: Map<string, ParsedIndex>): IndexIR[] {
  const created = groupBy(
    rows.filter((r) => r.origin === "c"),
    (r) => r.index_name,
  );
  return [...created.entries()].map(([name, group]) => {
    const definition = definitions.get(name);
    // pragma_index_info has no name for an expression term; the DDL has its text.
    const columns = [...group].sort((a, b) => a.seqno - b.seqno).map((r) => r.column_name ?? definition?.columns[r.seqno] ?? "");
    const index: IndexIR = { name, columns, unique: group[0]!.unique === 1 };
    if (definition?.where !== undefined) index.where = definition.where;
    return index;
  });
}

function readChecks(parsed: ParsedTable): CheckIR[] {
  const checks: CheckIR[] = [];
  for (const column of parsed.columns) {
    const enumCheck = enumValuesOf(column);
    for (const check of column.checks) {
      if (enumCheck && check.name === undefined && enumValuesOfCheck(check.expression, column.name)) continue;
      checks.push({ ...named(check.name), expression: check.expression });
    }
  }
  for (const constraint of parsed.constraints) {
    if (constraint.kind === "check") checks.push({ ...named(constraint.name), expression: constraint.expression });
  }
  return checks;
}

/**
 * Stored DDL the parser cannot read is the database's content, not a bug to report with a
 * stack: the user gets one line naming the table and where in its SQL reading stopped.
 */
function parseTableSql(name: string, sql: string): ParsedTable {
  try {
    return parseCreateTable(sql);
  } catch (err) {
    const reason =
      err instanceof SqlSyntaxError ? `${err.reason} at offset ${err.offset}, near: ${excerpt(sql, err.offset)}` : errorMessage(err);
    throw new UserError(`Cannot read the definition of SQLite table "${name}": ${reason}`);
  }
}

const EXCERPT_CHARS = 60;

/** Up to EXCERPT_CHARS of `sql` from a little before `offset`, on one line. */
function excerpt(sql: string, offset: number): string {
  const from = Math.max(0, offset - 20);
  const text = sql
    .slice(from, from + EXCERPT_CHARS)
    .replace(/\s+/g, " ")
    .trim();
  return `${from > 0 ? "…" : ""}${text}${from + EXCERPT_CHARS < sql.length ? "…" : ""}`;
}

export async function introspect(conn: DbConnection, options: IntrospectOptions): Promise<SchemaIR> {
  const catalog = await readCatalog(conn, options.schema ?? "main");
  const excluded = new Set([options.versionTable, ...(options.excludeTables ?? [])].map((n) => n.toLowerCase()));
  const columnsByTable = groupBy(catalog.columns, (r) => r.table_name);
  const indexesByTable = groupBy(catalog.indexes, (r) => r.table_name);
  const foreignKeysByTable = groupBy(catalog.foreignKeys, (r) => r.table_name);
  const indexDefinitions = new Map<string, ParsedIndex>();
  for (const row of catalog.master) {
    if (row.type !== "index" || row.sql === null) continue;
    try {
      indexDefinitions.set(row.name, parseCreateIndex(row.sql));
    } catch {
      // The pragmas still describe the index; only a partial predicate would be missing.
    }
  }
  const primaryKeyOf = (table: string): string[] => {
    const entry = [...columnsByTable.entries()].find(([name]) => name.toLowerCase() === table.toLowerCase());
    return (entry?.[1] ?? [])
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
  };

  const tables: TableIR[] = [];
  for (const row of catalog.master) {
    if (row.type !== "table" || row.sql === null || !columnsByTable.has(row.name)) continue;
    if (excluded.has(row.name.toLowerCase())) continue;
    const parsed = parseTableSql(row.name, row.sql);
    const parsedColumns = new Map(parsed.columns.map((c) => [c.name.toLowerCase(), c]));
    const columnRows = columnsByTable.get(row.name)!.filter((c) => c.hidden !== 1);
    const indexRows = indexesByTable.get(row.name) ?? [];
    const table: TableIR = {
      name: row.name,
      columns: columnRows.map((c) => readColumn(c, parsedColumns.get(c.name.toLowerCase()))),
      foreignKeys: readForeignKeys(foreignKeysByTable.get(row.name) ?? [], parsed, primaryKeyOf),
      uniques: readUniques(indexRows, parsed),
      indexes: readIndexes(indexRows, indexDefinitions),
      checks: readChecks(parsed),
    };
    const primaryKey = readPrimaryKey(columnRows, parsed);
    if (primaryKey) table.primaryKey = primaryKey;
    // A table rebuild drops the table's triggers with it; the rebuild creates these again.
    const triggers = catalog.master.filter(
      (m) => m.type === "trigger" && m.sql !== null && m.tbl_name.toLowerCase() === row.name.toLowerCase(),
    );
    if (triggers.length > 0) table.triggers = triggers.map((m) => ({ name: m.name, sql: m.sql! }));
    tables.push(table);
  }
  const views = await readViews(conn, options.schema ?? "main", catalog.master, excluded);
  return normalizeSchema({ dialect: "sqlite", tables, enums: [], ...(views.length > 0 ? { views } : {}) });
}

/**
 * Views: the expression is the text TypeORM recorded in its metadata table when there is
 * a row (what TypeORM compares with its entities), else the SELECT of the view's own DDL.
 * The rows cost one more query, sent only when there are views and that table exists.
 */
async function readViews(conn: DbConnection, schema: string, master: MasterRow[], excluded: Set<string>): Promise<ViewIR[]> {
  const found = master.filter((row) => row.type === "view" && !excluded.has(row.name.toLowerCase()));
  if (found.length === 0) return [];
  const recorded = new Map<string, string>();
  if (master.some((row) => row.type === "table" && row.name === TYPEORM_METADATA_TABLE)) {
    const rows = await conn.query<{ name: string; value: string | null }>(
      `SELECT "name", "value" FROM ${quoteIdent(schema)}.${quoteIdent(TYPEORM_METADATA_TABLE)} WHERE "type" = 'VIEW'`,
    );
    for (const row of rows) if (row.value !== null) recorded.set(row.name, row.value);
  }
  return found.map((row) => ({
    name: row.name,
    expression:
      recorded.get(row.name) ??
      (row.sql ?? "").replace(
        /^\s*create\s+(temp|temporary\s+)?view\s+(if\s+not\s+exists\s+)?("(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|\S+)\s+as\s+/i,
        "",
      ),
  }));
}
