/**
 * Human-readable fragments for finding messages. Generic on purpose: the differ knows no
 * dialect, so a type reads as `base(length)` / `base(precision,scale)` / `base[]`.
 */
import type { ColumnTypeIR } from "../schema/ir.js";

export function formatType(t: ColumnTypeIR): string {
  let out = t.enumName ?? t.type;
  if (t.length !== undefined) out += `(${t.length})`;
  else if (t.precision !== undefined) out += t.scale !== undefined ? `(${t.precision},${t.scale})` : `(${t.precision})`;
  if (t.enumName === undefined && t.enumValues) out += ` {${t.enumValues.join(", ")}}`;
  if (t.array) out += "[]";
  return out;
}

export const quoteValues = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(", ");

export function describeConstraint(kind: string, table: string, item: { name?: string; columns?: string[]; expression?: string }): string {
  const what = item.columns ? `(${item.columns.join(", ")})` : `(${item.expression ?? ""})`;
  return item.name !== undefined ? `${kind} "${item.name}" on ${table} ${what}` : `unnamed ${kind} on ${table} ${what}`;
}
