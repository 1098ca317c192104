/**
 * Renames confirmed by the user (`RenameHints`) become renameTable/renameColumn ops; the
 * rest of the differ then compares the renamed current schema with the target, so a
 * renamed column whose type also changed gets a rename plus an alterColumn.
 *
 * A hint that does not fit the two schemas is a user mistake (a typo in `--rename`), so it
 * is refused with a one-line UserError rather than silently ignored.
 */
import { UserError } from "../errors.js";
import type { Op } from "../ops/ops.js";
import type { SchemaIR, TableIR } from "../schema/ir.js";
import { planned, type PlannedOp } from "./plan.js";
import type { RenameHints } from "./types.js";

const tableNamed = (schema: SchemaIR, name: string): TableIR | undefined => schema.tables.find((t) => t.name === name);

/** Splits `"table.column"` at the last dot (table names may be schema-qualified, column names are not). */
export function splitColumnKey(key: string): { table: string; column: string } {
  const dot = key.lastIndexOf(".");
  if (dot <= 0 || dot === key.length - 1) {
    throw new UserError(`Column rename "${key}" must look like table.oldColumn`);
  }
  return { table: key.slice(0, dot), column: key.slice(dot + 1) };
}

export function tableRenameOps(target: SchemaIR, current: SchemaIR, hints: RenameHints["tables"]): PlannedOp[] {
  const entries = Object.entries(hints ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const targets = new Set<string>();
  return entries.map(([from, to]) => {
    if (!tableNamed(current, from)) throw new UserError(`Cannot rename table "${from}": it does not exist in the database`);
    if (!tableNamed(target, to)) throw new UserError(`Cannot rename table "${from}" to "${to}": the models have no table "${to}"`);
    if (tableNamed(current, to)) throw new UserError(`Cannot rename table "${from}" to "${to}": table "${to}" already exists`);
    if (targets.has(to)) throw new UserError(`Cannot rename two tables to "${to}"`);
    targets.add(to);
    return planned("renameTable", { kind: "renameTable", from, to });
  });
}

/** `renamed` is the current schema after the table renames (column hints use target table names). */
export function columnRenameOps(target: SchemaIR, renamed: SchemaIR, hints: RenameHints["columns"]): PlannedOp[] {
  const entries = Object.entries(hints ?? {})
    .map(([key, to]) => ({ ...splitColumnKey(key), to }))
    .sort((a, b) => (a.table + "\0" + a.column < b.table + "\0" + b.column ? -1 : 1));
  const seen = new Set<string>();
  return entries.map(({ table, column: from, to }) => {
    const currentTable = tableNamed(renamed, table);
    const targetTable = tableNamed(target, table);
    const label = `column "${table}.${from}"`;
    if (!currentTable || !currentTable.columns.some((c) => c.name === from)) {
      throw new UserError(`Cannot rename ${label}: it does not exist in the database`);
    }
    if (!targetTable || !targetTable.columns.some((c) => c.name === to)) {
      throw new UserError(`Cannot rename ${label} to "${to}": the models have no column "${table}.${to}"`);
    }
    if (currentTable.columns.some((c) => c.name === to)) {
      throw new UserError(`Cannot rename ${label} to "${to}": column "${table}.${to}" already exists`);
    }
    if (seen.has(`${table}.${to}`)) throw new UserError(`Cannot rename two columns to "${table}.${to}"`);
    seen.add(`${table}.${to}`);
    const op: Op = { kind: "renameColumn", table, from, to };
    return planned("renameColumn", op);
  });
}
