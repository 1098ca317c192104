/**
 * Enum types: created, dropped, or their value list altered. An enum whose name changed
 * is a drop plus a create (there is no enum rename op).
 *
 * A change that removes values is split in two: the values it adds come first (phase
 * alterEnum, before the columns change), the removal last (phase removeEnumValues, after
 * them). Columns may move from a removed value to an added one (a default, typically);
 * in the upgrade the added value must exist before they move, in the downgrade the removed
 * value must be back before they move back. One op at either end satisfies one direction
 * only; the downgrade is the upgrade's mirror image, so the two halves satisfy both.
 */
import { cloneData } from "../schema/clone.js";
import type { EnumIR, SchemaIR } from "../schema/ir.js";
import { quoteValues } from "./describe.js";
import { sameList } from "../schema/compare.js";
import { planned, type OpFinding, type PlannedOp } from "./plan.js";

export interface EnumDiff {
  ops: PlannedOp[];
  unattached: OpFinding[];
}

export function diffEnums(target: SchemaIR, current: SchemaIR): EnumDiff {
  const ops: PlannedOp[] = [];
  const unattached: OpFinding[] = [];
  const currentByName = new Map(current.enums.map((e) => [e.name, e]));
  const targetByName = new Map(target.enums.map((e) => [e.name, e]));

  for (const wanted of target.enums) {
    const existing = currentByName.get(wanted.name);
    if (!existing) {
      ops.push(planned("createEnum", { kind: "createEnum", enum: cloneData(wanted) }));
      continue;
    }
    if (existing.schema !== wanted.schema) {
      unattached.push({
        kind: "unsupported",
        message:
          `Enum "${wanted.name}" moved from schema ${existing.schema ?? "(default)"} to ${wanted.schema ?? "(default)"}; ` +
          `autogen has no operation for that, nothing was generated.`,
      });
    }
    if (!sameList(existing.values, wanted.values)) ops.push(...alterEnum(existing, wanted));
  }
  for (const old of current.enums) {
    if (targetByName.has(old.name)) continue;
    ops.push(planned("dropEnum", { kind: "dropEnum", enum: cloneData(old) }));
  }
  return { ops, unattached };
}

function alterEnum(existing: EnumIR, wanted: EnumIR): PlannedOp[] {
  const change = (from: string[], to: string[]) => ({
    kind: "alterEnum" as const,
    name: wanted.name,
    values: { from: [...from], to: [...to] },
  });
  const removed = existing.values.filter((v) => !wanted.values.includes(v));
  if (removed.length === 0) return [planned("alterEnum", change(existing.values, wanted.values))];

  const ops: PlannedOp[] = [];
  let before = existing.values;
  const added = wanted.values.filter((v) => !existing.values.includes(v));
  if (added.length > 0) {
    const widened = [...existing.values, ...added];
    ops.push(planned("alterEnum", change(before, widened)));
    before = widened;
  }
  const finding: OpFinding = {
    kind: "destructive",
    message: `Removes ${quoteValues(removed)} from enum "${wanted.name}"; fails or loses data if rows still hold them.`,
  };
  ops.push(planned("removeEnumValues", change(before, wanted.values), [finding]));
  return ops;
}
