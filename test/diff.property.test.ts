/**
 * Property test of the differ against the op model (`applyOps`):
 * for many generated (current, target) pairs,
 *  - applying diff(target, current) to current gives target,
 *  - applying the reversed ops to target gives current,
 *  - both op sequences are well ordered: nothing is dropped or retyped while a foreign key,
 *    key or index still depends on it, and nothing is created before what it references,
 *  - diffing target against the migrated schema gives no ops (a second run is silent).
 * "Gives" is modulo column order (ADD COLUMN appends; no op can reorder columns).
 * The pairs come from a seeded generator, so a failure names a reproducible seed.
 */
import { describe, expect, it } from "vitest";
import { diffSchemas } from "../src/diff/diff.js";
import type { RenameHints } from "../src/diff/types.js";
import { applyOp } from "../src/ops/apply.js";
import { compareNames } from "../src/schema/compare.js";
import type { Op } from "../src/ops/ops.js";
import { reverseOps } from "../src/ops/reverse.js";
import type { ColumnIR, ColumnTypeIR, EnumIR, ForeignKeyIR, ReferentialAction, SchemaIR, TableIR } from "../src/schema/ir.js";

// ---- seeded randomness -----------------------------------------------------------------

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed * 2654435761 + 1;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  subset<T>(items: readonly T[], p: number): T[] {
    return items.filter(() => this.chance(p));
  }
}

// ---- generator -------------------------------------------------------------------------

const TABLES = ["alpha", "beta", "gamma", "delta", "epsilon"];
const COLUMNS = ["c1", "c2", "c3", "c4", "c5"];
const ENUMS = ["mood", "state"];
const VALUES = ["v1", "v2", "v3", "v4"];
const ACTIONS: ReferentialAction[] = ["NO ACTION", "CASCADE", "SET NULL"];

const sortByName = <T extends { name?: string }>(xs: T[]) => xs.sort((a, b) => compareNames(a.name, b.name));

function randomType(rng: Rng, enums: EnumIR[]): ColumnTypeIR {
  const kind = rng.int(enums.length ? 8 : 7);
  switch (kind) {
    case 0:
      return { type: "integer" };
    case 1:
      return { type: "bigint" };
    case 2:
      return { type: "text" };
    case 3:
      return { type: "character varying", length: rng.pick([10, 50, 255]) };
    case 4:
      return { type: "numeric", precision: rng.pick([8, 12]), scale: rng.pick([2, 4]) };
    case 5:
      return { type: "text", array: true };
    case 6:
      return { type: "text", enumValues: rng.subset(VALUES, 0.6).concat("v0") };
    default: {
      const e = rng.pick(enums);
      return { type: "enum", enumName: e.name, enumValues: [...e.values] };
    }
  }
}

function randomColumn(rng: Rng, name: string, enums: EnumIR[]): ColumnIR {
  const column: ColumnIR = { name, ...randomType(rng, enums), nullable: rng.chance(0.5) };
  if (rng.chance(0.3)) column.default = rng.pick(["0", "'x'", "now()"]);
  if (rng.chance(0.2)) column.comment = rng.pick(["note", "other note"]);
  if (rng.chance(0.1)) column.collation = "C";
  return column;
}

/**
 * Whether the pair being generated names its unique, check and foreign-key constraints.
 * Decided once per pair, as a database decides it for all its constraints: a constraint
 * named on one side and unnamed on the other counts as unchanged (by design), which no op
 * could reproduce, so the generator must not mix the two.
 */
let namedConstraints = true;

function maybeName(name: string): string | undefined {
  return namedConstraints ? name : undefined;
}

/** Indexes, uniques and checks on the table's non-key columns. */
function randomExtras(rng: Rng, table: TableIR): void {
  const plain = table.columns.filter((c) => c.name !== "id" && !c.name.endsWith("_id")).map((c) => c.name);
  table.indexes = [];
  table.uniques = [];
  table.checks = [];
  for (const [i, column] of plain.entries()) {
    if (rng.chance(0.3)) {
      table.indexes.push({
        name: `IDX_${table.name}_${i}`,
        columns: rng.chance(0.3) && plain.length > 1 ? [column, plain[(i + 1) % plain.length]!] : [column],
        unique: rng.chance(0.3),
        ...(rng.chance(0.2) ? { where: `${column} IS NOT NULL` } : {}),
        ...(rng.chance(0.2) ? { method: "hash" } : {}),
      });
    }
    if (rng.chance(0.2)) {
      const name = maybeName(`UQ_${table.name}_${column}`);
      table.uniques.push({ ...(name ? { name } : {}), columns: [column] });
    }
    if (rng.chance(0.15)) {
      const name = maybeName(`CHK_${table.name}_${column}`);
      table.checks.push({ ...(name ? { name } : {}), expression: `${column} <> ${i}` });
    }
  }
  sortByName(table.indexes);
  sortByName(table.uniques);
  sortByName(table.checks);
}

function foreignKey(rng: Rng, table: string, referenced: string): ForeignKeyIR {
  const name = maybeName(`FK_${table}_${referenced}`);
  return {
    ...(name ? { name } : {}),
    columns: [`${referenced}_id`],
    referencedTable: referenced,
    referencedColumns: ["id"],
    onDelete: rng.pick(ACTIONS),
    onUpdate: "NO ACTION",
  };
}

/** Foreign keys to any of `names` (self and cycles included), each with its own column. */
function randomForeignKeys(rng: Rng, table: TableIR, names: string[], p = 0.25): void {
  for (const referenced of names) {
    if (!rng.chance(p) || table.columns.some((c) => c.name === `${referenced}_id`)) continue;
    table.columns.push({ name: `${referenced}_id`, type: "integer", nullable: true });
    table.foreignKeys.push(foreignKey(rng, table.name, referenced));
  }
  sortByName(table.foreignKeys);
}

function randomTable(rng: Rng, name: string, enums: EnumIR[]): TableIR {
  const columns: ColumnIR[] = [
    { name: "id", type: "integer", nullable: false, ...(rng.chance(0.5) ? { generated: "increment" as const } : {}) },
  ];
  for (const c of rng.subset(COLUMNS, 0.5)) columns.push(randomColumn(rng, c, enums));
  const table: TableIR = {
    name,
    columns,
    primaryKey: { name: `PK_${name}`, columns: ["id"] },
    foreignKeys: [],
    uniques: [],
    indexes: [],
    checks: [],
  };
  randomExtras(rng, table);
  return table;
}

function randomSchema(rng: Rng): SchemaIR {
  namedConstraints = rng.chance(0.7);
  const enums = sortByName(rng.subset(ENUMS, 0.5).map((name) => ({ name, values: rng.subset(VALUES, 0.6).concat("v0") })));
  const tables = rng.subset(TABLES, 0.6).map((name) => randomTable(rng, name, enums));
  const names = tables.map((t) => t.name);
  for (const t of tables) randomForeignKeys(rng, t, names);
  return { dialect: "postgres", tables: sortByName(tables), enums };
}

// ---- mutation: a plausible target for a current schema ----------------------------------

function renameEverywhere(schema: SchemaIR, from: string, to: string): void {
  for (const t of schema.tables) {
    for (const fk of t.foreignKeys) if (fk.referencedTable === from) fk.referencedTable = to;
  }
  schema.tables.find((t) => t.name === from)!.name = to;
  sortByName(schema.tables);
}

function renameColumnEverywhere(schema: SchemaIR, table: TableIR, from: string, to: string): void {
  const r = (xs: string[]) => xs.map((x) => (x === from ? to : x));
  table.columns.find((c) => c.name === from)!.name = to;
  if (table.primaryKey) table.primaryKey.columns = r(table.primaryKey.columns);
  for (const i of table.indexes) i.columns = r(i.columns);
  for (const u of table.uniques) u.columns = r(u.columns);
  for (const fk of table.foreignKeys) fk.columns = r(fk.columns);
  for (const t of schema.tables) {
    for (const fk of t.foreignKeys) if (fk.referencedTable === table.name) fk.referencedColumns = r(fk.referencedColumns);
  }
}

function dropColumnEverywhere(table: TableIR, name: string): void {
  table.columns = table.columns.filter((c) => c.name !== name);
  table.indexes = table.indexes.filter((i) => !i.columns.includes(name));
  table.uniques = table.uniques.filter((u) => !u.columns.includes(name));
  table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(name));
}

function alterColumn(rng: Rng, column: ColumnIR, enums: EnumIR[]): void {
  switch (rng.int(6)) {
    case 0: {
      for (const key of ["type", "length", "precision", "scale", "array", "enumName", "enumValues"] as const) delete column[key];
      Object.assign(column, randomType(rng, enums));
      return;
    }
    case 1:
      if (column.length !== undefined) column.length = rng.pick([5, 20, 500]);
      else if (column.precision !== undefined) column.precision = rng.pick([6, 16]);
      else column.nullable = !column.nullable;
      return;
    case 2:
      column.nullable = !column.nullable;
      return;
    case 3:
      if (column.default === undefined) column.default = "'changed'";
      else delete column.default;
      return;
    case 4:
      if (column.comment === undefined) column.comment = "added";
      else delete column.comment;
      return;
    default:
      if (column.collation === undefined) column.collation = "POSIX";
      else delete column.collation;
  }
}

function mutate(rng: Rng, current: SchemaIR): { target: SchemaIR; renames: RenameHints } {
  const target = structuredClone(current);
  const renames: RenameHints = { tables: {}, columns: {} };
  const currentNames = new Set(current.tables.map((t) => t.name));
  /** Tables renamed without a hint: for the differ they are new, so no column hints there. */
  const unhinted = new Set<string>();

  // Enums: values added/removed (columns follow), a new enum, an unused one dropped.
  for (const e of target.enums) {
    if (!rng.chance(0.4)) continue;
    e.values = rng.chance(0.5) ? [...e.values, "v9"] : e.values.slice(1).concat(e.values.length === 1 ? ["v8"] : []);
    for (const t of target.tables) for (const c of t.columns) if (c.enumName === e.name) c.enumValues = [...e.values];
  }
  for (const name of ENUMS) {
    const existing = target.enums.find((e) => e.name === name);
    if (!existing && rng.chance(0.3)) target.enums.push({ name, values: ["v1", "v2"] });
    else if (existing && rng.chance(0.2)) {
      target.enums = target.enums.filter((e) => e !== existing);
      for (const t of target.tables) {
        for (const c of t.columns) {
          if (c.enumName !== name) continue;
          delete c.enumName;
          delete c.enumValues;
          c.type = "text";
        }
      }
    }
  }
  sortByName(target.enums);

  // Whole tables: drop, rename (hinted or not), add.
  for (const t of [...target.tables]) {
    if (rng.chance(0.12)) {
      target.tables = target.tables.filter((x) => x !== t);
      for (const other of target.tables) {
        for (const fk of other.foreignKeys.filter((fk) => fk.referencedTable === t.name)) dropColumnEverywhere(other, fk.columns[0]!);
      }
      // eslint-disable-next-line no-dupe-else-if -- a fresh random draw, not the same condition
    } else if (rng.chance(0.12)) {
      const to = `${t.name}_renamed`;
      if (rng.chance(0.6)) renames.tables![t.name] = to;
      else unhinted.add(to);
      renameEverywhere(target, t.name, to);
    }
  }
  const created: TableIR[] = [];
  for (const name of TABLES) {
    if (currentNames.has(name) || target.tables.some((t) => t.name === name) || !rng.chance(0.3)) continue;
    created.push(randomTable(rng, name, target.enums));
  }
  target.tables.push(...created);
  sortByName(target.tables);
  const allNames = target.tables.map((t) => t.name);
  for (const t of created) randomForeignKeys(rng, t, allNames, 0.5);

  // Surviving tables: columns and constraints.
  for (const t of target.tables) {
    if (created.includes(t)) continue;
    const plain = () => t.columns.filter((c) => c.name !== "id" && !c.name.endsWith("_id"));
    for (const c of plain()) {
      const roll = rng.next();
      if (roll < 0.12) dropColumnEverywhere(t, c.name);
      else if (roll < 0.22) {
        const to = `${c.name}_renamed`;
        if (!unhinted.has(t.name) && rng.chance(0.7)) renames.columns![`${t.name}.${c.name}`] = to;
        renameColumnEverywhere(target, t, c.name, to);
      } else if (roll < 0.45) alterColumn(rng, c, target.enums);
    }
    for (const name of COLUMNS) {
      if (!t.columns.some((c) => c.name === name) && rng.chance(0.15)) t.columns.push(randomColumn(rng, `${name}_new`, target.enums));
    }
    if (rng.chance(0.1)) t.columns[0] = { ...t.columns[0]!, type: "bigint" };
    if (rng.chance(0.1)) t.primaryKey = { name: `PK_${t.name}_v2`, columns: ["id"] };
    for (const fk of t.foreignKeys) if (rng.chance(0.15)) fk.onDelete = fk.onDelete === "CASCADE" ? "NO ACTION" : "CASCADE";
    if (rng.chance(0.15)) randomForeignKeys(rng, t, allNames);
    if (rng.chance(0.3)) randomExtras(rng, t);
  }
  return { target, renames };
}

// ---- checks ----------------------------------------------------------------------------

/** Column order aside, and unnamed items in a stable order: what the differ promises. */
function canonical(s: SchemaIR): SchemaIR {
  const key = (x: { name?: string }) => (x.name ?? "") + "\0" + JSON.stringify(x);
  const sort = <T extends { name?: string }>(xs: T[]) => [...xs].sort((a, b) => compareNames(key(a), key(b)));
  return {
    ...s,
    enums: sort(s.enums),
    tables: sort(s.tables).map((t) => ({
      ...t,
      columns: sort(t.columns),
      foreignKeys: sort(t.foreignKeys),
      uniques: sort(t.uniques),
      indexes: sort(t.indexes),
      checks: sort(t.checks),
    })),
  };
}

const sameSet = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();

function allForeignKeys(s: SchemaIR): { table: string; fk: ForeignKeyIR }[] {
  return s.tables.flatMap((t) => t.foreignKeys.map((fk) => ({ table: t.name, fk })));
}

function checkReferences(s: SchemaIR, table: string, fks: ForeignKeyIR[], columns: ColumnIR[]): string | undefined {
  for (const fk of fks) {
    const creating = fk.referencedTable === table && columns.length > 0;
    const referenced = creating ? { columns } : s.tables.find((t) => t.name === fk.referencedTable);
    if (!referenced) return `${table}: foreign key to missing table ${fk.referencedTable}`;
    for (const c of fk.referencedColumns) {
      if (!referenced.columns.some((x) => x.name === c)) return `${table}: foreign key to missing ${fk.referencedTable}.${c}`;
    }
  }
  for (const c of columns) {
    if (c.enumName && !s.enums.some((e) => e.name === c.enumName)) return `${table}.${c.name}: enum ${c.enumName} missing`;
  }
  return undefined;
}

/** Why `op` cannot run on `s` in a real database, or undefined when it can. */
function orderingProblem(s: SchemaIR, op: Op): string | undefined {
  const fks = allForeignKeys(s);
  switch (op.kind) {
    case "dropTable": {
      const user = fks.find(({ table, fk }) => table !== op.table.name && fk.referencedTable === op.table.name);
      return user ? `dropTable ${op.table.name} while ${user.table} references it` : undefined;
    }
    case "dropColumn": {
      const t = s.tables.find((x) => x.name === op.table)!;
      const uses = (xs: { columns: string[] }[]) => xs.some((x) => x.columns.includes(op.column.name));
      if (uses([...(t.primaryKey ? [t.primaryKey] : []), ...t.indexes, ...t.uniques, ...t.foreignKeys])) {
        return `dropColumn ${op.table}.${op.column.name} while a key or index uses it`;
      }
      const ref = fks.find(({ fk }) => fk.referencedTable === op.table && fk.referencedColumns.includes(op.column.name));
      return ref ? `dropColumn ${op.table}.${op.column.name} while ${ref.table} references it` : undefined;
    }
    case "alterColumn": {
      if (op.changes.type?.to.enumName && !s.enums.some((e) => e.name === op.changes.type!.to.enumName)) {
        return `alterColumn ${op.table}.${op.column} to missing enum`;
      }
      if (!op.changes.type) return undefined;
      const involved = fks.find(
        ({ table, fk }) =>
          (table === op.table && fk.columns.includes(op.column)) ||
          (fk.referencedTable === op.table && fk.referencedColumns.includes(op.column)),
      );
      return involved ? `type of ${op.table}.${op.column} altered while a foreign key of ${involved.table} involves it` : undefined;
    }
    case "dropPrimaryKey":
    case "dropUnique":
    case "dropIndex": {
      const columns =
        op.kind === "dropPrimaryKey" ? op.primaryKey.columns : op.kind === "dropUnique" ? op.unique.columns : op.index.columns;
      if (op.kind === "dropIndex" && !op.index.unique) return undefined;
      const ref = fks.find(({ fk }) => fk.referencedTable === op.table && sameSet(fk.referencedColumns, columns));
      return ref ? `${op.kind} on ${op.table} while ${ref.table} references those columns` : undefined;
    }
    case "dropEnum": {
      const user = s.tables.flatMap((t) => t.columns).find((c) => c.enumName === op.enum.name);
      return user ? `dropEnum ${op.enum.name} while column ${user.name} uses it` : undefined;
    }
    case "createTable":
      return checkReferences(s, op.table.name, op.table.foreignKeys, op.table.columns);
    case "createForeignKey":
      return checkReferences(s, op.table, [op.foreignKey], []);
    case "addColumn":
      return checkReferences(s, op.table, [], [op.column]);
    default:
      return undefined;
  }
}

function runChecked(start: SchemaIR, ops: Op[]): SchemaIR {
  let s = start;
  for (const [i, op] of ops.entries()) {
    const problem = orderingProblem(s, op);
    if (problem) throw new Error(`op #${i} (${op.kind}) is out of order: ${problem}`);
    s = applyOp(s, op);
  }
  return s;
}

// ---- the property ----------------------------------------------------------------------

const SEEDS = Array.from({ length: Number(process.env.DIFF_SEEDS ?? 400) }, (_, i) => i + 1);

describe("diffSchemas property: ops move current to target, and back", () => {
  it("generates varied pairs (guards against a generator that tests nothing)", () => {
    const kinds = new Set<string>();
    const findingKinds = new Set<string>();
    let findings = 0;
    let cycles = 0;
    let rebuilds = 0;
    for (const seed of SEEDS) {
      const rng = new Rng(seed);
      const current = randomSchema(rng);
      const { target, renames } = mutate(rng, current);
      const result = diffSchemas(target, current, { renames });
      for (const op of result.ops) kinds.add(op.kind);
      findings += result.findings.length;
      for (const f of result.findings) findingKinds.add(f.kind);
      const createdHere = new Set(result.ops.flatMap((op) => (op.kind === "createTable" ? [op.table.name] : [])));
      if (result.ops.some((op) => op.kind === "createForeignKey" && createdHere.has(op.table))) cycles++;
      const dropped = result.ops.flatMap((op) => (op.kind === "dropForeignKey" ? [JSON.stringify(op.foreignKey)] : []));
      if (result.ops.some((op) => op.kind === "createForeignKey" && dropped.includes(JSON.stringify(op.foreignKey)))) rebuilds++;
    }
    const expected = [
      "createTable",
      "dropTable",
      "renameTable",
      "addColumn",
      "dropColumn",
      "renameColumn",
      "alterColumn",
      "createPrimaryKey",
      "dropPrimaryKey",
      "createIndex",
      "dropIndex",
      "createForeignKey",
      "dropForeignKey",
      "createUnique",
      "dropUnique",
      "createCheck",
      "dropCheck",
      "createEnum",
      "dropEnum",
      "alterEnum",
    ];
    expect([...kinds].sort()).toEqual(expected.sort());
    expect(findings).toBeGreaterThan(100);
    expect([...findingKinds].sort()).toEqual(["destructive", "renameCandidate", "unnamedConstraint"]);
    expect(cycles, "foreign keys closing a cycle between new tables").toBeGreaterThan(5);
    expect(rebuilds, "unchanged foreign keys rebuilt around a type or key change").toBeGreaterThan(5);
  });

  it.each(SEEDS)("seed %i", (seed) => {
    const rng = new Rng(seed);
    const current = randomSchema(rng);
    const { target, renames } = mutate(rng, current);
    const { ops } = diffSchemas(target, current, { renames });

    const migrated = runChecked(current, ops);
    expect(canonical(migrated)).toEqual(canonical(target));
    expect(diffSchemas(target, migrated).ops).toEqual([]);

    const restored = runChecked(target, reverseOps(ops));
    expect(canonical(restored)).toEqual(canonical(current));
    expect(diffSchemas(current, restored).ops).toEqual([]);
  });
});
