/**
 * PostgreSQL's own part of the diff: extensions.
 *
 * Created when the models need one the database lacks, before anything that uses its
 * types or functions. Never dropped by autogenerate: an extension is a database-wide
 * resource that other schemas, other applications or the DBA may rely on, and one the
 * models stop needing does no harm. The only `dropExtension` a revision holds is the
 * reverse of a `createExtension` in the same revision, so a downgrade removes exactly what
 * its upgrade added and never an extension that existed before.
 */
import { planned } from "../../diff/plan.js";
import type { DatabaseDiffPhases } from "../../diff/types.js";

export const postgresDiffPhases: DatabaseDiffPhases = {
  schemaObjects(target, current) {
    const installed = new Set((current.extensions ?? []).map((e) => e.name));
    return (target.extensions ?? [])
      .filter((e) => !installed.has(e.name))
      .map((e) => planned("databaseObjects", { kind: "createExtension", extension: { name: e.name } }));
  },
};
