/**
 * Which base-type changes keep every value (PostgreSQL): the differ reports all other
 * base-type changes as destructive.
 */
import type { ColumnTypeIR } from "../../schema/ir.js";

/** Exact conversions: every value of the key converts to each listed type unchanged. */
const WIDER: Record<string, readonly string[]> = {
  smallint: ["integer", "bigint", "numeric", "real", "double precision"],
  integer: ["bigint", "numeric", "double precision"],
  bigint: ["numeric"],
  real: ["double precision"],
  date: ["timestamp", "timestamptz"],
  time: ["interval"],
};

/** Types whose text form is complete, so they convert to text without loss. */
const TEXT_TARGETS = new Set(["text", "varchar"]);

export function widens(from: ColumnTypeIR, to: ColumnTypeIR): boolean {
  if (Boolean(from.array) !== Boolean(to.array)) return false;
  if (to.type === "numeric" && to.precision !== undefined) return false;
  if (WIDER[from.type]?.includes(to.type)) return true;
  // Anything but char (whose padding is dropped) reads back the same as unbounded text.
  return TEXT_TARGETS.has(to.type) && to.length === undefined && from.type !== "char";
}
