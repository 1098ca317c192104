/** Raw SQL: `execute`, reversible only when its author gave the SQL that undoes it. */
import type { OpKindDefinition } from "../kind.js";
import type { ExecuteOp } from "../ops.js";

/** Raw SQL without `reverse` SQL: nothing can undo it automatically. */
export class IrreversibleOpError extends Error {
  constructor(readonly op: ExecuteOp) {
    super(`Cannot reverse op.execute() without a reverse statement: ${op.sql.slice(0, 80)}`);
    this.name = "IrreversibleOpError";
  }
}

export const execute: OpKindDefinition<ExecuteOp> = {
  kind: "execute",
  method: "execute",
  reverse(op) {
    if (op.reverseSql === undefined) throw new IrreversibleOpError(op);
    const reversed: ExecuteOp = { kind: "execute", sql: op.reverseSql, reverseSql: op.sql };
    if (op.dialect !== undefined) reversed.dialect = op.dialect;
    return reversed;
  },
  apply() {
    // Raw SQL is opaque to the IR: whatever it does is the author's responsibility.
  },
  describe: (op) => `SQL to execute: ${op.sql.split("\n")[0]}`,
  subject: () => ({}),
  changesTable: false,
};
