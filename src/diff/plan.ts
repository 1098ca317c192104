/**
 * The differ's output order. Every module emits `PlannedOp`s tagged with the phase they
 * belong to; `assemble` lays the phases out in dependency order and turns the findings
 * attached to each op into `Finding`s whose `opIndex` points at it.
 *
 * Why this order (upgrade direction; the downgrade is its exact mirror, so it is safe too):
 * - database-wide objects first (a database's `schemaObjects` phase): their types and
 *   functions may be used by anything after;
 * - views that read a changing table are dropped before it changes and created again
 *   at the very end, when every table has its final shape (./views.ts);
 * - renames first, so everything after speaks the target's names;
 * - enum types are created/altered before any column uses them or their new values, and
 *   lose values only after the columns stopped using them (./enums.ts splits a change);
 * - foreign keys go before the tables, keys and columns they involve are dropped or altered;
 * - a table's own options (a database's `tableOptions` phase) change after its foreign keys
 *   are dropped (a storage option may not allow them) and before columns are added (they
 *   take the table's new defaults);
 * - dropped tables go before dropped keys/columns of surviving tables, because a dropped
 *   table's own foreign keys may depend on a key that is dropped next;
 * - new tables come after the surviving tables gained their new columns and keys, so their
 *   inline foreign keys find what they reference; foreign keys that close a cycle between
 *   new tables come after all tables; enums are dropped when nothing uses them any more.
 */
import { compareNames } from "../schema/compare.js";
import type { Op } from "../ops/ops.js";
import { definitionOf } from "../ops/registry.js";
import type { DiffResult, Finding } from "./types.js";

export const PHASES = [
  "databaseObjects",
  "dropView",
  "renameTable",
  "renameColumn",
  "createEnum",
  "alterEnum",
  "dropForeignKey",
  "dropTable",
  "dropConstraint",
  "dropColumn",
  "tableOptions",
  "addColumn",
  "alterColumn",
  "removeEnumValues",
  "createConstraint",
  "createTable",
  "createForeignKey",
  "createView",
  "dropEnum",
] as const;

export type Phase = (typeof PHASES)[number];

/** A finding before it knows where its op lands. */
export type OpFinding = Omit<Finding, "opIndex">;

export interface PlannedOp {
  phase: Phase;
  op: Op;
  findings: OpFinding[];
}

export const planned = (phase: Phase, op: Op, findings: OpFinding[] = []): PlannedOp => ({ phase, op, findings });

/** Phases whose order is foreign-key dependency order, not alphabetical. */
const DEPENDENCY_ORDERED: ReadonlySet<Phase> = new Set(["createTable", "dropTable", "createView", "dropView"]);

/** The table (or enum) an op is about: the sort key within a phase. */
function subject(op: Op): string {
  const definition = definitionOf(op);
  if (definition.sortKey) return definition.sortKey(op);
  const { table, name } = definition.subject(op);
  return table ?? name ?? "";
}

/**
 * Phases in order; within a phase, sorted by table name (stable, so a table's ops keep the
 * order their module emitted them in), except the dependency-ordered table phases.
 */
export function assemble(plan: readonly PlannedOp[], unattached: readonly OpFinding[]): DiffResult {
  const ordered = PHASES.flatMap((phase) => {
    const inPhase = plan.filter((p) => p.phase === phase);
    if (DEPENDENCY_ORDERED.has(phase)) return inPhase;
    return inPhase.sort((a, b) => compareNames(subject(a.op), subject(b.op)));
  });
  const findings: Finding[] = [];
  ordered.forEach((p, opIndex) => {
    for (const f of p.findings) findings.push({ ...f, opIndex });
  });
  findings.push(...unattached.map((f) => ({ ...f })));
  return { ops: ordered.map((p) => p.op), findings };
}
