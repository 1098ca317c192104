/**
 * Reads one PostgreSQL schema into the IR with six catalog queries, whatever the number
 * of tables: tables, columns, constraints (exclusion constraints among them), indexes,
 * enum types, and extensions with views (plus one for TypeORM's view rows, see below). Everything per table is
 * assembled in memory from those result sets.
 */
import type { ColumnIR, ForeignKeyIR, IndexIR, ReferentialAction, SchemaIR, TableIR, ViewIR } from "../../schema/ir.js";
import { emptyTable, TYPEORM_METADATA_TABLE } from "../../schema/ir.js";
import { quoteIdent } from "./quote.js";
import type { DbConnection, IntrospectOptions } from "../dialect.js";
import { DEFAULT_SCHEMA, normalizeSchema } from "./normalize.js";
import { parseTypeSpelling } from "./types.js";

const TABLES_SQL = `
SELECT c.oid::int8::text AS oid, c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname`;

// For arrays the element type (et) carries the name and the typmod; an enum column is
// recognised by its element/base type being an enum, whose values come along.
const COLUMNS_SQL = `
SELECT a.attrelid::int8::text AS table_oid,
       a.attname AS name,
       a.attnotnull AS not_null,
       et.oid IS NOT NULL AS is_array,
       pg_catalog.format_type(COALESCE(et.oid, t.oid), a.atttypmod) AS type_spelling,
       bt.typtype = 'e' AS is_enum,
       bt.typname AS enum_name,
       bn.nspname AS enum_schema,
       CASE WHEN bt.typtype = 'e' THEN
         ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = bt.oid ORDER BY e.enumsortorder)::text[]
       END AS enum_values,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       a.attidentity AS identity,
       a.attgenerated AS generated,
       pg_catalog.col_description(a.attrelid, a.attnum) AS comment,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname END AS collation,
       EXISTS (
         SELECT 1 FROM pg_catalog.pg_depend dep
         JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
         WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass
           AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a'
       ) AS owns_sequence
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
JOIN pg_catalog.pg_type bt ON bt.oid = COALESCE(et.oid, t.oid)
JOIN pg_catalog.pg_namespace bn ON bn.oid = bt.typnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

const CONSTRAINTS_SQL = `
SELECT con.conrelid::int8::text AS table_oid,
       con.conname AS name,
       con.contype AS type,
       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord)::text[] AS columns,
       rc.relname AS ref_table,
       rn.nspname AS ref_schema,
       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord)::text[] AS ref_columns,
       con.confdeltype AS on_delete,
       con.confupdtype AS on_update,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       CASE WHEN con.contype IN ('c', 'x') THEN pg_catalog.pg_get_constraintdef(con.oid) END AS definition
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND con.contype IN ('p', 'u', 'f', 'c', 'x')
ORDER BY con.conrelid, con.conname`;

// Indexes that back a primary key, unique or exclusion constraint are reported as the
// constraint, not as an index. Key columns only (INCLUDE columns are not part of the key);
// an expression key (attnum 0) is reported by its expression text.
const INDEXES_SQL = `
SELECT i.indrelid::int8::text AS table_oid,
       ic.relname AS name,
       i.indisunique AS is_unique,
       am.amname AS method,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       ARRAY(SELECT CASE WHEN k.attnum <> 0 THEN a.attname
                         ELSE pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true) END
             FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE k.ord <= i.indnkeyatts
             ORDER BY k.ord)::text[] AS columns
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_constraint con
    WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
  )
ORDER BY ic.relname`;

const ENUMS_SQL = `
SELECT t.typname AS name,
       ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)::text[] AS values
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1 AND t.typtype = 'e'
ORDER BY t.typname`;

// Extensions (database-wide), the schema's views, and whether TypeORM's metadata table is
// there: one query. TypeORM keeps each view's expression text in that table, which a
// second query reads only when both views and the table exist (a table that may be
// missing cannot be named in a query that must always run).
const OBJECTS_SQL = `
SELECT ARRAY(SELECT e.extname FROM pg_catalog.pg_extension e ORDER BY e.extname)::text[] AS extensions,
       EXISTS (SELECT 1 FROM pg_catalog.pg_class t JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
               WHERE tn.nspname = $1 AND t.relname = '${TYPEORM_METADATA_TABLE}' AND t.relkind IN ('r', 'p')) AS has_metadata,
       COALESCE((SELECT json_agg(json_build_object('name', v.relname, 'materialized', v.relkind = 'm',
                                                   'definition', pg_catalog.pg_get_viewdef(v.oid)) ORDER BY v.relname)
                 FROM pg_catalog.pg_class v JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
                 WHERE vn.nspname = $1 AND v.relkind IN ('v', 'm')), '[]'::json) AS views`;

const VIEW_METADATA_SQL = (schema: string) => `
SELECT "name", "type", "value" FROM ${quoteIdent(schema)}.${quoteIdent(TYPEORM_METADATA_TABLE)}
WHERE "type" IN ('VIEW', 'MATERIALIZED_VIEW') AND ("schema" = $1 OR "schema" IS NULL)`;

interface ObjectsRow {
  extensions: string[];
  has_metadata: boolean;
  views: Array<{ name: string; materialized: boolean; definition: string | null }>;
}

interface ViewMetadataRow {
  name: string;
  type: string;
  value: string | null;
}

interface TableRow {
  oid: string;
  name: string;
  comment: string | null;
}

interface ColumnRow {
  table_oid: string;
  name: string;
  not_null: boolean;
  is_array: boolean;
  type_spelling: string;
  is_enum: boolean;
  enum_name: string;
  enum_schema: string;
  enum_values: string[] | null;
  default_expr: string | null;
  identity: "" | "a" | "d";
  generated: "" | "s" | "v";
  comment: string | null;
  collation: string | null;
  owns_sequence: boolean;
}

interface ConstraintRow {
  table_oid: string;
  name: string;
  type: "p" | "u" | "f" | "c" | "x";
  columns: string[];
  ref_table: string | null;
  ref_schema: string | null;
  ref_columns: string[];
  on_delete: string;
  on_update: string;
  deferrable: boolean;
  deferred: boolean;
  definition: string | null;
}

interface IndexRow {
  table_oid: string;
  name: string;
  is_unique: boolean;
  method: string;
  predicate: string | null;
  columns: string[];
}

interface EnumRow {
  name: string;
  values: string[];
}

/**
 * The number of statements `introspect` sends, whatever the number of tables:
 * one more when the schema has views and TypeORM's metadata table (their expressions).
 */
export const INTROSPECTION_QUERY_COUNT = 6;

const ACTION_CODES: Record<string, ReferentialAction> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

export async function introspect(conn: DbConnection, options: IntrospectOptions): Promise<SchemaIR> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const params = [schema];
  // Sequential on purpose: one connection runs one statement at a time anyway.
  const tableRows = await conn.query<TableRow>(TABLES_SQL, params);
  const columnRows = await conn.query<ColumnRow>(COLUMNS_SQL, params);
  const constraintRows = await conn.query<ConstraintRow>(CONSTRAINTS_SQL, params);
  const indexRows = await conn.query<IndexRow>(INDEXES_SQL, params);
  const enumRows = await conn.query<EnumRow>(ENUMS_SQL, params);
  const [objects] = await conn.query<ObjectsRow>(OBJECTS_SQL, params);

  const skipped = new Set([options.versionTable, ...(options.excludeTables ?? [])]);
  const tables = new Map<string, TableIR>();
  // The schema read is the connection's default (the runtime puts it first on search_path,
  // the model reader leaves it off its tables), so nothing in it is spelled out.
  for (const row of tableRows) {
    if (skipped.has(row.name)) continue;
    const table = emptyTable(row.name);
    if (row.comment) table.comment = row.comment;
    tables.set(row.oid, table);
  }

  for (const row of columnRows) tables.get(row.table_oid)?.columns.push(readColumn(row));

  for (const row of constraintRows) {
    const table = tables.get(row.table_oid);
    if (!table) continue;
    if (row.type === "p") table.primaryKey = { name: row.name, columns: row.columns };
    else if (row.type === "u") table.uniques.push({ name: row.name, columns: row.columns });
    else if (row.type === "c") table.checks.push({ name: row.name, expression: checkBody(row.definition ?? "") });
    else if (row.type === "x") (table.exclusions ??= []).push({ name: row.name, expression: row.definition ?? "" });
    else table.foreignKeys.push(readForeignKey(row, schema));
  }

  for (const row of indexRows) {
    const table = tables.get(row.table_oid);
    if (!table) continue;
    const index: IndexIR = { name: row.name, columns: row.columns, unique: row.is_unique };
    if (row.predicate) index.where = row.predicate;
    if (row.method !== "btree") index.method = row.method;
    table.indexes.push(index);
  }

  const enums = enumRows.map((row) => ({ name: row.name, values: row.values }));
  const extensions = (objects?.extensions ?? []).map((name) => ({ name }));
  const views = await readViews(conn, objects, schema, skipped);
  return normalizeSchema({ dialect: "postgres", tables: [...tables.values()], enums, extensions, views });
}

/**
 * A view's expression is the text TypeORM recorded for it when there is a row (what
 * TypeORM itself compares with its entities), else the catalog's own deparsed SELECT.
 */
async function readViews(conn: DbConnection, objects: ObjectsRow | undefined, schema: string, skipped: Set<string>): Promise<ViewIR[]> {
  const found = (objects?.views ?? []).filter((v) => !skipped.has(v.name));
  if (found.length === 0) return [];
  const recorded = new Map<string, string>();
  if (objects?.has_metadata) {
    for (const row of await conn.query<ViewMetadataRow>(VIEW_METADATA_SQL(schema), [schema])) {
      if (row.value !== null) recorded.set(`${row.type}\u0000${row.name}`, row.value);
    }
  }
  return found.map((v) => {
    const type = v.materialized ? "MATERIALIZED_VIEW" : "VIEW";
    const view: ViewIR = { name: v.name, expression: recorded.get(`${type}\u0000${v.name}`) ?? (v.definition ?? "").trim() };
    if (v.materialized) view.materialized = true;
    return view;
  });
}

function readColumn(row: ColumnRow): ColumnIR {
  const column: ColumnIR = row.is_enum
    ? { name: row.name, type: "enum", enumName: row.enum_name, enumValues: row.enum_values ?? [], nullable: !row.not_null }
    : { name: row.name, ...parseTypeSpelling(row.type_spelling), nullable: !row.not_null };
  if (row.is_array) column.array = true;
  if (row.identity === "a" || row.identity === "d") {
    column.generated = "identity";
    column.identity = row.identity === "a" ? "ALWAYS" : "BY DEFAULT";
  } else if (row.generated === "s" && row.default_expr !== null) {
    column.computed = { expression: row.default_expr, stored: true };
  } else if (row.default_expr !== null) {
    // serial: a nextval() default on a sequence the column owns (what SERIAL creates)
    if (row.owns_sequence && /^nextval\(/i.test(row.default_expr)) column.generated = "increment";
    else column.default = row.default_expr;
  }
  if (row.collation) column.collation = row.collation;
  if (row.comment) column.comment = row.comment;
  return column;
}

function readForeignKey(row: ConstraintRow, introspectedSchema: string): ForeignKeyIR {
  const fk: ForeignKeyIR = {
    name: row.name,
    columns: row.columns,
    referencedTable: row.ref_table ?? "",
    referencedColumns: row.ref_columns,
    onDelete: ACTION_CODES[row.on_delete] ?? "NO ACTION",
    onUpdate: ACTION_CODES[row.on_update] ?? "NO ACTION",
  };
  if (row.ref_schema && row.ref_schema !== introspectedSchema) fk.referencedSchema = row.ref_schema;
  if (row.deferrable) fk.deferrable = row.deferred ? "INITIALLY DEFERRED" : "INITIALLY IMMEDIATE";
  return fk;
}

/** `CHECK ((price > 0)) NOT VALID` -> `(price > 0)`. */
function checkBody(definition: string): string {
  return definition.replace(/^\s*CHECK\s*\(([\s\S]*)\)(\s+NO INHERIT)?(\s+NOT VALID)?\s*$/i, "$1");
}
