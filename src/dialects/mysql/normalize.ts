/**
 * The canonical MySQL/MariaDB vocabulary. The model reader (TypeORM's MySQL metadata)
 * and the introspector (information_schema) both pass through `normalizeSchema`, so a
 * database migrated from the models introspects equal to them.
 *
 * Types: see ./types.ts (display widths dropped, `unsigned`/`zerofill` part of the type,
 * default sizes dropped, enum and set values inline).
 *
 * Defaults
 * - `CURRENT_TIMESTAMP`, `CURRENT_TIMESTAMP()`, `now()`, `current_timestamp(6)` are one
 *   spelling: `CURRENT_TIMESTAMP` or `CURRENT_TIMESTAMP(6)`.
 * - A quoted number on a numeric column is the number (`'0'` → `0`), as the server
 *   reports it; `NULL` is no default.
 * - MySQL keeps `ON UPDATE CURRENT_TIMESTAMP` with the default and so does the IR: the
 *   default is `CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)` (`NULL ON UPDATE …`
 *   without a default), so a change to either is one MODIFY COLUMN.
 *
 * Keys and indexes
 * - The primary key has no name (it is always `PRIMARY`).
 * - A unique index is a unique constraint: MySQL has no other kind, and TypeORM writes
 *   its uniques as unique indexes.
 * - Index methods are `fulltext` and `spatial`; BTREE (the default) is none.
 *
 * Expressions (defaults, checks, generated columns): backticks around identifiers and
 * runs of whitespace removed in checks and generated columns; in all three MariaDB's own
 * names for LOWER and UPPER (it stores `lower(x)` as `lcase(x)`) are the standard ones.
 *
 * Table options
 * - The engine as the server spells it (`innodb` → `InnoDB`); InnoDB, TypeORM's default,
 *   is no engine.
 * - The table's collation in lower case; the database's default is none (introspection
 *   leaves it out; the dialect specialised for a server knows it for the models' side
 *   too), and a column whose collation is its table's names none.
 *
 * Comments: without NUL characters, which the server cannot keep and TypeORM strips.
 *
 * Lists are sorted by name (unnamed first); enums are always [] (enum values live on the column).
 */
import { byNameThenContent } from "../../schema/compare.js";
import type { CheckIR, ColumnIR, ForeignKeyIR, IndexIR, SchemaIR, TableIR, UniqueIR } from "../../schema/ir.js";
import { GENERIC_SERVER, type ServerTraits } from "./server.js";
import { canonicalType, NUMERIC_TYPES, splitType } from "./types.js";

const TIMESTAMP_FUNCTION = /^(?:current_timestamp|now|localtimestamp|localtime)\s*(?:\(\s*(\d*)\s*\))?$/i;

function canonicalTimestamp(expression: string): string | undefined {
  const m = TIMESTAMP_FUNCTION.exec(expression.trim());
  if (!m) return undefined;
  return m[1] && m[1] !== "0" ? `CURRENT_TIMESTAMP(${m[1]})` : "CURRENT_TIMESTAMP";
}

/** A quoted string (left as it is) or a call of one of MariaDB's synonyms. */
const SYNONYM_CALL = /('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")|\b(lcase|ucase)(\s*\()/gi;
const STANDARD_NAME: Record<string, string> = { lcase: "lower", ucase: "upper" };

/** `lcase(`/`ucase(` outside string literals as `lower(`/`upper(`: MariaDB reports the synonyms for what was written as the standard names. */
function standardFunctionNames(expression: string): string {
  return expression.replace(SYNONYM_CALL, (match, quoted: string | undefined, name: string | undefined, paren: string | undefined) =>
    quoted !== undefined ? match : `${STANDARD_NAME[name!.toLowerCase()]!}${paren!}`,
  );
}

function canonicalValue(expression: string, type: string): string | undefined {
  const text = standardFunctionNames(expression.trim());
  if (/^null$/i.test(text)) return undefined;
  const timestamp = canonicalTimestamp(text);
  if (timestamp) return timestamp;
  const { base } = splitType(type);
  if (NUMERIC_TYPES.has(base) && base !== "bit") {
    const quoted = /^'([+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)'$/i.exec(text);
    if (quoted) return quoted[1];
    if (/^true$/i.test(text)) return "1";
    if (/^false$/i.test(text)) return "0";
  }
  return text;
}

/** Canonical default (with its ON UPDATE clause); undefined means none. */
export function canonicalDefault(expression: string | undefined, type: string): string | undefined {
  if (expression === undefined) return undefined;
  const [value = "", onUpdate] = expression.split(/\s+on\s+update\s+/i);
  const base = canonicalValue(value, type);
  if (onUpdate === undefined) return base;
  const update = canonicalTimestamp(onUpdate) ?? onUpdate.trim();
  return `${base ?? "NULL"} ON UPDATE ${update}`;
}

export function canonicalExpression(expression: string): string {
  return standardFunctionNames(expression)
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** A comment as the server keeps it: a NUL cuts it short there, so it has none (TypeORM strips them too). */
function storableComment(text: string | undefined): string | undefined {
  return text?.replaceAll("\u0000", "") || undefined;
}

function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

export function normalizeColumn(column: ColumnIR, server: ServerTraits = GENERIC_SERVER): ColumnIR {
  const type = canonicalType(column, server.nativeUuid ?? false);
  const out: ColumnIR = defined({
    name: column.name,
    ...type,
    nullable: column.nullable,
    default: column.computed ? undefined : canonicalDefault(column.default, type.type),
    generated: column.generated === "increment" || column.generated === "identity" ? ("increment" as const) : undefined,
    computed: column.computed ? { expression: canonicalExpression(column.computed.expression), stored: column.computed.stored } : undefined,
    collation: column.collation?.trim().toLowerCase() || undefined,
    comment: storableComment(column.comment),
  });
  // An AUTO_INCREMENT column is never NULL and has no default.
  if (out.generated) {
    out.nullable = false;
    delete out.default;
  }
  return out;
}

function normalizeIndex(index: IndexIR): IndexIR {
  const method = index.method?.toLowerCase();
  return defined({
    name: index.name,
    columns: [...index.columns],
    unique: index.unique,
    method: method === "fulltext" || method === "spatial" ? method : undefined,
  });
}

function normalizeForeignKey(fk: ForeignKeyIR): ForeignKeyIR {
  // MySQL has no deferrable constraints; RESTRICT and NO ACTION are the same check.
  const action = (a: ForeignKeyIR["onDelete"]) => (a === "RESTRICT" ? "NO ACTION" : a);
  return defined({
    name: fk.name,
    columns: [...fk.columns],
    referencedTable: fk.referencedTable,
    referencedColumns: [...fk.referencedColumns],
    onDelete: action(fk.onDelete),
    onUpdate: action(fk.onUpdate),
  });
}

/** Engines as information_schema.TABLES spells them; others are kept as written. */
const ENGINES = ["InnoDB", "MyISAM", "MEMORY", "CSV", "ARCHIVE", "Aria", "BLACKHOLE", "MRG_MyISAM", "ROCKSDB", "NDBCLUSTER", "FEDERATED"];

export function canonicalEngine(engine: string | undefined): string | undefined {
  const text = engine?.trim();
  if (!text) return undefined;
  const known = ENGINES.find((e) => e.toLowerCase() === text.toLowerCase()) ?? text;
  return known === "InnoDB" ? undefined : known;
}

export function normalizeTable(table: TableIR, server: ServerTraits = GENERIC_SERVER): TableIR {
  const indexes = table.indexes.map(normalizeIndex);
  // A plain unique index is MySQL's unique constraint.
  const uniques: UniqueIR[] = [
    ...table.uniques.map((u) => defined<UniqueIR>({ name: u.name, columns: [...u.columns] })),
    ...indexes.filter((i) => i.unique && !i.method).map((i) => ({ name: i.name, columns: i.columns })),
  ];
  const byName = new Map<string, UniqueIR>();
  const unnamed: UniqueIR[] = [];
  for (const u of uniques) {
    if (u.name === undefined) unnamed.push(u);
    else if (!byName.has(u.name)) byName.set(u.name, u);
  }
  const out: TableIR = {
    name: table.name,
    columns: table.columns.map((c) => normalizeColumn(c, server)),
    foreignKeys: table.foreignKeys.map(normalizeForeignKey).sort(byNameThenContent),
    uniques: [...unnamed, ...byName.values()].sort(byNameThenContent),
    indexes: indexes.filter((i) => !(i.unique && !i.method)).sort(byNameThenContent),
    checks: table.checks
      .map((c) => defined<CheckIR>({ name: c.name, expression: canonicalExpression(c.expression) }))
      .sort(byNameThenContent),
  };
  if (table.primaryKey && table.primaryKey.columns.length > 0) out.primaryKey = { columns: [...table.primaryKey.columns] };
  const comment = storableComment(table.comment);
  if (comment) out.comment = comment;
  const engine = canonicalEngine(table.engine);
  if (engine) out.engine = engine;
  // The database's default (where the server is known) is no collation: what a table
  // that names none has, which is every table TypeORM creates.
  const collation = table.collation?.trim().toLowerCase() || undefined;
  if (collation && collation !== server.defaultCollation) out.collation = collation;
  const tables = collation ?? server.defaultCollation;
  if (tables) for (const column of out.columns) if (column.collation === tables) delete column.collation;
  return out;
}

export function normalizeSchema(schema: SchemaIR, server: ServerTraits = GENERIC_SERVER): SchemaIR {
  const views = (schema.views ?? []).map((v) => ({ name: v.name, expression: v.expression.trim() })).sort(byNameThenContent);
  return {
    dialect: "mysql",
    tables: schema.tables.map((t) => normalizeTable(t, server)).sort(byNameThenContent),
    enums: [],
    ...(views.length > 0 ? { views } : {}),
  };
}
