/**
 * Enum types: created, dropped, or their value list altered. An enum whose name changed
 * is a drop plus a create (there is no enum rename op).
 */
import type { EnumIR, SchemaIR } from "../schema/ir.js";
import { quoteValues } from "./describe.js";
import { sameList } from "./equality.js";
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
      ops.push(planned("createEnum", { kind: "createEnum", enum: structuredClone(wanted) }));
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
    if (!sameList(existing.values, wanted.values)) ops.push(alterEnum(existing, wanted));
  }
  for (const old of current.enums) {
    if (targetByName.has(old.name)) continue;
    ops.push(planned("dropEnum", { kind: "dropEnum", enum: structuredClone(old) }));
  }
  return { ops, unattached };
}

function alterEnum(existing: EnumIR, wanted: EnumIR): PlannedOp {
  const removed = existing.values.filter((v) => !wanted.values.includes(v));
  const findings: OpFinding[] = removed.length
    ? [
        {
          kind: "destructive",
          message: `Removes ${quoteValues(removed)} from enum "${wanted.name}"; fails or loses data if rows still hold them.`,
        },
      ]
    : [];
  return planned(
    "alterEnum",
    { kind: "alterEnum", name: wanted.name, values: { from: [...existing.values], to: [...wanted.values] } },
    findings,
  );
}
