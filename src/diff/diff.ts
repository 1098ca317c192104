/**
 * diffSchemas(target, current): the ops that turn `current` into `target`, and the
 * findings a reviewer must see next to them. Pure: no I/O, no dialect knowledge. Both
 * inputs are already normalised by the dialect, so everything is compared structurally.
 *
 * The differ works on a staged copy of `current`: confirmed renames and enum changes are
 * applied to it first (with the same `applyOps` the runner's state tracking uses), so the
 * per-table comparisons see names and enum values as they will be when their ops run.
 * Column order is not compared: ADD COLUMN always appends and no op can reorder.
 */
import { applyOps } from "../ops/apply.js";
import { compareNames } from "../schema/compare.js";
import type { Op } from "../ops/ops.js";
import type { SchemaIR, TableIR } from "../schema/ir.js";
import { diffColumns } from "./columns.js";
import { diffConstraints, type ConstraintDiffOptions } from "./constraints.js";
import { diffEnums } from "./enums.js";
import { foreignKeyRebuilds, type TableChangeSummary } from "./foreign-key-rebuilds.js";
import { assemble, type OpFinding, type PlannedOp } from "./plan.js";
import { columnRenameOps, tableRenameOps } from "./renames.js";
import { createdTables, droppedTables, unsupportedTableChanges } from "./tables.js";
import type { DiffOptions, DiffResult } from "./types.js";
import { diffViews } from "./views.js";

const opsOf = (plan: readonly PlannedOp[]): Op[] => plan.map((p) => p.op);

export function diffSchemas(target: SchemaIR, current: SchemaIR, options: DiffOptions = {}): DiffResult {
  const constraintOptions: ConstraintDiffOptions = {
    unnamedConstraintsDroppable: options.unnamedConstraintsDroppable ?? false,
  };
  const plan: PlannedOp[] = [];
  const unattached: OpFinding[] = [];

  const tableRenames = tableRenameOps(target, current, options.renames?.tables);
  let stage = applyOps(current, opsOf(tableRenames));
  const columnRenames = columnRenameOps(target, stage, options.renames?.columns);
  stage = applyOps(stage, opsOf(columnRenames));
  plan.push(...tableRenames, ...columnRenames);

  // Without named enum types, enum values live on the column and change with alterColumn.
  const enums = options.enumTypes === false ? { ops: [], unattached: [] } : diffEnums(target, stage);
  plan.push(...enums.ops);
  unattached.push(...enums.unattached);
  stage = applyOps(stage, opsOf(enums.ops.filter((p) => p.phase !== "dropEnum")));

  plan.push(...droppedTables(target, stage, constraintOptions));
  plan.push(...createdTables(target, stage));

  const summaries: TableChangeSummary[] = [];
  for (const [wanted, before] of survivingTables(target, stage)) {
    unattached.push(...unsupportedTableChanges(wanted, before));
    const tableOptions = options.phases?.tableOptions?.(wanted, before, stage.dialect) ?? { ops: [], after: before };
    plan.push(...tableOptions.ops);
    const existing = tableOptions.after;
    const columns = diffColumns(wanted, existing, options.widens);
    const constraints = diffConstraints(wanted, existing, constraintOptions);
    const own = options.phases?.tableConstraints?.(wanted, existing) ?? { drops: [], creates: [] };
    plan.push(
      ...constraints.drops,
      ...own.drops,
      ...columns.drops,
      ...columns.adds,
      ...columns.alters,
      ...constraints.creates,
      ...own.creates,
    );
    unattached.push(...columns.unattached);
    summaries.push({
      table: wanted.name,
      keptForeignKeys: constraints.keptForeignKeys,
      typeAltered: columns.typeAltered,
      droppedKeys: constraints.droppedKeys,
    });
  }
  plan.push(...foreignKeyRebuilds(summaries, constraintOptions));
  plan.push(...(options.phases?.schemaObjects?.(target, current) ?? []));
  const views = diffViews(target, current, plan);
  plan.push(...views.drops, ...views.creates);

  return assemble(plan, unattached);
}

/** [target, current] pairs of tables present on both sides, by name. */
function survivingTables(target: SchemaIR, current: SchemaIR): [TableIR, TableIR][] {
  const currentByName = new Map(current.tables.map((t) => [t.name, t]));
  return [...target.tables]
    .sort((a, b) => compareNames(a.name, b.name))
    .flatMap((t): [TableIR, TableIR][] => {
      const existing = currentByName.get(t.name);
      return existing ? [[t, existing]] : [];
    });
}
