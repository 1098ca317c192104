/**
 * SQLite column types as TypeORM writes them: declared names kept verbatim (SQLite has
 * no server-side synonyms), TypeORM's own aliases mapped, and the `(…)` part split into
 * length or precision/scale by TypeORM's own type lists.
 */
import type { ColumnIR } from "../../schema/ir.js";

/** TypeORM's AbstractSqliteDriver.withLengthColumnTypes. */
export const LENGTH_TYPES = new Set([
  "character",
  "varchar",
  "varying character",
  "nchar",
  "native character",
  "nvarchar",
  "text",
  "blob",
  "clob",
]);
/** TypeORM's AbstractSqliteDriver.withPrecisionColumnTypes. */
export const PRECISION_TYPES = new Set(["real", "double", "double precision", "float", "numeric", "decimal", "date", "time", "datetime"]);

/** TypeORM's AbstractSqliteDriver.normalizeType, on type names. */
const TYPE_ALIASES: Record<string, string> = {
  int: "integer",
  uuid: "varchar",
  "simple-array": "text",
  "simple-json": "text",
  "simple-enum": "varchar",
  enum: "varchar",
};

export function canonicalType(type: string): string {
  const lower = type.trim().toLowerCase().replace(/\s+/g, " ");
  return TYPE_ALIASES[lower] ?? lower;
}

/** Splits a declared type such as `VARCHAR(100)` or `decimal(10, 2)` into IR fields. */
export function parseDeclaredType(declared: string): Pick<ColumnIR, "type" | "length" | "precision" | "scale"> {
  const match = /^([^(]*?)\s*\(\s*([+-]?\d+)\s*(?:,\s*([+-]?\d+)\s*)?\)\s*$/.exec(declared.trim());
  if (!match) return { type: canonicalType(declared) };
  const type = canonicalType(match[1]!);
  const first = Number(match[2]);
  const second = match[3] !== undefined ? Number(match[3]) : undefined;
  if (second === undefined && !PRECISION_TYPES.has(type)) return { type, length: first };
  return second === undefined ? { type, precision: first } : { type, precision: first, scale: second };
}
