/**
 * The canonical PostgreSQL IR. Both producers pass through `normalizeSchema`: the model
 * reader (TypeORM's vocabulary: `character varying`, `timestamp without time zone`,
 * `int`, defaults such as `'0'` or `now()`) and the introspector (the catalog's
 * vocabulary: `format_type` names, `'x'::character varying`, `CURRENT_TIMESTAMP`). After
 * it, the same schema gives deep-equal IR whichever side described it.
 *
 * Canonical form:
 * - Types: short names (see ./types.ts): varchar, char, integer, smallint, bigint,
 *   numeric, real, double precision, boolean, text, uuid, json, jsonb, bytea, date,
 *   time, timetz, timestamp, timestamptz, interval, bit varying, enum; other types as
 *   `format_type` names them. `serial`/`bigserial`/`smallserial` become the integer
 *   type with `generated: "increment"`.
 * - Type modifiers equal to PostgreSQL's own default are dropped: char/bit length 1,
 *   time/timestamp/interval precision 6, numeric scale 0 (and a scale without a
 *   precision, which TypeORM cannot render). Types that take no modifier lose any.
 * - Generated columns: serial (`increment`) and identity columns have no default and
 *   are NOT NULL; identity without a kind is `BY DEFAULT` (what TypeORM creates).
 *   Computed columns have no default and a canonical expression.
 * - Defaults (./expression.ts for the expression rules): casts of literals removed
 *   (`'x'::character varying` -> `'x'`), `CURRENT_TIMESTAMP` -> `now()`, TypeORM's
 *   `('now'::text)::date` -> `current_date`; on numeric columns a quoted number loses
 *   its quotes (`'0'` -> `0`, `'-1'::integer` -> `-1`); on boolean columns `'t'`/`'true'`
 *   -> `true`; on json/jsonb columns the JSON text is compacted (and, for jsonb, keys
 *   sorted, as jsonb itself does not keep key order); `NULL` means no default.
 * - CHECK bodies, partial-index predicates and index expressions use the same
 *   expression canonicalisation; a CHECK body never includes `CHECK ( )`.
 * - Names longer than PostgreSQL keeps (63 bytes) are cut as PostgreSQL cuts them.
 *   A primary key, unique or foreign key without a name gets the name PostgreSQL
 *   would give it (`<table>_pkey`, `<table>_<cols>_key`, `<table>_<cols>_fkey`).
 * - Enum columns always carry `enumName` (TypeORM's default `<table>_<column>_enum`
 *   when missing) and `enumValues` (from the enum type); an enum type used by a column
 *   but missing from `enums` is added.
 * - The default schema `public` is never spelled out for tables and enums; a foreign
 *   key names its referenced schema only when it differs from its own table's; index
 *   method `btree` is omitted;
 *   FK actions default to `NO ACTION`; empty comments are omitted.
 * - Tables, indexes, uniques, checks, foreign keys and enums are sorted by name;
 *   column order and enum value order are kept. Undefined keys are omitted.
 */
import type {
  CheckIR,
  ColumnIR,
  EnumIR,
  ForeignKeyIR,
  IndexIR,
  PrimaryKeyIR,
  ReferentialAction,
  SchemaIR,
  TableIR,
  UniqueIR,
  ViewIR,
} from "../../schema/ir.js";
import type { ExtensionIR } from "./ir.js";
import { isExpressionTerm } from "../../schema/ir.js";
import { normalizeExpression } from "./catalog/expression.js";
import { defaultConstraintName, truncateIdentifier } from "./catalog/names.js";
import { NUMERIC_TYPES, SERIAL_TYPES, canonicalType } from "./types.js";
import { byNameThenContent } from "../../schema/compare.js";

export const DEFAULT_SCHEMA = "public";

const ACTIONS: ReferentialAction[] = ["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"];

export function normalizeSchema(schema: SchemaIR): SchemaIR {
  const enums = new Map<string, EnumIR>();
  for (const e of schema.enums ?? []) {
    const out: EnumIR = { name: truncateIdentifier(e.name), values: e.values.map(String) };
    const enumSchema = withoutDefaultSchema(e.schema);
    if (enumSchema) out.schema = enumSchema;
    enums.set(out.name, out);
  }
  const tables = (schema.tables ?? []).map((t) => normalizeTable(t, enums));
  const out: SchemaIR = {
    dialect: schema.dialect,
    tables: sortByName(tables),
    enums: sortByName([...enums.values()]),
  };
  const extensions = normalizeExtensions(schema.extensions ?? []);
  if (extensions.length > 0) out.extensions = extensions;
  const views = sortByName((schema.views ?? []).map(normalizeView));
  if (views.length > 0) out.views = views;
  return out;
}

/** plpgsql is installed in every database and never something the models ask for. */
const BUILTIN_EXTENSIONS = new Set(["plpgsql"]);

function normalizeExtensions(extensions: ExtensionIR[]): ExtensionIR[] {
  const names = new Set(extensions.map((e) => e.name).filter((n) => !BUILTIN_EXTENSIONS.has(n)));
  return [...names].sort().map((name) => ({ name }));
}

/** The expression is compared as TypeORM compares it: its text, trimmed. */
function normalizeView(view: ViewIR): ViewIR {
  const out: ViewIR = { name: truncateIdentifier(view.name), expression: view.expression.trim() };
  const schema = withoutDefaultSchema(view.schema);
  if (schema) out.schema = schema;
  if (view.materialized) out.materialized = true;
  return out;
}

/**
 * Canonical text of what follows EXCLUDE: `using <method> (<element> with <op>, …)` and an
 * optional `where (<predicate>)`, elements and predicate through the expression rules, so
 * TypeORM's `USING gist ("room" WITH =)` and the catalog's `USING gist (room WITH =)` agree.
 * Text this cannot take apart is only trimmed and its whitespace collapsed.
 */
export function normalizeExclusion(text: string): string {
  const body = text.trim().replace(/^exclude\s+/i, "");
  const using = /^using\s+([a-z_][a-z0-9_]*)\s*/i.exec(body);
  const method = using ? using[1]!.toLowerCase() : "btree";
  const rest = using ? body.slice(using[0].length) : body;
  const group = leadingGroup(rest);
  if (!group) return body.replace(/\s+/g, " ");
  const elements = splitTopLevel(group.inner).map((element) => {
    const m = /^([\s\S]*\S)\s+with\s+(\S+)$/i.exec(element.trim());
    return m ? `${normalizeExpression(m[1]!)} WITH ${m[2]}` : normalizeExpression(element);
  });
  let out = `USING ${method} (${elements.join(", ")})`;
  const tail = group.after.trim();
  const where = /^where\s*([\s\S]+)$/i.exec(tail);
  if (where) out += ` WHERE (${normalizeExpression(where[1]!)})`;
  else if (tail) out += ` ${tail.replace(/\s+/g, " ")}`;
  return out;
}

/** The parenthesised group `text` starts with, and what follows it (quotes respected). */
function leadingGroup(text: string): { inner: string; after: string } | undefined {
  if (!text.startsWith("(")) return undefined;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return { inner: text.slice(1, i), after: text.slice(i + 1) };
  }
  return undefined;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function withoutDefaultSchema(schema: string | undefined): string | undefined {
  return schema === undefined || schema === "" || schema === DEFAULT_SCHEMA ? undefined : schema;
}

function normalizeTable(table: TableIR, enums: Map<string, EnumIR>): TableIR {
  const name = truncateIdentifier(table.name);
  const out: TableIR = { name, columns: [], foreignKeys: [], uniques: [], indexes: [], checks: [] };
  const schema = withoutDefaultSchema(table.schema);
  if (schema) out.schema = schema;
  out.columns = (table.columns ?? []).map((c) => normalizeColumn(c, name, enums));
  const columnNames = new Set(out.columns.map((c) => c.name));
  if (table.primaryKey && table.primaryKey.columns.length > 0) out.primaryKey = normalizePrimaryKey(table.primaryKey, name);
  out.foreignKeys = sortByName((table.foreignKeys ?? []).map((fk) => normalizeForeignKey(fk, name, schema)));
  out.uniques = sortByName((table.uniques ?? []).map((u) => normalizeUnique(u, name)));
  out.indexes = sortByName((table.indexes ?? []).map((i) => normalizeIndex(i, columnNames)));
  out.checks = sortByName((table.checks ?? []).map(normalizeCheck));
  const exclusions = sortByName(
    (table.exclusions ?? []).map((x) => ({ name: truncateIdentifier(x.name), expression: normalizeExclusion(x.expression) })),
  );
  if (exclusions.length > 0) out.exclusions = exclusions;
  const comment = withoutNul(table.comment);
  if (comment) out.comment = comment;
  return out;
}

function normalizeColumn(column: ColumnIR, tableName: string, enums: Map<string, EnumIR>): ColumnIR {
  const serialBase = SERIAL_TYPES[column.type.trim().toLowerCase()];
  const type = canonicalType(serialBase ? { ...column, type: serialBase } : column);
  const generated = serialBase ? "increment" : column.generated;
  const out: ColumnIR = { name: truncateIdentifier(column.name), ...type, nullable: column.nullable };

  if (type.type === "enum") {
    out.enumName = truncateIdentifier(type.enumName ?? `${tableName}_${column.name.toLowerCase()}_enum`);
    const known = enums.get(out.enumName);
    if (known) out.enumValues = [...known.values];
    else if (type.enumValues) enums.set(out.enumName, { name: out.enumName, values: [...type.enumValues] });
    else delete out.enumValues;
  }

  if (generated === "increment" || generated === "identity" || generated === "rowid") {
    out.generated = generated;
    out.nullable = false;
    if (generated === "identity") out.identity = column.identity ?? "BY DEFAULT";
  } else if (column.computed) {
    out.computed = { expression: normalizeExpression(column.computed.expression), stored: true };
  } else if (column.default !== undefined && column.default !== null) {
    const value = normalizeDefault(String(column.default), out);
    if (value !== undefined) out.default = value;
  }
  if (column.collation && column.collation !== "default") out.collation = column.collation;
  const comment = withoutNul(column.comment);
  if (comment) out.comment = comment;
  return orderColumnKeys(out);
}

/** PostgreSQL text cannot hold NUL; TypeORM strips it from comments, and so does the IR. */
export function withoutNul(text: string | undefined): string | undefined {
  return text?.replaceAll("\u0000", "");
}

/** Canonical default expression for a column of the given (canonical) type. */
export function normalizeDefault(expression: string, column: Pick<ColumnIR, "type" | "array">): string | undefined {
  const text = normalizeExpression(expression);
  if (text === "" || text === "null") return undefined;
  if (column.array) return text;
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (NUMERIC_TYPES.has(column.type) && quoted && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(quoted[1]!)) {
    return quoted[1]!.replace(/^\+/, "");
  }
  if (column.type === "boolean") {
    const v = (quoted ? quoted[1]! : text).toLowerCase();
    if (["t", "true", "y", "yes", "on", "1"].includes(v)) return "true";
    if (["f", "false", "n", "no", "off", "0"].includes(v)) return "false";
  }
  if ((column.type === "json" || column.type === "jsonb") && quoted) {
    try {
      const value: unknown = JSON.parse(quoted[1]!.replaceAll("''", "'"));
      const json = JSON.stringify(column.type === "jsonb" ? sortJsonKeys(value) : value);
      return `'${json.replaceAll("'", "''")}'`;
    } catch {
      return text;
    }
  }
  return text;
}

function sortJsonKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortJsonKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortJsonKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

const COLUMN_KEY_ORDER: (keyof ColumnIR)[] = [
  "name",
  "type",
  "length",
  "precision",
  "scale",
  "array",
  "enumName",
  "enumValues",
  "nullable",
  "default",
  "generated",
  "identity",
  "computed",
  "collation",
  "comment",
];

/** One key order for every column, so printed IR and snapshots read the same from both producers. */
function orderColumnKeys(column: ColumnIR): ColumnIR {
  const out: Record<string, unknown> = {};
  for (const key of COLUMN_KEY_ORDER) if (column[key] !== undefined) out[key] = column[key];
  return out as unknown as ColumnIR;
}

function normalizePrimaryKey(pk: PrimaryKeyIR, table: string): PrimaryKeyIR {
  const columns = pk.columns.map(truncateIdentifier);
  return { name: truncateIdentifier(pk.name ?? defaultConstraintName(table, [], "pkey")), columns };
}

function normalizeForeignKey(fk: ForeignKeyIR, table: string, tableSchema: string | undefined): ForeignKeyIR {
  const columns = fk.columns.map(truncateIdentifier);
  const out: ForeignKeyIR = {
    name: truncateIdentifier(fk.name ?? defaultConstraintName(table, columns, "fkey")),
    columns,
    referencedTable: truncateIdentifier(fk.referencedTable),
    referencedColumns: fk.referencedColumns.map(truncateIdentifier),
    onDelete: normalizeAction(fk.onDelete),
    onUpdate: normalizeAction(fk.onUpdate),
  };
  // Absent means "the referencing table's own schema"; only another schema is spelled out.
  const refSchema = !fk.referencedSchema || fk.referencedSchema === (tableSchema ?? DEFAULT_SCHEMA) ? undefined : fk.referencedSchema;
  if (refSchema) out.referencedSchema = refSchema;
  if (fk.deferrable) out.deferrable = fk.deferrable.toUpperCase() as ForeignKeyIR["deferrable"];
  return out;
}

function normalizeAction(action: string | undefined): ReferentialAction {
  const upper = (action ?? "NO ACTION").toUpperCase().replace(/\s+/g, " ").trim() as ReferentialAction;
  return ACTIONS.includes(upper) ? upper : "NO ACTION";
}

function normalizeUnique(unique: UniqueIR, table: string): UniqueIR {
  const columns = unique.columns.map(truncateIdentifier);
  return { name: truncateIdentifier(unique.name ?? defaultConstraintName(table, columns, "key")), columns };
}

/** Index keys that are not plain column names are expressions (`lower(email)`). */
function normalizeIndex(index: IndexIR, columnNames: Set<string>): IndexIR {
  const columns = index.columns.map((c) => (columnNames.has(c) || !isExpressionTerm(c) ? truncateIdentifier(c) : normalizeExpression(c)));
  const out: IndexIR = { name: truncateIdentifier(index.name), columns, unique: index.unique === true };
  if (index.where) out.where = normalizeExpression(index.where);
  const method = index.method?.toLowerCase();
  if (method && method !== "btree") out.method = method;
  return out;
}

function normalizeCheck(check: CheckIR): CheckIR {
  const body = check.expression.trim().replace(/^check\s*\(([\s\S]*)\)\s*(not valid)?$/i, "$1");
  const expression = normalizeExpression(body);
  return check.name ? { name: truncateIdentifier(check.name), expression } : { expression };
}

/** The order every normalised list has on every dialect (unnamed first, then by content). */
function sortByName<T extends { name?: string }>(items: T[]): T[] {
  return [...items].sort(byNameThenContent);
}
