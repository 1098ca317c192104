/**
 * The object an op that only creates (or only drops) something is about, and whether the
 * database holds it: what the runner checks before a create-only revision runs, and
 * before it undoes anything (it never drops what the catalog does not show as there).
 * Each kind says so in its definition (`OpKindDefinition.object`).
 */
import type { Op } from "../ops/ops.js";
import { definitionOf } from "../ops/registry.js";
import type { SchemaIR } from "../schema/ir.js";

export type ChangeKind = "create" | "drop" | "other";

/** Whether `op` only adds an object, only removes one, or neither: a run of one kind can be undone by their reverse. */
export const changeKindOf = (op: Op): ChangeKind => definitionOf(op).object?.change ?? "other";

/** Whether `op` only adds an object. */
export const isCreating = (op: Op): boolean => changeKindOf(op) === "create";

/** `table "users"`, `index "IDX_x" on "users"`…; undefined for ops that are not about one object. */
export function objectLabel(op: Op): string | undefined {
  return definitionOf(op).object?.label(op);
}

/** Whether `schema` (read from the database) holds the object `op` creates or drops. */
export function isPresent(op: Op, schema: SchemaIR): boolean {
  return definitionOf(op).object?.isIn(op, schema) ?? false;
}
