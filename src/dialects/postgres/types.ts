/**
 * PostgreSQL column types: the canonical vocabulary, the synonyms that map onto it, the
 * attribute values that are the type's own default (and so are dropped), and the SQL
 * spelling of a canonical type.
 *
 * Canonical names are the short ones: varchar, char, integer, smallint, bigint, numeric,
 * real, double precision, boolean, text, uuid, json, jsonb, bytea, date, time, timetz,
 * timestamp, timestamptz, interval, bit, bit varying, enum; any other type keeps the name
 * `format_type` gives it (inet, money, tsvector, citext, …).
 */
import type { ColumnTypeIR } from "../../schema/ir.js";

const SYNONYMS: Record<string, string> = {
  "character varying": "varchar",
  varchar: "varchar",
  character: "char",
  char: "char",
  bpchar: "char",
  int: "integer",
  int4: "integer",
  integer: "integer",
  int2: "smallint",
  smallint: "smallint",
  int8: "bigint",
  bigint: "bigint",
  decimal: "numeric",
  numeric: "numeric",
  float4: "real",
  real: "real",
  float8: "double precision",
  float: "double precision",
  "double precision": "double precision",
  bool: "boolean",
  boolean: "boolean",
  timestamp: "timestamp",
  "timestamp without time zone": "timestamp",
  timestamptz: "timestamptz",
  "timestamp with time zone": "timestamptz",
  time: "time",
  "time without time zone": "time",
  timetz: "timetz",
  "time with time zone": "timetz",
  varbit: "bit varying",
  "bit varying": "bit varying",
  // TypeORM's portable types, as its PostgreSQL driver stores them.
  "simple-enum": "enum",
  "simple-array": "text",
  "simple-json": "text",
};

/** serial pseudo-types: an integer type plus an owned sequence. */
export const SERIAL_TYPES: Record<string, string> = {
  serial: "integer",
  serial4: "integer",
  smallserial: "smallint",
  serial2: "smallint",
  bigserial: "bigint",
  serial8: "bigint",
};

/** Types whose single modifier is a length. */
const LENGTH_TYPES = new Set(["varchar", "char", "bit", "bit varying", "vector", "halfvec"]);
/** Types whose modifier is a precision (numeric also takes a scale). */
const PRECISION_TYPES = new Set(["numeric", "timestamp", "timestamptz", "time", "timetz", "interval"]);
/** Fractional-second precision PostgreSQL uses when none is given. */
const DEFAULT_TIME_PRECISION = 6;

export const INTEGER_TYPES = new Set(["smallint", "integer", "bigint"]);
export const NUMERIC_TYPES = new Set([...INTEGER_TYPES, "numeric", "real", "double precision", "money"]);
export const TEXT_TYPES = new Set(["varchar", "char", "text", "citext"]);

/** The canonical name of a bare type name (no modifiers, no array suffix). */
export function canonicalTypeName(name: string): string {
  const key = name.trim().replace(/\s+/g, " ");
  if (key.includes('"')) return key; // a quoted user-defined type keeps its exact spelling
  const lower = key.toLowerCase();
  return SYNONYMS[lower] ?? lower;
}

/**
 * Splits a full type spelling (`character varying(20)[]`, `timestamp(3) with time zone`,
 * `numeric(10,2)`) into the IR's parts. Modifiers already present in `base` win over
 * the ones found in the spelling.
 */
export function parseTypeSpelling(spelling: string): ColumnTypeIR {
  let text = spelling.trim();
  let array = false;
  while (/\[\d*\]$/.test(text) || / array$/i.test(text)) {
    array = true;
    text = text.replace(/\s*(\[\d*\]| array)$/i, "");
  }
  const numbers: number[] = [];
  text = text.replace(/\(([^)]*)\)/g, (_, args: string) => {
    for (const part of args.split(",")) {
      const n = Number(part.trim());
      if (Number.isFinite(n) && part.trim() !== "") numbers.push(n);
    }
    return " ";
  });
  const result: ColumnTypeIR = { type: canonicalTypeName(text) };
  if (array) result.array = true;
  if (numbers.length > 0) {
    if (LENGTH_TYPES.has(result.type)) result.length = numbers[0];
    else {
      result.precision = numbers[0];
      if (numbers.length > 1) result.scale = numbers[1];
    }
  }
  return result;
}

/**
 * Canonical type attributes: synonyms resolved, `float(p)` folded into real/double
 * precision, and every modifier that equals what PostgreSQL assumes anyway dropped.
 */
export function canonicalType(column: ColumnTypeIR): ColumnTypeIR {
  const parsed = parseTypeSpelling(column.type);
  let type = parsed.type;
  let length = toNumber(column.length) ?? parsed.length;
  let precision = toNumber(column.precision) ?? parsed.precision;
  let scale = toNumber(column.scale) ?? parsed.scale;
  const array = column.array === true || parsed.array === true;

  if (/^float\b/i.test(column.type.trim()) && precision !== undefined) {
    // float(p): PostgreSQL picks real for p <= 24 and double precision above.
    type = precision <= 24 ? "real" : "double precision";
    precision = undefined;
  }
  if (LENGTH_TYPES.has(type)) {
    precision = undefined;
    scale = undefined;
    if ((type === "char" || type === "bit") && length === 1) length = undefined;
  } else if (PRECISION_TYPES.has(type)) {
    length = undefined;
    if (type === "numeric") {
      if (precision === undefined || scale === 0) scale = undefined;
    } else {
      scale = undefined;
      if (precision === DEFAULT_TIME_PRECISION) precision = undefined;
    }
  } else if (isBuiltinWithoutModifiers(type)) {
    length = precision = scale = undefined;
  }

  const out: ColumnTypeIR = { type };
  if (length !== undefined) out.length = length;
  if (precision !== undefined) out.precision = precision;
  if (scale !== undefined) out.scale = scale;
  if (array) out.array = true;
  if (type === "enum") {
    if (column.enumName !== undefined) out.enumName = column.enumName;
    if (column.enumValues !== undefined) out.enumValues = column.enumValues.map(String);
  }
  return out;
}

/**
 * TypeORM keeps lengths as strings and uses "" for "none"; producers may pass either.
 * Anything that is not a number means "not given".
 */
function toNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Built-in types that take no modifier, so a stray length/precision from a producer means nothing. */
function isBuiltinWithoutModifiers(type: string): boolean {
  return (
    NUMERIC_TYPES.has(type) || ["text", "boolean", "uuid", "json", "jsonb", "bytea", "date", "enum", "inet", "cidr", "xml"].includes(type)
  );
}

const SQL_SPELLING: Record<string, string> = {
  timestamptz: "timestamptz",
  timetz: "timetz",
};

/**
 * SQL for a canonical column type. `enumType` is the already-quoted enum type name
 * for enum columns.
 */
export function renderType(column: ColumnTypeIR, enumType?: string): string {
  const { type } = column;
  let sql: string;
  if (type === "enum") {
    if (!enumType) throw new Error(`enum column type without an enum name`);
    sql = enumType;
  } else {
    sql = SQL_SPELLING[type] ?? type;
    if (column.length !== undefined) sql += `(${column.length})`;
    else if (column.precision !== undefined && column.scale !== undefined) sql += `(${column.precision},${column.scale})`;
    else if (column.precision !== undefined) sql += `(${column.precision})`;
  }
  return column.array ? `${sql}[]` : sql;
}

/** Length types' spellings without a length: bare `char` and `bit` mean a length of 1. */
const UNBOUNDED_SPELLING: Record<string, string> = {
  varchar: "varchar",
  char: "bpchar",
  bit: "varbit",
  "bit varying": "varbit",
};

/** SQL for a length type with no length limit (`varchar`, `bpchar[]`), or undefined for other types. */
export function renderUnboundedType(column: ColumnTypeIR): string | undefined {
  const sql = UNBOUNDED_SPELLING[column.type];
  if (sql === undefined) return undefined;
  return column.array ? `${sql}[]` : sql;
}
