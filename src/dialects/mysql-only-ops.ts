/**
 * Ops only MySQL has (a table's storage engine and collation): every other dialect
 * refuses them the same way, naming the op and the database it was written for.
 */
import { UserError } from "../errors.js";
import type { Op } from "../ops/ops.js";

export function refuseMysqlOnly(op: Extract<Op, { kind: "alterTable" }>, database: string): never {
  throw new UserError(`alterTable("${op.table}"): ${database} has no table engine or table collation (this op is for MySQL)`);
}
