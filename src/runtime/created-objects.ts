/**
 * The object an op that only creates (or only drops) something is about, and whether the
 * database holds it: what the runner checks before a create-only revision runs, and
 * before it undoes anything (it never drops what the catalog does not show as there).
 */
import type { Op } from "../ops/ops.js";
import { findTable, type SchemaIR } from "../schema/ir.js";

/** Ops that only add objects, or only remove them: a run of one kind can be undone by their reverse. */
export const CREATING: ReadonlySet<Op["kind"]> = new Set([
  "createTable",
  "createIndex",
  "createForeignKey",
  "createUnique",
  "createCheck",
  "createPrimaryKey",
  "createEnum",
]);
export const DROPPING: ReadonlySet<Op["kind"]> = new Set([
  "dropTable",
  "dropIndex",
  "dropForeignKey",
  "dropUnique",
  "dropCheck",
  "dropPrimaryKey",
  "dropEnum",
]);

export type ChangeKind = "create" | "drop" | "other";
export const changeKindOf = (op: Op): ChangeKind => (CREATING.has(op.kind) ? "create" : DROPPING.has(op.kind) ? "drop" : "other");

/** `table "users"`, `index "IDX_x" on "users"`…; undefined for ops that are not about one object. */
export function objectLabel(op: Op): string | undefined {
  switch (op.kind) {
    case "createTable":
    case "dropTable":
      return `table "${op.table.name}"`;
    case "createEnum":
    case "dropEnum":
      return `enum type "${op.enum.name}"`;
    case "createIndex":
    case "dropIndex":
      return `index "${op.index.name}" on "${op.table}"`;
    case "createForeignKey":
    case "dropForeignKey":
      return `foreign key "${op.foreignKey.name ?? "?"}" on "${op.table}"`;
    case "createUnique":
    case "dropUnique":
      return `unique constraint "${op.unique.name ?? "?"}" on "${op.table}"`;
    case "createCheck":
    case "dropCheck":
      return `check constraint "${op.check.name ?? "?"}" on "${op.table}"`;
    case "createPrimaryKey":
    case "dropPrimaryKey":
      return `primary key of "${op.table}"`;
    default:
      return undefined;
  }
}

const named = <T extends { name?: string }>(list: readonly T[] | undefined, name: string | undefined) =>
  name !== undefined && (list ?? []).some((item) => item.name === name);

/** Whether `schema` (read from the database) holds the object `op` creates or drops. */
export function isPresent(op: Op, schema: SchemaIR): boolean {
  switch (op.kind) {
    case "createTable":
    case "dropTable":
      return findTable(schema, op.table.name) !== undefined;
    case "createEnum":
    case "dropEnum":
      return schema.enums.some((e) => e.name === op.enum.name);
    default:
      break;
  }
  if (!("table" in op) || typeof op.table !== "string") return false;
  const table = findTable(schema, op.table);
  if (!table) return false;
  switch (op.kind) {
    case "createIndex":
    case "dropIndex":
      // A unique constraint's index shows as the constraint on some servers.
      return named(table.indexes, op.index.name) || named(table.uniques, op.index.name);
    case "createForeignKey":
    case "dropForeignKey":
      return named(table.foreignKeys, op.foreignKey.name);
    case "createUnique":
    case "dropUnique":
      return named(table.uniques, op.unique.name) || named(table.indexes, op.unique.name);
    case "createCheck":
    case "dropCheck":
      return named(table.checks, op.check.name);
    case "createPrimaryKey":
    case "dropPrimaryKey":
      return table.primaryKey !== undefined;
    default:
      return false;
  }
}
