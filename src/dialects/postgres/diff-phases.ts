/**
 * PostgreSQL's own part of the diff: extensions and exclusion constraints.
 *
 * Extensions:
 * Created when the models need one the database lacks, before anything that uses its
 * types or functions. Never dropped by autogenerate: an extension is a database-wide
 * resource that other schemas, other applications or the DBA may rely on, and one the
 * models stop needing does no harm. The only `dropExtension` a revision holds is the
 * reverse of a `createExtension` in the same revision, so a downgrade removes exactly what
 * its upgrade added and never an extension that existed before.
 */
import { changed, matchConstraints } from "../../diff/constraints.js";
import { planned } from "../../diff/plan.js";
import type { DatabaseDiffPhases } from "../../diff/types.js";

export const postgresDiffPhases: DatabaseDiffPhases = {
  schemaObjects(target, current) {
    const installed = new Set((current.extensions ?? []).map((e) => e.name));
    return (target.extensions ?? [])
      .filter((e) => !installed.has(e.name))
      .map((e) => planned("databaseObjects", { kind: "createExtension", extension: { name: e.name } }));
  },
  /** Exclusion constraints match by expression; a changed one is dropped and created again. */
  tableConstraints(target, current) {
    const table = current.name;
    const exclusions = changed(matchConstraints(current.exclusions ?? [], target.exclusions ?? [], (e) => e.expression));
    return {
      drops: exclusions.dropped.map((x) => planned("dropConstraint", { kind: "dropExclusion", table, exclusion: structuredClone(x) })),
      creates: exclusions.created.map((x) =>
        planned("createConstraint", { kind: "createExclusion", table, exclusion: structuredClone(x) }),
      ),
    };
  },
};
