/** The constraint kinds: primary keys, foreign keys, unique and check constraints, each created and dropped. */
import { sameList } from "../../schema/compare.js";
import type { CheckIR, ForeignKeyIR, UniqueIR } from "../../schema/ir.js";
import type { OpKindDefinition } from "../kind.js";
import { SchemaStateError } from "../state-error.js";
import { checkObject, foreignKeyObject, primaryKeyObject, uniqueObject } from "./objects.js";
import type { CoreOpOf } from "./index.js";
import { columnOf, constraintLabel } from "./state.js";
import { constraintWords, q } from "./words.js";

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

/** The name, when the constraint has one. */
const named = (item: { name?: string }) => (item.name ? { name: item.name } : {});

export const createPrimaryKey: OpKindDefinition<CoreOpOf<"createPrimaryKey">> = {
  kind: "createPrimaryKey",
  method: "createPrimaryKey",
  reverse: (op) => ({ kind: "dropPrimaryKey", table: op.table, primaryKey: op.primaryKey }),
  apply(op, edit) {
    const table = edit.table(op.table);
    if (table.primaryKey) throw new SchemaStateError(`Table "${op.table}" already has a primary key`);
    for (const c of op.primaryKey.columns) columnOf(table, c);
    table.primaryKey = op.primaryKey;
  },
  describe: (op) => `added primary key on ${q(op.table)} (${op.primaryKey.columns.join(", ")})`,
  subject: (op) => ({ table: op.table, ...named(op.primaryKey) }),
  changesTable: true,
  object: primaryKeyObject("create"),
};

export const dropPrimaryKey: OpKindDefinition<CoreOpOf<"dropPrimaryKey">> = {
  kind: "dropPrimaryKey",
  method: "dropPrimaryKey",
  reverse: (op) => ({ kind: "createPrimaryKey", table: op.table, primaryKey: op.primaryKey }),
  apply(op, edit) {
    const table = edit.table(op.table);
    if (!table.primaryKey) throw new SchemaStateError(`Table "${op.table}" has no primary key`);
    delete table.primaryKey;
  },
  describe: (op) => `removed primary key on ${q(op.table)} (${op.primaryKey.columns.join(", ")})`,
  subject: (op) => ({ table: op.table, ...named(op.primaryKey) }),
  changesTable: true,
  object: primaryKeyObject("drop"),
};

const foreignKeyLabel = (op: CoreOpOf<"createForeignKey" | "dropForeignKey">) =>
  `${constraintLabel("foreign key", op.foreignKey, op.foreignKey.columns.join(", "))} on "${op.table}"`;

export const createForeignKey: OpKindDefinition<CoreOpOf<"createForeignKey">> = {
  kind: "createForeignKey",
  method: "createForeignKey",
  reverse: (op) => ({ kind: "dropForeignKey", table: op.table, foreignKey: op.foreignKey }),
  apply(op, edit) {
    const table = edit.table(op.table);
    for (const c of op.foreignKey.columns) columnOf(table, c);
    edit.add(table.foreignKeys, op.foreignKey, sameForeignKey, foreignKeyLabel(op));
  },
  describe: (op) =>
    constraintWords(
      "added",
      "foreign key",
      op.foreignKey,
      op.table,
      ` (${op.foreignKey.columns.join(", ")}) -> ${q(op.foreignKey.referencedTable)}`,
    ),
  subject: (op) => ({ table: op.table, ...named(op.foreignKey) }),
  changesTable: true,
  object: foreignKeyObject("create"),
};

export const dropForeignKey: OpKindDefinition<CoreOpOf<"dropForeignKey">> = {
  kind: "dropForeignKey",
  method: "dropForeignKey",
  reverse: (op) => ({ kind: "createForeignKey", table: op.table, foreignKey: op.foreignKey }),
  apply(op, edit) {
    edit.remove(edit.table(op.table).foreignKeys, op.foreignKey, sameForeignKey, foreignKeyLabel(op));
  },
  describe: (op) => constraintWords("removed", "foreign key", op.foreignKey, op.table, ` (${op.foreignKey.columns.join(", ")})`),
  subject: (op) => ({ table: op.table, ...named(op.foreignKey) }),
  changesTable: true,
  object: foreignKeyObject("drop"),
};

const uniqueLabel = (op: CoreOpOf<"createUnique" | "dropUnique">) =>
  `${constraintLabel("unique constraint", op.unique, op.unique.columns.join(", "))} on "${op.table}"`;

export const createUnique: OpKindDefinition<CoreOpOf<"createUnique">> = {
  kind: "createUnique",
  method: "createUniqueConstraint",
  reverse: (op) => ({ kind: "dropUnique", table: op.table, unique: op.unique }),
  apply(op, edit) {
    const table = edit.table(op.table);
    for (const c of op.unique.columns) columnOf(table, c);
    edit.add(table.uniques, op.unique, sameUnique, uniqueLabel(op));
  },
  describe: (op) => constraintWords("added", "unique constraint", op.unique, op.table, ` (${op.unique.columns.join(", ")})`),
  subject: (op) => ({ table: op.table, ...named(op.unique) }),
  changesTable: true,
  object: uniqueObject("create"),
};

export const dropUnique: OpKindDefinition<CoreOpOf<"dropUnique">> = {
  kind: "dropUnique",
  method: "dropUniqueConstraint",
  reverse: (op) => ({ kind: "createUnique", table: op.table, unique: op.unique }),
  apply(op, edit) {
    edit.remove(edit.table(op.table).uniques, op.unique, sameUnique, uniqueLabel(op));
  },
  describe: (op) => constraintWords("removed", "unique constraint", op.unique, op.table, ` (${op.unique.columns.join(", ")})`),
  subject: (op) => ({ table: op.table, ...named(op.unique) }),
  changesTable: true,
  object: uniqueObject("drop"),
};

const checkLabel = (op: CoreOpOf<"createCheck" | "dropCheck">) =>
  `${constraintLabel("check constraint", op.check, op.check.expression)} on "${op.table}"`;

export const createCheck: OpKindDefinition<CoreOpOf<"createCheck">> = {
  kind: "createCheck",
  method: "createCheckConstraint",
  reverse: (op) => ({ kind: "dropCheck", table: op.table, check: op.check }),
  apply(op, edit) {
    edit.add(edit.table(op.table).checks, op.check, sameCheck, checkLabel(op));
  },
  describe: (op) => constraintWords("added", "check constraint", op.check, op.table),
  subject: (op) => ({ table: op.table, ...named(op.check) }),
  changesTable: true,
  object: checkObject("create"),
};

export const dropCheck: OpKindDefinition<CoreOpOf<"dropCheck">> = {
  kind: "dropCheck",
  method: "dropCheckConstraint",
  reverse: (op) => ({ kind: "createCheck", table: op.table, check: op.check }),
  apply(op, edit) {
    edit.remove(edit.table(op.table).checks, op.check, sameCheck, checkLabel(op));
  },
  describe: (op) => constraintWords("removed", "check constraint", op.check, op.table),
  subject: (op) => ({ table: op.table, ...named(op.check) }),
  changesTable: true,
  object: checkObject("drop"),
};
