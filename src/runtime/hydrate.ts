/**
 * Revisions name what they drop (`op.dropTable("comments")`, `op.dropColumn("users",
 * "role")`); the rest of the definition is the schema state at that point of the
 * revision graph — the database's online, the replayed IR offline. The runner and
 * `--sql` fill it in here before an op is rendered, so a dialect always sees the whole
 * table or column.
 */
import type { Op } from "../ops/ops.js";
import { cloneData } from "../schema/clone.js";
import type { SchemaIR } from "../schema/ir.js";

/** A drop written by name only (no definition to render or count from). */
export function needsHydration(op: Op): boolean {
  return (
    (op.kind === "dropTable" && op.table.columns.length === 0) ||
    (op.kind === "dropColumn" && (op.column as { type?: unknown }).type === undefined)
  );
}

/** `op` with a name-only drop completed from `state` (unchanged when it is complete or not in `state`). */
export function hydrateOp(op: Op, state: SchemaIR): Op {
  if (!needsHydration(op)) return op;
  if (op.kind === "dropTable") {
    const table = state.tables.find((t) => t.name === op.table.name);
    return table ? { kind: "dropTable", table: cloneData(table) } : op;
  }
  if (op.kind === "dropColumn") {
    const column = state.tables.find((t) => t.name === op.table)?.columns.find((c) => c.name === op.column.name);
    return column ? { kind: "dropColumn", table: op.table, column: cloneData(column) } : op;
  }
  return op;
}
