/**
 * Keys, constraints and indexes of a table that exists on both sides. None of them can be
 * altered in place portably, so a change is a drop of the old one plus a create of the new.
 *
 * Matching: by name when both sides have one; otherwise by what it constrains (columns,
 * expression, reference). A pair matched by structure where one side has no name counts
 * as unchanged if everything else is equal, because some databases (SQLite) do not report
 * names that the models carry.
 */
import { cloneData } from "../schema/clone.js";
import type { CheckIR, ForeignKeyIR, IndexIR, PrimaryKeyIR, TableIR, UniqueIR } from "../schema/ir.js";
import { describeConstraint } from "./describe.js";
import { deepEqual } from "../schema/compare.js";
import { planned, type OpFinding, type PlannedOp } from "./plan.js";

interface Named {
  name?: string;
}

export interface Matching<T> {
  /** [current, target] pairs that are the same object (possibly changed). */
  pairs: [T, T][];
  removed: T[];
  added: T[];
}

export function matchConstraints<T extends Named>(current: T[], target: T[], structure: (item: T) => string): Matching<T> {
  const pairs: [T, T][] = [];
  const freeTarget = [...target];
  const take = (predicate: (t: T) => boolean): T | undefined => {
    const at = freeTarget.findIndex(predicate);
    return at === -1 ? undefined : freeTarget.splice(at, 1)[0];
  };
  const unmatched: T[] = [];
  for (const c of current) {
    const byName = c.name !== undefined ? take((t) => t.name === c.name) : undefined;
    if (byName) pairs.push([c, byName]);
    else unmatched.push(c);
  }
  const removed: T[] = [];
  for (const c of unmatched) {
    const key = structure(c);
    const byStructure = take((t) => (t.name === undefined || c.name === undefined) && structure(t) === key);
    if (byStructure) pairs.push([c, byStructure]);
    else removed.push(c);
  }
  return { pairs, removed, added: freeTarget };
}

/** Equal, except that a name only one side knows does not count. */
export function sameConstraint<T extends Named>(a: T, b: T): boolean {
  if (a.name === undefined || b.name === undefined) {
    const { name: _a, ...restA } = a;
    const { name: _b, ...restB } = b;
    return deepEqual(restA, restB);
  }
  return deepEqual(a, b);
}

export const foreignKeyStructure = (fk: ForeignKeyIR): string =>
  JSON.stringify([fk.columns, fk.referencedSchema ?? null, fk.referencedTable, fk.referencedColumns]);
const uniqueStructure = (u: UniqueIR): string => JSON.stringify(u.columns);
const checkStructure = (c: CheckIR): string => c.expression;
const indexStructure = (i: IndexIR): string => JSON.stringify([i.columns, i.unique, i.where ?? null, i.method ?? null]);

export interface ConstraintDiffOptions {
  /** The dialect can drop constraints without a name; no `unnamedConstraint` findings. */
  unnamedConstraintsDroppable: boolean;
}

export interface ConstraintDiff {
  drops: PlannedOp[];
  creates: PlannedOp[];
  /** Foreign keys that stay as they are: [current, target] (they may still need a rebuild). */
  keptForeignKeys: [ForeignKeyIR, ForeignKeyIR][];
  /** Columns of dropped primary keys, unique constraints and unique indexes: what a foreign key may reference. */
  droppedKeys: string[][];
}

export function unnamedDropFinding(
  kind: string,
  table: string,
  item: Named & { columns?: string[]; expression?: string },
  options: ConstraintDiffOptions,
): OpFinding[] {
  if (item.name !== undefined || options.unnamedConstraintsDroppable) return [];
  return [
    {
      kind: "unnamedConstraint",
      table,
      message:
        `Drops an ${describeConstraint(kind, table, item)}; ` +
        `a database that drops constraints by name cannot run this without the name.`,
    },
  ];
}

export function diffConstraints(target: TableIR, current: TableIR, options: ConstraintDiffOptions): ConstraintDiff {
  const table = target.name;
  const drops: PlannedOp[] = [];
  const creates: PlannedOp[] = [];
  const droppedKeys: string[][] = [];

  const fks = matchConstraints(current.foreignKeys, target.foreignKeys, foreignKeyStructure);
  const keptForeignKeys: [ForeignKeyIR, ForeignKeyIR][] = [];
  const droppedFks = [...fks.removed];
  const createdFks = [...fks.added];
  for (const [c, t] of fks.pairs) {
    if (sameConstraint(c, t)) keptForeignKeys.push([c, t]);
    else {
      droppedFks.push(c);
      createdFks.push(t);
    }
  }
  for (const fk of sortByName(droppedFks)) {
    drops.push(
      planned(
        "dropForeignKey",
        { kind: "dropForeignKey", table, foreignKey: cloneData(fk) },
        unnamedDropFinding("foreign key", table, fk, options),
      ),
    );
  }
  for (const fk of sortByName(createdFks)) {
    creates.push(planned("createForeignKey", { kind: "createForeignKey", table, foreignKey: cloneData(fk) }));
  }

  const indexes = changed(matchConstraints(current.indexes, target.indexes, indexStructure));
  const uniques = changed(matchConstraints(current.uniques, target.uniques, uniqueStructure));
  const checks = changed(matchConstraints(current.checks, target.checks, checkStructure));
  const primaryKey = changedPrimaryKey(current.primaryKey, target.primaryKey);

  for (const index of indexes.dropped) {
    if (index.unique && index.where === undefined) droppedKeys.push(index.columns);
    drops.push(planned("dropConstraint", { kind: "dropIndex", table, index: cloneData(index) }));
  }
  for (const unique of uniques.dropped) {
    droppedKeys.push(unique.columns);
    drops.push(
      planned(
        "dropConstraint",
        { kind: "dropUnique", table, unique: cloneData(unique) },
        unnamedDropFinding("unique constraint", table, unique, options),
      ),
    );
  }
  for (const check of checks.dropped) {
    drops.push(
      planned(
        "dropConstraint",
        { kind: "dropCheck", table, check: cloneData(check) },
        unnamedDropFinding("check constraint", table, check, options),
      ),
    );
  }
  if (primaryKey.dropped) {
    droppedKeys.push(primaryKey.dropped.columns);
    drops.push(
      planned(
        "dropConstraint",
        { kind: "dropPrimaryKey", table, primaryKey: cloneData(primaryKey.dropped) },
        unnamedDropFinding("primary key", table, primaryKey.dropped, options),
      ),
    );
  }

  if (primaryKey.created) {
    creates.push(planned("createConstraint", { kind: "createPrimaryKey", table, primaryKey: cloneData(primaryKey.created) }));
  }
  for (const unique of uniques.created) {
    creates.push(planned("createConstraint", { kind: "createUnique", table, unique: cloneData(unique) }));
  }
  for (const check of checks.created) {
    creates.push(planned("createConstraint", { kind: "createCheck", table, check: cloneData(check) }));
  }
  for (const index of indexes.created) {
    creates.push(planned("createConstraint", { kind: "createIndex", table, index: cloneData(index) }));
  }
  return { drops, creates, keptForeignKeys, droppedKeys };
}

function sortByName<T extends Named>(items: T[]): T[] {
  return [...items].sort((a, b) => {
    const x = a.name ?? "";
    const y = b.name ?? "";
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** A matching as what to drop and what to create: pairs that differ are both. */
export function changed<T extends Named>(m: Matching<T>): { dropped: T[]; created: T[] } {
  const dropped = [...m.removed];
  const created = [...m.added];
  for (const [c, t] of m.pairs) {
    if (sameConstraint(c, t)) continue;
    dropped.push(c);
    created.push(t);
  }
  return { dropped: sortByName(dropped), created: sortByName(created) };
}

function changedPrimaryKey(
  current: PrimaryKeyIR | undefined,
  target: PrimaryKeyIR | undefined,
): { dropped?: PrimaryKeyIR; created?: PrimaryKeyIR } {
  if (current && target && sameConstraint(current, target)) return {};
  return { ...(current ? { dropped: current } : {}), ...(target ? { created: target } : {}) };
}
