/** The column kinds: addColumn, dropColumn, renameColumn, alterColumn. */
import { formatType } from "../../diff/describe.js";
import { TYPE_KEYS } from "../../schema/compare.js";
import type { ColumnIR, TableIR } from "../../schema/ir.js";
import type { OpKindDefinition, SchemaEditor } from "../kind.js";
import type { Change, ColumnChanges } from "../ops.js";
import { SchemaStateError } from "../state-error.js";
import type { CoreOpOf } from "./index.js";
import { columnOf, followEnumType, foreignKeysReferencing, rename } from "./state.js";
import { q } from "./words.js";

export const addColumn: OpKindDefinition<CoreOpOf<"addColumn">> = {
  kind: "addColumn",
  method: "addColumn",
  reverse: (op) => ({ kind: "dropColumn", table: op.table, column: op.column }),
  apply(op, edit) {
    const table = edit.table(op.table);
    if (table.columns.some((c) => c.name === op.column.name)) {
      throw new SchemaStateError(`Column "${op.table}.${op.column.name}" already exists`);
    }
    followEnumType(edit.schema, op.column);
    table.columns.push(op.column);
  },
  describe: (op) => `added column ${q(`${op.table}.${op.column.name}`)}`,
  subject: (op) => ({ table: op.table, column: op.column.name }),
  changesTable: true,
  lint(op, ctx) {
    const { column } = op;
    if (ctx.direction === "downgrade" && ctx.undoesUpgrade(op)) {
      ctx.add("data-not-restored", `column ${op.table}.${column.name}`, "restore its values from a backup if they are needed");
    }
    // A downgrade re-adding a column runs on a table with rows as much as an upgrade does.
    const filled = column.default !== undefined || column.generated !== undefined || column.identity !== undefined || column.computed;
    if (ctx.tableExisted(op.table) && !column.nullable && !filled) {
      ctx.add(
        "not-null-without-default",
        `${op.table}.${column.name}`,
        "add it nullable, fill it, then make it NOT NULL, or give it a default",
      );
    }
  },
};

/** Like the database does, dropping a column drops this table's keys and indexes built on it. */
function dropColumnOf(table: TableIR, name: string): void {
  columnOf(table, name);
  table.columns = table.columns.filter((c) => c.name !== name);
  const uses = (item: { columns: string[] }) => item.columns.includes(name);
  if (table.primaryKey && uses(table.primaryKey)) delete table.primaryKey;
  table.indexes = table.indexes.filter((i) => !uses(i));
  table.uniques = table.uniques.filter((u) => !uses(u));
  table.foreignKeys = table.foreignKeys.filter((fk) => !uses(fk));
}

export const dropColumn: OpKindDefinition<CoreOpOf<"dropColumn">> = {
  kind: "dropColumn",
  method: "dropColumn",
  reverse: (op) => ({ kind: "addColumn", table: op.table, column: op.column }),
  apply(op, edit) {
    dropColumnOf(edit.table(op.table), op.column.name);
  },
  describe: (op) => `removed column ${q(`${op.table}.${op.column.name}`)}`,
  subject: (op) => ({ table: op.table, column: op.column.name }),
  changesTable: true,
};

function renameColumnOf(edit: SchemaEditor, table: TableIR, from: string, to: string): void {
  const column = columnOf(table, from);
  if (table.columns.some((c) => c.name === to)) {
    throw new SchemaStateError(`Column "${table.name}.${to}" already exists`);
  }
  column.name = to;
  if (table.primaryKey) table.primaryKey.columns = rename(table.primaryKey.columns, from, to);
  for (const index of table.indexes) index.columns = rename(index.columns, from, to);
  for (const unique of table.uniques) unique.columns = rename(unique.columns, from, to);
  for (const fk of table.foreignKeys) fk.columns = rename(fk.columns, from, to);
  for (const fk of foreignKeysReferencing(edit, table)) {
    fk.referencedColumns = rename(fk.referencedColumns, from, to);
  }
}

export const renameColumn: OpKindDefinition<CoreOpOf<"renameColumn">> = {
  kind: "renameColumn",
  method: "renameColumn",
  reverse: (op) => ({ kind: "renameColumn", table: op.table, from: op.to, to: op.from }),
  apply(op, edit) {
    renameColumnOf(edit, edit.table(op.table), op.from, op.to);
  },
  describe: (op) => `renamed column ${q(`${op.table}.${op.from}`)} to ${q(op.to)}`,
  subject: (op) => ({ table: op.table, column: op.to, name: op.from }),
  changesTable: true,
  lint(op, ctx) {
    ctx.add(
      "rename-breaks-code",
      `column ${op.table}.${op.from} -> ${op.to}`,
      "add the new column, write both, backfill, then drop the old one in a later release",
    );
  },
};

const swap = <T>(change: Change<T>): Change<T> => ({ from: change.to, to: change.from });

function reverseChanges(changes: ColumnChanges): ColumnChanges {
  const out: ColumnChanges = {};
  if (changes.type) out.type = swap(changes.type);
  if (changes.nullable) out.nullable = swap(changes.nullable);
  if (changes.default) out.default = swap(changes.default);
  if (changes.generated) out.generated = swap(changes.generated);
  if (changes.identity) out.identity = swap(changes.identity);
  if (changes.comment) out.comment = swap(changes.comment);
  if (changes.collation) out.collation = swap(changes.collation);
  return out;
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

function alterColumnOf(column: ColumnIR, changes: ColumnChanges): void {
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

const show = (v: unknown) => (v === null || v === undefined ? "none" : typeof v === "string" ? v : JSON.stringify(v));

function changeWords(changes: ColumnChanges): string[] {
  const parts: string[] = [];
  const c = changes as Record<string, Change<unknown> | undefined>;
  if (changes.type) parts.push(`type ${formatType(changes.type.from)} -> ${formatType(changes.type.to)}`);
  if (changes.nullable) parts.push(changes.nullable.to ? "now nullable" : "now NOT NULL");
  for (const key of ["default", "generated", "identity", "comment", "collation"]) {
    const change = c[key];
    if (change) parts.push(`${key} ${show(change.from)} -> ${show(change.to)}`);
  }
  return parts;
}

export const alterColumn: OpKindDefinition<CoreOpOf<"alterColumn">> = {
  kind: "alterColumn",
  method: "alterColumn",
  reverse: (op) => ({ kind: "alterColumn", table: op.table, column: op.column, changes: reverseChanges(op.changes) }),
  apply(op, edit) {
    const column = columnOf(edit.table(op.table), op.column);
    alterColumnOf(column, op.changes);
    followEnumType(edit.schema, column);
  },
  describe: (op) => `changed column ${q(`${op.table}.${op.column}`)}: ${changeWords(op.changes).join(", ")}`,
  subject: (op) => ({ table: op.table, column: op.column }),
  changesTable: true,
};
