/**
 * The schema after an op: a pure model of what each op does to a database, on the IR.
 *
 * Used to track state while ops run or render (a dialect that must rebuild a table needs
 * the table as it is just before the op), and by the tests to prove that the differ's ops
 * really turn `current` into `target`, and that reversed ops turn it back.
 *
 * Cost: replaying N ops must stay O(N) for schemas of thousands of tables, so state is a
 * mutable working copy (`SchemaState`) cloned once, with a name index over its tables;
 * each op then clones only its own payload and touches only the table it names. The
 * pure `applyOp`/`applyOps` clone their input once per call: fine for one op or one
 * batch, quadratic when called per op in a loop (use `SchemaState` there).
 * `applyWork` counts the work done, so a test can prove the cost without timing it.
 *
 * Inputs of `applyOp`/`applyOps` are never mutated; the result is a deep copy. An op
 * naming an object that does not exist (or creating one that already does) throws
 * `SchemaStateError` naming it.
 *
 * Ordering follows the IR conventions: tables, enums, indexes, uniques, checks and foreign
 * keys are kept sorted by name (an inserted item goes to its sorted place, the others keep
 * their order); columns keep their order and `addColumn` appends, as `ALTER TABLE … ADD
 * COLUMN` does.
 */
import { cloneData } from "../schema/clone.js";
import { findTable, registerTableIndex } from "../schema/ir.js";
import type { SchemaIR, TableIR } from "../schema/ir.js";
import type { SchemaEditor } from "./kind.js";
import type { Op } from "./ops.js";
import { definitionOf } from "./registry.js";
import { SchemaStateError } from "./state-error.js";
import { compareNames } from "../schema/compare.js";

export { SchemaStateError } from "./state-error.js";

/**
 * Work done by replay since the process started (or `resetApplyWork`): tables deep-copied
 * and tables visited by whole-schema scans. A linear replay keeps both proportional to the
 * ops applied, whatever the schema's size.
 */
export const applyWork = { clonedTables: 0, scannedTables: 0 };

export function resetApplyWork(): void {
  applyWork.clonedTables = 0;
  applyWork.scannedTables = 0;
}

function cloneSchema(schema: SchemaIR): SchemaIR {
  applyWork.clonedTables += schema.tables.length;
  return cloneData(schema);
}

function cloneOp(op: Op): Op {
  if (op.kind === "createTable" || op.kind === "dropTable") applyWork.clonedTables += 1;
  return cloneData(op);
}

/**
 * A mutable working copy of a schema that ops are applied to one after the other.
 * `schema` is the state after the ops applied so far: read it (a renderer needs the
 * schema just before an op), do not keep it across `apply` calls, do not mutate it.
 */
export class SchemaState {
  readonly schema: SchemaIR;
  /** The first table of each name in `schema.tables` (sorted, so equal names are adjacent). */
  private readonly byName = new Map<string, TableIR>();

  /** `schema` is cloned once; pass `{ owned: true }` to hand over a value nobody else holds. */
  constructor(schema: SchemaIR, options: { owned?: boolean } = {}) {
    this.schema = options.owned ? schema : cloneSchema(schema);
    for (const table of this.schema.tables) if (!this.byName.has(table.name)) this.byName.set(table.name, table);
    registerTableIndex(this.schema, (name) => this.byName.get(name));
  }

  /** Applies `op` in place; on `SchemaStateError` the state is unchanged. */
  apply(op: Op): void {
    applyInPlace(this, cloneOp(op));
  }

  applyAll(ops: readonly Op[]): void {
    for (const op of ops) this.apply(op);
  }

  findTable(name: string): TableIR | undefined {
    return this.byName.get(name);
  }

  /** Inserts at the table's sorted place (binary search: creation order is usually sorted). */
  insertTable(table: TableIR): void {
    const tables = this.schema.tables;
    let lo = 0;
    let hi = tables.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareNames(tables[mid]!.name, table.name) > 0) hi = mid;
      else lo = mid + 1;
    }
    tables.splice(lo, 0, table);
    if (!this.byName.has(table.name)) this.byName.set(table.name, table);
  }

  removeTable(table: TableIR): void {
    const tables = this.schema.tables;
    const at = this.indexOf(table);
    tables.splice(at, 1);
    if (this.byName.get(table.name) !== table) return;
    // Another table of the same name (in another schema) is now the first one, if any.
    const next = tables[at];
    if (next && next.name === table.name) this.byName.set(table.name, next);
    else this.byName.delete(table.name);
  }

  private indexOf(table: TableIR): number {
    const tables = this.schema.tables;
    let lo = 0;
    let hi = tables.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareNames(tables[mid]!.name, table.name) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < tables.length && tables[i]!.name === table.name; i++) if (tables[i] === table) return i;
    // Not sorted (a hand-built IR): fall back to a scan.
    applyWork.scannedTables += tables.length;
    return tables.indexOf(table);
  }

  /** Every table, for the rare ops that reach across tables (renames, enum changes). */
  allTables(): readonly TableIR[] {
    applyWork.scannedTables += this.schema.tables.length;
    return this.schema.tables;
  }
}

/** The schema after `op`, as a new value. Clones the whole schema: use `SchemaState` in loops. */
export function applyOp(schema: SchemaIR, op: Op): SchemaIR {
  return applyOps(schema, [op]);
}

/** The schema after `ops`, as a new value; `schema` is cloned once for the whole list. */
export function applyOps(schema: SchemaIR, ops: readonly Op[]): SchemaIR {
  const state = new SchemaState(schema);
  state.applyAll(ops);
  return state.schema;
}

/**
 * The table `op` names as it is after `op`, computed on a copy of that table only (a
 * dialect that rebuilds a table needs its definition after the op, not the whole schema).
 * For ops on one table: what they do to other tables is not reflected.
 */
export function tableAfterOp(schema: SchemaIR, op: Op & { table: string }): TableIR | undefined {
  const table = findTable(schema, op.table);
  if (!table) return undefined;
  applyWork.clonedTables += 1;
  const state = new SchemaState({ ...schema, tables: [cloneData(table)] }, { owned: true });
  state.apply(op);
  return state.findTable(op.table);
}

/** Insert at the item's sorted place, after equal names, without reordering the others. */
function insertSorted<T extends { name?: string }>(list: T[], item: T): void {
  const at = list.findIndex((existing) => compareNames(existing.name, item.name) > 0);
  if (at === -1) list.push(item);
  else list.splice(at, 0, item);
}

function tableOf(state: SchemaState, name: string): TableIR {
  const table = state.findTable(name);
  if (!table) throw new SchemaStateError(`Table "${name}" does not exist`);
  return table;
}

function addConstraint<T extends { name?: string }>(list: T[], item: T, same: (a: T, b: T) => boolean, label: string): void {
  if (list.some((existing) => same(existing, item))) {
    throw new SchemaStateError(`${label} already exists`);
  }
  insertSorted(list, item);
}

function removeConstraint<T>(list: T[], item: T, same: (a: T, b: T) => boolean, label: string): void {
  const at = list.findIndex((existing) => same(existing, item));
  if (at === -1) throw new SchemaStateError(`${label} does not exist`);
  list.splice(at, 1);
}

/**
 * One op, in place, as its kind's definition says. `op` is the caller's own copy (its
 * objects go into the state). A kind looks a table up with `edit.table(name)` and, when
 * it must see every table, iterates `edit.allTables()` (counted, so the work test notices
 * a scan per op).
 */
function applyInPlace(state: SchemaState, op: Op): void {
  definitionOf(op).apply(op, editorOf(state));
}

/** The edits an op kind may make (./kind.ts). */
function editorOf(state: SchemaState): SchemaEditor {
  return {
    schema: state.schema,
    table: (name) => tableOf(state, name),
    findTable: (name) => state.findTable(name),
    insertTable: (table) => state.insertTable(table),
    removeTable: (table) => state.removeTable(table),
    allTables: () => state.allTables(),
    add: addConstraint,
    remove: removeConstraint,
  };
}
