/**
 * The reverse of an op: what undoes it. A downgrade is `reverseOps(upgrade)`, written once
 * here rather than per command, which is why every op carries what it removes or changes.
 */
import { cloneData } from "../schema/clone.js";
import { definitionOf } from "./registry.js";
import type { ColumnChanges, Change, ExecuteOp, Op } from "./ops.js";

/** Raw SQL without `reverse` SQL: nothing can undo it automatically. */
export class IrreversibleOpError extends Error {
  constructor(readonly op: ExecuteOp) {
    super(`Cannot reverse op.execute() without a reverse statement: ${op.sql.slice(0, 80)}`);
    this.name = "IrreversibleOpError";
  }
}

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

function reverseExecute(op: ExecuteOp): ExecuteOp {
  if (op.reverseSql === undefined) throw new IrreversibleOpError(op);
  const reversed: ExecuteOp = { kind: "execute", sql: op.reverseSql, reverseSql: op.sql };
  if (op.dialect !== undefined) reversed.dialect = op.dialect;
  return reversed;
}

function reverseShallow(op: Op): Op {
  switch (op.kind) {
    case "createTable":
      return { kind: "dropTable", table: op.table };
    case "dropTable":
      return { kind: "createTable", table: op.table };
    case "renameTable":
      return { kind: "renameTable", from: op.to, to: op.from };
    case "addColumn":
      return { kind: "dropColumn", table: op.table, column: op.column };
    case "dropColumn":
      return { kind: "addColumn", table: op.table, column: op.column };
    case "renameColumn":
      return { kind: "renameColumn", table: op.table, from: op.to, to: op.from };
    case "alterColumn":
      return { kind: "alterColumn", table: op.table, column: op.column, changes: reverseChanges(op.changes) };
    case "createPrimaryKey":
      return { kind: "dropPrimaryKey", table: op.table, primaryKey: op.primaryKey };
    case "dropPrimaryKey":
      return { kind: "createPrimaryKey", table: op.table, primaryKey: op.primaryKey };
    case "createIndex":
      return { kind: "dropIndex", table: op.table, index: op.index, ...(op.concurrently ? { concurrently: true } : {}) };
    case "dropIndex":
      return { kind: "createIndex", table: op.table, index: op.index, ...(op.concurrently ? { concurrently: true } : {}) };
    case "createForeignKey":
      return { kind: "dropForeignKey", table: op.table, foreignKey: op.foreignKey };
    case "dropForeignKey":
      return { kind: "createForeignKey", table: op.table, foreignKey: op.foreignKey };
    case "createUnique":
      return { kind: "dropUnique", table: op.table, unique: op.unique };
    case "dropUnique":
      return { kind: "createUnique", table: op.table, unique: op.unique };
    case "createCheck":
      return { kind: "dropCheck", table: op.table, check: op.check };
    case "dropCheck":
      return { kind: "createCheck", table: op.table, check: op.check };
    case "createEnum":
      return { kind: "dropEnum", enum: op.enum };
    case "dropEnum":
      return { kind: "createEnum", enum: op.enum };
    case "alterEnum":
      return {
        kind: "alterEnum",
        name: op.name,
        values: swap(op.values),
        ...(op.renames ? { renames: Object.fromEntries(Object.entries(op.renames).map(([a, b]) => [b, a])) } : {}),
      };
    case "createView":
      return { kind: "dropView", view: op.view };
    case "dropView":
      return { kind: "createView", view: op.view };
    case "execute":
      return reverseExecute(op);
    default:
      return definitionOf(op).reverse(op);
  }
}

/** The op that undoes `op`; a fresh copy that shares nothing with it. */
export function reverseOp(op: Op): Op {
  return cloneData(reverseShallow(op));
}

/** Undo a whole sequence: each op reversed, last first. */
export function reverseOps(ops: readonly Op[]): Op[] {
  return ops.map(reverseOp).reverse();
}

/** Whether `reverseOp` would succeed (the writer uses it to render a loud comment instead). */
export function isReversible(op: Op): boolean {
  return op.kind !== "execute" || op.reverseSql !== undefined;
}
