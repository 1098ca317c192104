/**
 * Shared code's one way to reach an op kind that only some database has: by the
 * definition its database registered (../dialects/op-kinds.ts), never by its name.
 */
import { DATABASE_OP_KINDS } from "../dialects/op-kinds.js";
import { UserError } from "../errors.js";
import type { OpKindDefinition } from "./kind.js";
import type { DatabaseOp, Op } from "./ops.js";

export type DatabaseOpKindDefinition = OpKindDefinition<DatabaseOp>;

const byKind = new Map<string, DatabaseOpKindDefinition>(
  (DATABASE_OP_KINDS as readonly DatabaseOpKindDefinition[]).map((definition) => [definition.kind, definition]),
);

/** Every kind some database added, in registration order. */
export function databaseOpKinds(): readonly DatabaseOpKindDefinition[] {
  return [...byKind.values()];
}

/** The definition of a kind some database added, or undefined for a core kind (or none). */
export function databaseOpKind(kind: string): DatabaseOpKindDefinition | undefined {
  return byKind.get(kind);
}

/** The definition of `op`'s kind; an op of no known kind is a bug or a forged revision. */
export function definitionOf(op: DatabaseOp): DatabaseOpKindDefinition {
  const definition = byKind.get(op.kind);
  if (!definition) throw new UserError(`Unknown operation kind "${(op as { kind: string }).kind}"`);
  return definition;
}

/** Whether `op` is of a kind that only some database has. */
export function isDatabaseOp(op: Op): op is DatabaseOp {
  return byKind.has(op.kind);
}

/** The one refusal every renderer gives an op of another database's kind. */
export function refuseOtherDatabaseOp(op: Op, database: string): never {
  if (!isDatabaseOp(op)) throw new UserError(`${database} cannot run operation kind "${op.kind}"`);
  const definition = definitionOf(op);
  const { table, name } = definition.subject(op);
  const what = name !== undefined ? `"${name}"${table !== undefined ? ` on ${table}` : ""}` : `"${table ?? ""}"`;
  throw new UserError(`${definition.method}(${what}): ${database} has no ${definition.lacking} (this op is for ${definition.database})`);
}
