/**
 * The objects core kinds only create or only drop (`OpKindDefinition.object`): how the
 * runner names one and finds it in a schema read from the database.
 */
import { findTable, type SchemaIR, type TableIR } from "../../schema/ir.js";
import type { ObjectChange } from "../kind.js";
import type { Op } from "../ops.js";
import type { CoreOpOf } from "./index.js";

type Change = ObjectChange["change"];

const named = <T extends { name?: string }>(list: readonly T[] | undefined, name: string | undefined) =>
  name !== undefined && (list ?? []).some((item) => item.name === name);

export const tableObject = (change: Change): ObjectChange<CoreOpOf<"createTable" | "dropTable">> => ({
  change,
  label: (op) => `table "${op.table.name}"`,
  isIn: (op, schema) => findTable(schema, op.table.name) !== undefined,
});

export const enumObject = (change: Change): ObjectChange<CoreOpOf<"createEnum" | "dropEnum">> => ({
  change,
  label: (op) => `enum type "${op.enum.name}"`,
  isIn: (op, schema) => schema.enums.some((e) => e.name === op.enum.name),
});

/** An object on the op's table: absent when the table is. */
function onTable<O extends Op & { table: string }>(
  change: Change,
  label: (op: O) => string,
  holds: (table: TableIR, op: O) => boolean,
): ObjectChange<O> {
  return {
    change,
    label,
    isIn: (op: O, schema: SchemaIR) => {
      const table = findTable(schema, op.table);
      return table !== undefined && holds(table, op);
    },
  };
}

export const indexObject = (change: Change) =>
  onTable<CoreOpOf<"createIndex" | "dropIndex">>(
    change,
    (op) => `index "${op.index.name}" on "${op.table}"`,
    // A unique constraint's index shows as the constraint on some servers.
    (table, op) => named(table.indexes, op.index.name) || named(table.uniques, op.index.name),
  );

export const foreignKeyObject = (change: Change) =>
  onTable<CoreOpOf<"createForeignKey" | "dropForeignKey">>(
    change,
    (op) => `foreign key "${op.foreignKey.name ?? "?"}" on "${op.table}"`,
    (table, op) => named(table.foreignKeys, op.foreignKey.name),
  );

export const uniqueObject = (change: Change) =>
  onTable<CoreOpOf<"createUnique" | "dropUnique">>(
    change,
    (op) => `unique constraint "${op.unique.name ?? "?"}" on "${op.table}"`,
    (table, op) => named(table.uniques, op.unique.name) || named(table.indexes, op.unique.name),
  );

export const checkObject = (change: Change) =>
  onTable<CoreOpOf<"createCheck" | "dropCheck">>(
    change,
    (op) => `check constraint "${op.check.name ?? "?"}" on "${op.table}"`,
    (table, op) => named(table.checks, op.check.name),
  );

export const primaryKeyObject = (change: Change) =>
  onTable<CoreOpOf<"createPrimaryKey" | "dropPrimaryKey">>(
    change,
    (op) => `primary key of "${op.table}"`,
    (table) => table.primaryKey !== undefined,
  );
