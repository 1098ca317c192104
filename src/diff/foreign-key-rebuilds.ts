/**
 * Foreign keys that stay the same but must be dropped and re-created around other
 * changes: the type of one of their columns (or of a referenced column) is altered, or
 * the primary key / unique constraint / unique index they reference is replaced.
 * Databases refuse (or silently re-check) these changes while the foreign key exists.
 */
import { cloneData } from "../schema/clone.js";
import type { ForeignKeyIR } from "../schema/ir.js";
import { unnamedDropFinding, type ConstraintDiffOptions } from "./constraints.js";
import { sameSet } from "../schema/compare.js";
import { planned, type PlannedOp } from "./plan.js";

export interface TableChangeSummary {
  table: string;
  keptForeignKeys: [ForeignKeyIR, ForeignKeyIR][];
  typeAltered: Set<string>;
  droppedKeys: string[][];
}

export function foreignKeyRebuilds(tables: readonly TableChangeSummary[], options: ConstraintDiffOptions): PlannedOp[] {
  const byName = new Map(tables.map((t) => [t.table, t]));
  const ops: PlannedOp[] = [];
  for (const summary of tables) {
    for (const [current, target] of summary.keptForeignKeys) {
      const referenced = byName.get(current.referencedTable);
      const mustRebuild =
        current.columns.some((c) => summary.typeAltered.has(c)) ||
        (referenced !== undefined &&
          (current.referencedColumns.some((c) => referenced.typeAltered.has(c)) ||
            referenced.droppedKeys.some((key) => sameSet(key, current.referencedColumns))));
      if (!mustRebuild) continue;
      ops.push(
        planned(
          "dropForeignKey",
          { kind: "dropForeignKey", table: summary.table, foreignKey: cloneData(current) },
          unnamedDropFinding("foreign key", summary.table, current, options),
        ),
        planned("createForeignKey", {
          kind: "createForeignKey",
          table: summary.table,
          foreignKey: cloneData(target),
        }),
      );
    }
  }
  return ops;
}
