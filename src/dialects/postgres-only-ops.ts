/**
 * Ops only PostgreSQL has (extensions, exclusion constraints): every other dialect
 * refuses them the same way, naming the op and the database it was written for.
 */
import { UserError } from "../errors.js";
import type { Op } from "../ops/ops.js";

type PostgresOnlyOp = Extract<Op, { kind: "createExtension" | "dropExtension" | "createExclusion" | "dropExclusion" }>;

export function refusePostgresOnly(op: PostgresOnlyOp, database: string): never {
  if (op.kind === "createExtension" || op.kind === "dropExtension") {
    throw new UserError(`${op.kind}("${op.extension.name}"): ${database} has no extensions (this op is for PostgreSQL)`);
  }
  throw new UserError(
    `${op.kind} "${op.exclusion.name}" on ${op.table}: ${database} has no exclusion constraints (this op is for PostgreSQL)`,
  );
}
