/**
 * The reverse of an op: what undoes it. A downgrade is `reverseOps(upgrade)`, written once
 * here rather than per command, which is why every op carries what it removes or changes.
 * Each kind says what undoes it in its definition (./core/, or its database's folder).
 */
import { cloneData } from "../schema/clone.js";
import { definitionOf } from "./registry.js";
import type { Op } from "./ops.js";

export { IrreversibleOpError } from "./core/execute.js";

/** The op that undoes `op`; a fresh copy that shares nothing with it. */
export function reverseOp(op: Op): Op {
  return cloneData(definitionOf(op).reverse(op));
}

/** Undo a whole sequence: each op reversed, last first. */
export function reverseOps(ops: readonly Op[]): Op[] {
  return ops.map(reverseOp).reverse();
}

/** Whether `reverseOp` would succeed (the writer uses it to render a loud comment instead). */
export function isReversible(op: Op): boolean {
  return op.kind !== "execute" || op.reverseSql !== undefined;
}
