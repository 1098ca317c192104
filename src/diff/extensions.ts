/**
 * Extensions: created when the models need one the database lacks, before anything that
 * uses its types or functions. Never dropped by autogenerate: an extension is a
 * database-wide resource that other schemas, other applications or the DBA may rely on,
 * and one the models stop needing does no harm. The only `dropExtension` a revision
 * holds is the reverse of a `createExtension` in the same revision, so a downgrade
 * removes exactly what its upgrade added and never an extension that existed before.
 */
import type { SchemaIR } from "../schema/ir.js";
import { planned, type PlannedOp } from "./plan.js";

export function createdExtensions(target: SchemaIR, current: SchemaIR): PlannedOp[] {
  const installed = new Set((current.extensions ?? []).map((e) => e.name));
  return (target.extensions ?? [])
    .filter((e) => !installed.has(e.name))
    .map((e) => planned("createExtension", { kind: "createExtension", extension: { name: e.name } }));
}
