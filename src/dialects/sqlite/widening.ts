/**
 * Which declared-type changes keep every value on SQLite. A rebuild copies rows into
 * the new table, where the new column's type affinity may convert them ('007' stored
 * into an INTEGER column becomes 7); a change keeps every value when the new affinity
 * cannot convert anything: the same affinity, TEXT (numbers keep their digits) or BLOB.
 */
import type { ColumnTypeIR } from "../../schema/ir.js";

type Affinity = "INTEGER" | "TEXT" | "BLOB" | "REAL" | "NUMERIC";

/** SQLite's own rules for a declared type's affinity, in their order. */
export function affinityOf(declared: string): Affinity {
  const t = declared.toUpperCase();
  if (t.includes("INT")) return "INTEGER";
  if (t.includes("CHAR") || t.includes("CLOB") || t.includes("TEXT")) return "TEXT";
  if (t.includes("BLOB") || t === "") return "BLOB";
  if (t.includes("REAL") || t.includes("FLOA") || t.includes("DOUB")) return "REAL";
  return "NUMERIC";
}

export function widens(from: ColumnTypeIR, to: ColumnTypeIR): boolean {
  const a = affinityOf(from.type);
  const b = affinityOf(to.type);
  return a === b || b === "TEXT" || b === "BLOB" || (a === "INTEGER" && b === "NUMERIC");
}
