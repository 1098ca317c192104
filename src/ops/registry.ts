/**
 * Shared code's one way to reach an op kind: by its definition, never by its name. Core
 * kinds are defined in ./core/, kinds only some database has in that database's folder
 * (listed in ../dialects/op-kinds.ts).
 */
import { DATABASE_OP_KINDS } from "../dialects/op-kinds.js";
import { UserError } from "../errors.js";
import { CORE_OP_KINDS } from "./core/index.js";
import type { DatabaseOpKindDefinition, OpKindDefinition } from "./kind.js";
import type { DatabaseOp, Op } from "./ops.js";

export type { DatabaseOpKindDefinition } from "./kind.js";

const databaseByKind = new Map<string, DatabaseOpKindDefinition<DatabaseOp>>(
  (DATABASE_OP_KINDS as readonly DatabaseOpKindDefinition<DatabaseOp>[]).map((definition) => [definition.kind, definition]),
);

const byKind = new Map<string, OpKindDefinition<Op>>([
  ...(Object.values(CORE_OP_KINDS) as OpKindDefinition<Op>[]).map((definition) => [definition.kind, definition] as const),
  ...databaseByKind,
]);

/** Every kind some database added, in registration order. */
export function databaseOpKinds(): readonly DatabaseOpKindDefinition<DatabaseOp>[] {
  return [...databaseByKind.values()];
}

/** The definition of a kind some database added, or undefined for a core kind (or none). */
export function databaseOpKind(kind: string): DatabaseOpKindDefinition<DatabaseOp> | undefined {
  return databaseByKind.get(kind);
}

/** The definition of `op`'s kind; an op of no known kind is a bug or a forged revision. */
export function definitionOf(op: DatabaseOp): DatabaseOpKindDefinition<DatabaseOp>;
export function definitionOf<O extends Op>(op: O): OpKindDefinition<O>;
export function definitionOf(op: Op): OpKindDefinition<Op> {
  const definition = byKind.get(op.kind);
  if (!definition) throw new UserError(`Unknown operation kind "${(op as { kind: string }).kind}"`);
  return definition;
}

/**
 * What an op acts on: its kind and the object its subject names, the same whatever the key
 * order of its data (an op about no named object, raw SQL, is known by all its data).
 */
export function opIdentity(op: Op): string {
  const { table, column, name } = definitionOf(op).subject(op);
  if (table === undefined && name === undefined) {
    return JSON.stringify(Object.entries(op).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return `${op.kind} ${table ?? ""}.${column ?? name ?? ""}`;
}

/** Whether `op` is of a kind that only some database has. */
export function isDatabaseOp(op: Op): op is DatabaseOp {
  return databaseByKind.has(op.kind);
}

/** The one refusal every renderer gives an op of another database's kind. */
export function refuseOtherDatabaseOp(op: Op, database: string): never {
  if (!isDatabaseOp(op)) throw new UserError(`${database} cannot run operation kind "${op.kind}"`);
  const definition = definitionOf(op);
  const { table, name } = definition.subject(op);
  const what = name !== undefined ? `"${name}"${table !== undefined ? ` on ${table}` : ""}` : `"${table ?? ""}"`;
  throw new UserError(`${definition.method}(${what}): ${database} has no ${definition.lacking} (this op is for ${definition.database})`);
}
