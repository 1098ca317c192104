/**
 * A revision's ops rendered together, for dialects whose every op is its own statements:
 * each op rendered against the schema as the ops before it left it. (SQLite has its own
 * `renderOps`, which folds consecutive changes to one table into one rebuild.)
 */
import { SchemaState } from "../ops/apply.js";
import type { Op } from "../ops/ops.js";
import type { SchemaIR } from "../schema/ir.js";

export function renderEachOp(
  renderOp: (op: Op, state: SchemaIR, later: readonly Op[]) => string[],
): (ops: readonly Op[], start: SchemaIR, following?: readonly Op[]) => string[] {
  return (ops, start, following = []) => {
    const state = new SchemaState(start);
    const out: string[] = [];
    for (const [i, op] of ops.entries()) {
      // `later`: the ops rendered after this one (PostgreSQL's ADD VALUE looks ahead).
      out.push(...renderOp(op, state.schema, [...ops.slice(i + 1), ...following]));
      if (op.kind === "execute") continue;
      try {
        state.apply(op);
      } catch {
        // An op the schema as known does not fit (an index on a column it lacks) is the
        // server's to refuse; it is rendered as written and its effect left unknown.
      }
    }
    return out;
  };
}
