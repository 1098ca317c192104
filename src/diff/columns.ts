/**
 * Columns of a table that exists on both sides: added, dropped, or altered in place.
 * A column is never dropped and re-added because an attribute changed; that would lose
 * its data. Only a confirmed rename hint renames (see ./renames.ts); an unconfirmed
 * drop+add pair of the same type and nullability is reported as a rename candidate.
 */
import { cloneData } from "../schema/clone.js";
import type { ColumnChanges } from "../ops/ops.js";
import type { ColumnIR, ColumnTypeIR, TableIR } from "../schema/ir.js";
import { formatType, quoteValues } from "./describe.js";
import { deepEqual, TYPE_KEYS } from "../schema/compare.js";
import { planned, type OpFinding, type PlannedOp } from "./plan.js";
import type { DiffOptions } from "./types.js";

/** The type part of a column, with only the keys it sets. */
export function columnType(column: ColumnTypeIR): ColumnTypeIR {
  const out: Record<string, unknown> = {};
  for (const key of TYPE_KEYS) if (column[key] !== undefined) out[key] = cloneData(column[key]);
  return out as unknown as ColumnTypeIR;
}

export const sameType = (a: ColumnTypeIR, b: ColumnTypeIR): boolean => deepEqual(columnType(a), columnType(b));

export interface ColumnDiff {
  drops: PlannedOp[];
  adds: PlannedOp[];
  alters: PlannedOp[];
  /** Names of columns whose type is altered (their foreign keys must be rebuilt around it). */
  typeAltered: Set<string>;
  unattached: OpFinding[];
}

export function diffColumns(target: TableIR, current: TableIR, widens?: DiffOptions["widens"]): ColumnDiff {
  const table = target.name;
  const currentByName = new Map(current.columns.map((c) => [c.name, c]));
  const targetByName = new Map(target.columns.map((c) => [c.name, c]));
  const added = target.columns.filter((c) => !currentByName.has(c.name));
  const dropped = current.columns.filter((c) => !targetByName.has(c.name));

  const drops = dropped.map((column) =>
    planned("dropColumn", { kind: "dropColumn", table, column: cloneData(column) }, [
      {
        kind: "destructive",
        table,
        column: column.name,
        message: `Drops column ${table}.${column.name} and its data.`,
      },
      ...renameCandidates(table, column, added),
    ]),
  );
  const adds = added.map((column) => planned("addColumn", { kind: "addColumn", table, column: cloneData(column) }));

  const alters: PlannedOp[] = [];
  const typeAltered = new Set<string>();
  const unattached: OpFinding[] = [];
  for (const wanted of target.columns) {
    const existing = currentByName.get(wanted.name);
    if (!existing) continue;
    if (!deepEqual(existing.computed, wanted.computed)) unattached.push(computedUnsupported(table, existing, wanted));
    const changes = columnChanges(existing, wanted);
    if (Object.keys(changes).length === 0) continue;
    if (changes.type) typeAltered.add(wanted.name);
    alters.push(
      planned(
        "alterColumn",
        { kind: "alterColumn", table, column: wanted.name, changes },
        alterFindings(table, wanted.name, changes, widens),
      ),
    );
  }
  return { drops, adds, alters, typeAltered, unattached };
}

/** `null` stands for "absent" in a change, as `ColumnChanges` documents. */
function change<T>(from: T | undefined, to: T | undefined): { from: T | null; to: T | null } | undefined {
  return deepEqual(from, to) ? undefined : { from: from ?? null, to: to ?? null };
}

export function columnChanges(from: ColumnIR, to: ColumnIR): ColumnChanges {
  const changes: ColumnChanges = {};
  if (!sameType(from, to)) changes.type = { from: columnType(from), to: columnType(to) };
  if (from.nullable !== to.nullable) changes.nullable = { from: from.nullable, to: to.nullable };
  const def = change(from.default, to.default);
  if (def) changes.default = def;
  const generated = change(from.generated, to.generated);
  if (generated) changes.generated = generated;
  const identity = change(from.identity, to.identity);
  if (identity) changes.identity = identity;
  const comment = change(from.comment, to.comment);
  if (comment) changes.comment = comment;
  const collation = change(from.collation, to.collation);
  if (collation) changes.collation = collation;
  return changes;
}

/** Why a type change may not fit existing values, or undefined when it only widens (as far as the IR shows). */
export function narrowing(from: ColumnTypeIR, to: ColumnTypeIR, widens?: DiffOptions["widens"]): string | undefined {
  if (from.enumName !== to.enumName) return undefined;
  if (from.type !== to.type) {
    return widens?.(from, to) ? undefined : "a different base type";
  }
  const reasons: string[] = [];
  if (to.length !== undefined && (from.length === undefined || to.length < from.length)) reasons.push("shorter length");
  if (to.precision !== undefined && (from.precision === undefined || to.precision < from.precision)) {
    reasons.push("lower precision");
  }
  if (to.scale !== undefined && from.scale !== undefined && to.scale < from.scale) reasons.push("lower scale");
  const removed = (from.enumValues ?? []).filter((v) => to.enumValues !== undefined && !to.enumValues.includes(v));
  if (removed.length) reasons.push(`removes allowed values ${quoteValues(removed)}`);
  if (from.array && !to.array) reasons.push("no longer an array");
  return reasons.length ? reasons.join(", ") : undefined;
}

function alterFindings(table: string, column: string, changes: ColumnChanges, widens: DiffOptions["widens"]): OpFinding[] {
  const findings: OpFinding[] = [];
  if (changes.type) {
    const why = narrowing(changes.type.from, changes.type.to, widens);
    if (why) {
      findings.push({
        kind: "destructive",
        table,
        column,
        message:
          `${changes.type.from.type === changes.type.to.type ? "Narrows" : "Converts"} ${table}.${column} ` +
          `from ${formatType(changes.type.from)} to ${formatType(changes.type.to)} (${why}); ` +
          `values that do not fit make it fail or are lost.`,
      });
    }
  }
  if (changes.nullable && changes.nullable.from && !changes.nullable.to) {
    findings.push({
      kind: "destructive",
      table,
      column,
      message: `Makes ${table}.${column} NOT NULL; fails while rows hold NULL there (fill them first).`,
    });
  }
  return findings;
}

function renameCandidates(table: string, dropped: ColumnIR, added: ColumnIR[]): OpFinding[] {
  return added
    .filter((a) => sameType(a, dropped) && a.nullable === dropped.nullable)
    .map((a) => ({
      kind: "renameCandidate" as const,
      table,
      column: dropped.name,
      rename: { kind: "column" as const, table, from: dropped.name, to: a.name },
      hint: `--rename ${table}.${dropped.name}=${a.name}`,
      message:
        `Possible rename ${table}.${dropped.name} -> ${table}.${a.name} (same type and nullability).\n` +
        `Generated as drop + add, which loses the data. To rename instead, run again with\n` +
        `--rename ${table}.${dropped.name}=${a.name}`,
    }));
}

function computedUnsupported(table: string, from: ColumnIR, to: ColumnIR): OpFinding {
  const show = (c: ColumnIR) => (c.computed ? `AS (${c.computed.expression})${c.computed.stored ? " STORED" : ""}` : "not computed");
  return {
    kind: "unsupported",
    table,
    column: to.name,
    message:
      `Computed column ${table}.${to.name} changed from ${show(from)} to ${show(to)}; ` +
      `autogen has no operation for that, nothing was generated (write it with op.execute).`,
  };
}
