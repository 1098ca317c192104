/**
 * Which type changes PostgreSQL makes without rewriting the table: the lint's rewrite rule
 * and the online planner's expand/contract both ask this.
 */
import type { ColumnTypeIR } from "../../schema/ir.js";

const TEXT = new Set(["varchar", "character varying", "text"]);

/** Whether PostgreSQL changes the type without touching the rows (binary-coercible, or a longer limit). */
export function changesInPlace(from: ColumnTypeIR, to: ColumnTypeIR): boolean {
  if ((from.array ?? false) !== (to.array ?? false)) return false;
  if (from.type === to.type) {
    if (from.length !== undefined && (to.length === undefined || to.length >= from.length)) return true;
    if (
      from.precision !== undefined &&
      to.precision !== undefined &&
      (from.scale ?? 0) === (to.scale ?? 0) &&
      to.precision >= from.precision
    )
      return true;
    return from.length === to.length && from.precision === to.precision && from.scale === to.scale;
  }
  return TEXT.has(from.type) && (to.type === "text" || (to.type === "varchar" && to.length === undefined));
}
