/**
 * The canonical SQLite vocabulary. Both the model reader (TypeORM metadata, through
 * TypeORM's own `normalizeType` / `normalizeDefault`) and the introspector (sqlite_master
 * + pragmas) pass through `normalizeSchema`, so after the models were migrated to a
 * database, `introspect(db)` deep-equals `normalizeSchema(modelIR)`.
 *
 * The target is what TypeORM writes and reads back on SQLite, so that TypeORM's own schema
 * builder sees no difference either:
 *
 * Types
 * - `type` is the declared base type, lower case, without its `(…)` part: `varchar`,
 *   `integer`, `datetime`, `decimal`, `double precision`. SQLite keeps declared types
 *   verbatim, so there are no server-side synonyms; only the aliases TypeORM's
 *   `normalizeType` itself applies are mapped: `int` → `integer`, `uuid` → `varchar`,
 *   `simple-array` / `simple-json` → `text`, `simple-enum` / `enum` → `varchar`.
 * - `(n)` is `length`, `(p,s)` / `(p)` are `precision` / `scale` (for TypeORM's length
 *   types — varchar, character, nchar, nvarchar, text, blob, clob … — a single number is
 *   a length; for its precision types — decimal, numeric, real, float, double, datetime …
 *   it is a precision).
 * - Enum columns (`enumValues` non-empty) are `varchar` without length/precision: that
 *   is what TypeORM writes for them (`"role" varchar CHECK( "role" IN ('a','b') )`),
 *   whatever length the model declared. `enumName`, `array`, `identity` and comments do
 *   not exist on SQLite and are dropped.
 *
 * Defaults
 * - The expression as SQLite reports it (`DEFAULT (x)` reads back as `x`): redundant outer
 *   parentheses removed, whitespace made uniform outside literals, `TRUE`/`FALSE` → `1`/`0`
 *   (what TypeORM writes for boolean defaults), `CURRENT_TIMESTAMP`/`CURRENT_DATE`/
 *   `CURRENT_TIME` upper case, `NULL` → no default. Function calls (`datetime('now')`)
 *   and string literals (`'draft'`) are kept as written.
 *
 * Generation
 * - `generated: "increment"` means `INTEGER PRIMARY KEY AUTOINCREMENT`. A plain `INTEGER
 *   PRIMARY KEY` is a rowid alias whatever the IR says, so `"rowid"` is dropped, as
 *   TypeORM does not model it either.
 *
 * Constraints
 * - Primary-key names are dropped: TypeORM never writes them on SQLite and SQLite does not
 *   report them. Names of uniques, foreign keys and checks are kept (TypeORM writes them
 *   into the CREATE TABLE as `CONSTRAINT "…"`).
 * - CHECK expressions, partial-index predicates and generated-column expressions get the
 *   same whitespace canonicalisation as defaults.
 * - `referencedSchema` and index `method` do not exist on SQLite and are dropped.
 * - Collation names are upper case; `BINARY` (the default) is dropped.
 *
 * Lists
 * - Tables, indexes, uniques, checks and foreign keys are sorted by name (code-unit order,
 *   unnamed first, ties broken by content); columns keep their order; enums are always [].
 */
import { byNameThenContent, compareNames } from "../../schema/compare.js";
import type { CheckIR, ColumnIR, ForeignKeyIR, IndexIR, SchemaIR, TableIR, UniqueIR, ViewIR } from "../../schema/ir.js";
import { canonicalExpressionText, isPunct, tokenize } from "./ddl/sql-tokens.js";
import { canonicalType, parseDeclaredType } from "./types.js";

const UPPER_KEYWORD_DEFAULTS = new Set(["CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME"]);

/** True when the whole of `text` is one parenthesised group: `(a + b)` but not `(a) + (b)`. */
function isWrappedInParentheses(text: string): boolean {
  let tokens;
  try {
    tokens = tokenize(text);
  } catch {
    return false;
  }
  if (tokens.length < 2 || !isPunct(tokens[0], "(") || !isPunct(tokens[tokens.length - 1], ")")) return false;
  let depth = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    if (isPunct(tokens[i], "(")) depth += 1;
    else if (isPunct(tokens[i], ")")) {
      depth -= 1;
      if (depth === 0 && i < tokens.length - 1) return false;
    }
  }
  return true;
}

function stripOuterParentheses(text: string): string {
  let out = text.trim();
  while (isWrappedInParentheses(out)) out = out.slice(1, -1).trim();
  return out;
}

/** Canonical default expression; undefined means "no default". */
export function canonicalDefault(expression: string | undefined): string | undefined {
  if (expression === undefined) return undefined;
  const text = canonicalExpressionText(stripOuterParentheses(expression));
  const upper = text.toUpperCase();
  if (text === "" || upper === "NULL") return undefined;
  if (upper === "TRUE") return "1";
  if (upper === "FALSE") return "0";
  if (UPPER_KEYWORD_DEFAULTS.has(upper)) return upper;
  return text;
}

export function canonicalExpression(expression: string): string {
  return canonicalExpressionText(expression.trim());
}

function canonicalCollation(collation: string | undefined): string | undefined {
  if (collation === undefined) return undefined;
  const upper = collation.trim().toUpperCase();
  return upper === "" || upper === "BINARY" ? undefined : upper;
}

/** Copies `value` without keys whose value is undefined (the IR never holds them). */
function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}

export function normalizeColumn(column: ColumnIR): ColumnIR {
  const enumValues = column.enumValues && column.enumValues.length > 0 ? column.enumValues.map(String) : undefined;
  // A producer may hand over a full declared type (`varchar(100)`); its explicit fields win.
  const declared = column.type.includes("(") ? parseDeclaredType(column.type) : { type: canonicalType(column.type) };
  const typeFields = enumValues
    ? { type: "varchar" }
    : {
        type: declared.type,
        length: column.length ?? declared.length,
        precision: column.precision ?? declared.precision,
        scale: column.scale ?? declared.scale,
      };
  return defined<ColumnIR>({
    name: column.name,
    ...typeFields,
    enumValues,
    nullable: column.nullable,
    default: column.computed ? undefined : canonicalDefault(column.default),
    generated: column.generated === "increment" ? "increment" : undefined,
    computed: column.computed ? { expression: canonicalExpression(column.computed.expression), stored: column.computed.stored } : undefined,
    collation: canonicalCollation(column.collation),
  });
}

function normalizeForeignKey(fk: ForeignKeyIR): ForeignKeyIR {
  return defined<ForeignKeyIR>({
    name: fk.name,
    columns: [...fk.columns],
    referencedTable: fk.referencedTable,
    referencedColumns: [...fk.referencedColumns],
    onDelete: fk.onDelete ?? "NO ACTION",
    onUpdate: fk.onUpdate ?? "NO ACTION",
    deferrable: fk.deferrable,
  });
}

function normalizeIndex(index: IndexIR): IndexIR {
  return defined<IndexIR>({
    name: index.name,
    columns: [...index.columns],
    unique: index.unique,
    where: index.where !== undefined && index.where.trim() !== "" ? canonicalExpression(index.where) : undefined,
  });
}

export function normalizeTable(table: TableIR): TableIR {
  const out: TableIR = {
    name: table.name,
    columns: table.columns.map(normalizeColumn),
    foreignKeys: table.foreignKeys.map(normalizeForeignKey).sort(byNameThenContent),
    uniques: table.uniques.map((u) => defined<UniqueIR>({ name: u.name, columns: [...u.columns] })).sort(byNameThenContent),
    indexes: table.indexes.map(normalizeIndex).sort(byNameThenContent),
    checks: table.checks
      .map((c) => defined<CheckIR>({ name: c.name, expression: canonicalExpression(c.expression) }))
      .sort(byNameThenContent),
  };
  if (table.primaryKey && table.primaryKey.columns.length > 0) {
    out.primaryKey = { columns: [...table.primaryKey.columns] };
  }
  // Key order as in TableIR, so serialised IRs read the same whichever producer made them.
  return defined<TableIR>({
    name: out.name,
    columns: out.columns,
    primaryKey: out.primaryKey,
    foreignKeys: out.foreignKeys,
    uniques: out.uniques,
    indexes: out.indexes,
    checks: out.checks,
    // Not compared; kept so a rebuild can recreate them.
    ...(table.triggers && table.triggers.length > 0 ? { triggers: table.triggers.map((t) => ({ ...t })) } : {}),
  });
}

export function normalizeSchema(schema: SchemaIR): SchemaIR {
  const out: SchemaIR = {
    dialect: "sqlite",
    tables: schema.tables.map(normalizeTable).sort((a, b) => compareNames(a.name, b.name)),
    enums: [],
  };
  // SQLite adds no schema or table attributes of its own; views compare by their text.
  const views = (schema.views ?? [])
    .map((v): ViewIR => ({ name: v.name, expression: v.expression.trim() })) // no materialized views: TypeORM writes a plain one
    .sort((a, b) => compareNames(a.name, b.name));
  if (views.length > 0) out.views = views;
  return out;
}
