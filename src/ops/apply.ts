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
import { UserError } from "../errors.js";
import { findTable, isExpressionTerm, registerTableIndex } from "../schema/ir.js";
import type { CheckIR, ColumnIR, EnumIR, ForeignKeyIR, SchemaIR, TableIR, UniqueIR } from "../schema/ir.js";
import type { SchemaEditor } from "./kind.js";
import type { ColumnChanges, Op } from "./ops.js";
import { definitionOf } from "./registry.js";
import { compareNames, sameList, TYPE_KEYS } from "../schema/compare.js";

/** An op that does not fit the schema it is applied to (absent object, duplicate name). */
export class SchemaStateError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "SchemaStateError";
  }
}

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

function columnOf(table: TableIR, name: string): ColumnIR {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new SchemaStateError(`Column "${table.name}.${name}" does not exist`);
  return column;
}

function enumOf(schema: SchemaIR, name: string): EnumIR {
  const found = schema.enums.find((e) => e.name === name);
  if (!found) throw new SchemaStateError(`Enum "${name}" does not exist`);
  return found;
}

/** Constraints are identified by name when the op names them, else by what they constrain. */
function sameForeignKey(a: ForeignKeyIR, b: ForeignKeyIR): boolean {
  if (a.name !== undefined && b.name !== undefined) return a.name === b.name;
  return sameList(a.columns, b.columns) && a.referencedTable === b.referencedTable && sameList(a.referencedColumns, b.referencedColumns);
}

function sameUnique(a: UniqueIR, b: UniqueIR): boolean {
  if (a.name !== undefined && b.name !== undefined) return a.name === b.name;
  return sameList(a.columns, b.columns);
}

function sameCheck(a: CheckIR, b: CheckIR): boolean {
  if (a.name !== undefined && b.name !== undefined) return a.name === b.name;
  return a.expression === b.expression;
}

function describe(what: string, item: { name?: string }, detail: string): string {
  return item.name !== undefined ? `${what} "${item.name}"` : `unnamed ${what} on (${detail})`;
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

/** Schema-level lists that are omitted when empty (IR convention). */
type OptionalList = "views";

function addNamed<K extends OptionalList>(schema: SchemaIR, key: K, item: NonNullable<SchemaIR[K]>[number], label: string): void {
  const list = (schema[key] ??= []) as { name: string }[];
  addConstraint(list, item, (a, b) => a.name === b.name, label);
}

function removeNamed(schema: SchemaIR, key: OptionalList, name: string, label: string): void {
  const list = (schema[key] ?? []) as { name: string }[];
  removeConstraint(list, { name }, (a, b) => a.name === b.name, label);
  if (list.length === 0) delete schema[key];
}

/** Set (or, for `null`, remove) one optional column attribute. */
function setOptional<K extends "default" | "generated" | "identity" | "comment" | "collation">(
  column: ColumnIR,
  key: K,
  value: ColumnIR[K] | null,
): void {
  if (value === null || value === undefined) delete column[key];
  else column[key] = value;
}

function alterColumn(column: ColumnIR, changes: ColumnChanges): void {
  if (changes.type) {
    // The column's type is replaced as a whole, so attributes the new type lacks
    // (a length that a `text` column has no use for) disappear.
    for (const key of TYPE_KEYS) delete column[key];
    for (const key of TYPE_KEYS) {
      const value = changes.type.to[key];
      if (value !== undefined) (column as unknown as Record<string, unknown>)[key] = value;
    }
  }
  if (changes.nullable) column.nullable = changes.nullable.to;
  if (changes.default) setOptional(column, "default", changes.default.to);
  if (changes.generated) setOptional(column, "generated", changes.generated.to);
  if (changes.identity) setOptional(column, "identity", changes.identity.to);
  if (changes.comment) setOptional(column, "comment", changes.comment.to);
  if (changes.collation) setOptional(column, "collation", changes.collation.to);
}

const rename = (names: string[], from: string, to: string): string[] => names.map((n) => (n === from ? to : n));

/** Foreign keys (of any table) that point at `table`. */
function* foreignKeysReferencing(state: SchemaState, table: TableIR): Generator<ForeignKeyIR> {
  for (const t of state.allTables()) {
    for (const fk of t.foreignKeys) {
      if (fk.referencedTable !== table.name) continue;
      if (fk.referencedSchema !== undefined && fk.referencedSchema !== table.schema) continue;
      yield fk;
    }
  }
}

function renameColumn(state: SchemaState, table: TableIR, from: string, to: string): void {
  const column = columnOf(table, from);
  if (table.columns.some((c) => c.name === to)) {
    throw new SchemaStateError(`Column "${table.name}.${to}" already exists`);
  }
  column.name = to;
  if (table.primaryKey) table.primaryKey.columns = rename(table.primaryKey.columns, from, to);
  for (const index of table.indexes) index.columns = rename(index.columns, from, to);
  for (const unique of table.uniques) unique.columns = rename(unique.columns, from, to);
  for (const fk of table.foreignKeys) fk.columns = rename(fk.columns, from, to);
  for (const fk of foreignKeysReferencing(state, table)) {
    fk.referencedColumns = rename(fk.referencedColumns, from, to);
  }
}

/** Like the database does, dropping a column drops this table's keys and indexes built on it. */
function dropColumn(table: TableIR, name: string): void {
  columnOf(table, name);
  table.columns = table.columns.filter((c) => c.name !== name);
  const uses = (item: { columns: string[] }) => item.columns.includes(name);
  if (table.primaryKey && uses(table.primaryKey)) delete table.primaryKey;
  table.indexes = table.indexes.filter((i) => !uses(i));
  table.uniques = table.uniques.filter((u) => !uses(u));
  table.foreignKeys = table.foreignKeys.filter((fk) => !uses(fk));
}

function renameTable(state: SchemaState, from: string, to: string): void {
  const table = tableOf(state, from);
  if (state.findTable(to)) {
    throw new SchemaStateError(`Table "${to}" already exists`);
  }
  for (const fk of [...foreignKeysReferencing(state, table)]) fk.referencedTable = to;
  state.removeTable(table);
  table.name = to;
  state.insertTable(table);
}

/**
 * A column of a named enum type allows what the type allows, whatever values the op that
 * created or altered it recorded: the op was generated against the type as it is once the
 * whole revision ran, while the type may still be mid-change where the op runs (an enum
 * loses values only after the columns moved, see diff/enums.ts).
 */
function followEnumType(schema: SchemaIR, column: ColumnIR): void {
  if (column.enumName === undefined) return;
  const type = schema.enums.find((e) => e.name === column.enumName);
  if (type) column.enumValues = [...type.values];
}

function setEnumValuesOfColumns(state: SchemaState, enumName: string, values: string[]): void {
  for (const table of state.allTables()) {
    for (const column of table.columns) {
      if (column.enumName === enumName) column.enumValues = [...values];
    }
  }
}

/**
 * One op, in place. `op` is the caller's own copy (its objects go into the state). A new
 * case looks a table up with `tableOf(state, name)` and, when it must see every table,
 * iterates `state.allTables()` (counted, so the work test notices a scan per op).
 */
function applyInPlace(state: SchemaState, op: Op): void {
  const schema = state.schema;
  switch (op.kind) {
    case "createTable":
      if (state.findTable(op.table.name)) {
        throw new SchemaStateError(`Table "${op.table.name}" already exists`);
      }
      for (const column of op.table.columns) followEnumType(schema, column);
      state.insertTable(op.table);
      return;
    case "dropTable":
      state.removeTable(tableOf(state, op.table.name));
      return;
    case "renameTable":
      renameTable(state, op.from, op.to);
      return;
    case "addColumn": {
      const table = tableOf(state, op.table);
      if (table.columns.some((c) => c.name === op.column.name)) {
        throw new SchemaStateError(`Column "${op.table}.${op.column.name}" already exists`);
      }
      followEnumType(schema, op.column);
      table.columns.push(op.column);
      return;
    }
    case "dropColumn":
      dropColumn(tableOf(state, op.table), op.column.name);
      return;
    case "renameColumn":
      renameColumn(state, tableOf(state, op.table), op.from, op.to);
      return;
    case "alterColumn": {
      const column = columnOf(tableOf(state, op.table), op.column);
      alterColumn(column, op.changes);
      followEnumType(schema, column);
      return;
    }
    case "createPrimaryKey": {
      const table = tableOf(state, op.table);
      if (table.primaryKey) throw new SchemaStateError(`Table "${op.table}" already has a primary key`);
      for (const c of op.primaryKey.columns) columnOf(table, c);
      table.primaryKey = op.primaryKey;
      return;
    }
    case "dropPrimaryKey": {
      const table = tableOf(state, op.table);
      if (!table.primaryKey) throw new SchemaStateError(`Table "${op.table}" has no primary key`);
      delete table.primaryKey;
      return;
    }
    case "createIndex": {
      const table = tableOf(state, op.table);
      // An expression term (`lower(email)`) names no column; the database checks it.
      for (const c of op.index.columns) if (!isExpressionTerm(c)) columnOf(table, c);
      addConstraint(table.indexes, op.index, (a, b) => a.name === b.name, `Index "${op.index.name}" on "${op.table}"`);
      return;
    }
    case "dropIndex":
      removeConstraint(
        tableOf(state, op.table).indexes,
        op.index,
        (a, b) => a.name === b.name,
        `Index "${op.index.name}" on "${op.table}"`,
      );
      return;
    case "createForeignKey": {
      const table = tableOf(state, op.table);
      for (const c of op.foreignKey.columns) columnOf(table, c);
      const label = `${describe("foreign key", op.foreignKey, op.foreignKey.columns.join(", "))} on "${op.table}"`;
      addConstraint(table.foreignKeys, op.foreignKey, sameForeignKey, label);
      return;
    }
    case "dropForeignKey": {
      const label = `${describe("foreign key", op.foreignKey, op.foreignKey.columns.join(", "))} on "${op.table}"`;
      removeConstraint(tableOf(state, op.table).foreignKeys, op.foreignKey, sameForeignKey, label);
      return;
    }
    case "createUnique": {
      const table = tableOf(state, op.table);
      for (const c of op.unique.columns) columnOf(table, c);
      const label = `${describe("unique constraint", op.unique, op.unique.columns.join(", "))} on "${op.table}"`;
      addConstraint(table.uniques, op.unique, sameUnique, label);
      return;
    }
    case "dropUnique": {
      const label = `${describe("unique constraint", op.unique, op.unique.columns.join(", "))} on "${op.table}"`;
      removeConstraint(tableOf(state, op.table).uniques, op.unique, sameUnique, label);
      return;
    }
    case "createCheck": {
      const label = `${describe("check constraint", op.check, op.check.expression)} on "${op.table}"`;
      addConstraint(tableOf(state, op.table).checks, op.check, sameCheck, label);
      return;
    }
    case "dropCheck": {
      const label = `${describe("check constraint", op.check, op.check.expression)} on "${op.table}"`;
      removeConstraint(tableOf(state, op.table).checks, op.check, sameCheck, label);
      return;
    }
    case "createEnum":
      if (schema.enums.some((e) => e.name === op.enum.name)) {
        throw new SchemaStateError(`Enum "${op.enum.name}" already exists`);
      }
      insertSorted(schema.enums, op.enum);
      setEnumValuesOfColumns(state, op.enum.name, op.enum.values);
      return;
    case "dropEnum":
      enumOf(schema, op.enum.name);
      schema.enums = schema.enums.filter((e) => e.name !== op.enum.name);
      return;
    case "alterEnum":
      enumOf(schema, op.name).values = [...op.values.to];
      setEnumValuesOfColumns(state, op.name, op.values.to);
      return;
    case "createView":
      addNamed(schema, "views", op.view, `View "${op.view.name}"`);
      return;
    case "dropView":
      removeNamed(schema, "views", op.view.name, `View "${op.view.name}"`);
      return;
    case "execute":
      // Raw SQL is opaque to the IR: whatever it does is the author's responsibility.
      return;
    default:
      definitionOf(op).apply(op, editorOf(state));
  }
}

/** The edits a database's own op kind may make (../ops/kind.ts). */
function editorOf(state: SchemaState): SchemaEditor {
  return {
    schema: state.schema,
    table: (name) => tableOf(state, name),
    add: addConstraint,
    remove: removeConstraint,
  };
}
