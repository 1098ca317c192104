/**
 * Replay must cost O(N) for N ops: the work done (tables deep-copied, tables visited by
 * whole-schema scans) is counted by ops/apply.ts, so these tests prove linearity without
 * timing anything. Before the working copy, every op cloned the whole schema: creating
 * N tables one op at a time cloned N·(N-1)/2 tables.
 */
import { describe, expect, it } from "vitest";
import { syntheticSchema, createTableOps, tableName } from "../src/bench/synthetic-schema.js";
import { getDialect } from "../src/dialects/index.js";
import { SchemaState, applyOps, applyWork, resetApplyWork, tableAfterOp } from "../src/ops/apply.js";
import type { Op } from "../src/ops/ops.js";
import { reverseOps } from "../src/ops/reverse.js";
import { emptySchema, findTable } from "../src/schema/ir.js";

const pg = getDialect("postgres");

/** Per-table ops a large first revision and its follow-ups contain, beyond createTable. */
function followUpOps(count: number): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < count; i++) {
    const table = tableName(i);
    ops.push({ kind: "addColumn", table, column: { name: "note", type: "text", nullable: true } });
    ops.push({ kind: "createIndex", table, index: { name: `IDX_${table}_note`, columns: ["note"], unique: false } });
    ops.push({
      kind: "alterColumn",
      table,
      column: "note",
      changes: { nullable: { from: true, to: false } },
    });
  }
  return ops;
}

function workFor(count: number): { ops: number; cloned: number; scanned: number } {
  const create = createTableOps(syntheticSchema(pg, count));
  const all = [...create, ...followUpOps(count)];
  resetApplyWork();
  const state = new SchemaState(emptySchema("postgres"));
  for (const op of all) {
    // What the runner does per op: the renderer looks the table up, then the op applies.
    if ("table" in op && typeof op.table === "string" && op.kind !== "createTable" && !findTable(state.schema, op.table)) {
      throw new Error(`table ${op.table} not found before ${op.kind}`);
    }
    state.apply(op);
  }
  for (const op of reverseOps(all)) state.apply(op);
  expect(state.schema.tables).toEqual([]);
  return { ops: all.length * 2, cloned: applyWork.clonedTables, scanned: applyWork.scannedTables };
}

describe("replay work grows linearly with the number of ops", () => {
  it("clones each table once per createTable/dropTable op and scans no table, at 50, 500 and 5,000 tables", () => {
    for (const count of [50, 500, 5000]) {
      const work = workFor(count);
      // createTable and its reverse dropTable each copy their own table, nothing else.
      expect(work.cloned).toBe(2 * count);
      expect(work.scanned).toBe(0);
    }
  });

  it("applyOps clones its input once, not once per op", () => {
    const full = applyOps(emptySchema("postgres"), createTableOps(syntheticSchema(pg, 300)));
    resetApplyWork();
    const after = applyOps(full, followUpOps(300));
    expect(after.tables).toHaveLength(300);
    // One clone of the 300-table input; the 900 ops copy no table.
    expect(applyWork.clonedTables).toBe(300);
  });

  it("tableAfterOp copies only the table the op names", () => {
    const full = applyOps(emptySchema("postgres"), createTableOps(syntheticSchema(pg, 200)));
    resetApplyWork();
    const after = tableAfterOp(full, {
      kind: "addColumn",
      table: tableName(7),
      column: { name: "extra", type: "integer", nullable: true },
    });
    expect(after?.columns.map((c) => c.name)).toContain("extra");
    expect(applyWork.clonedTables).toBe(1);
    // The input is untouched.
    expect(findTable(full, tableName(7))?.columns.map((c) => c.name)).not.toContain("extra");
  });

  it("keeps lookups right through renames and drops (the name index follows the tables)", () => {
    const state = new SchemaState(syntheticSchema(pg, 5));
    state.apply({ kind: "renameTable", from: tableName(2), to: "zz_renamed" });
    expect(findTable(state.schema, tableName(2))).toBeUndefined();
    expect(findTable(state.schema, "zz_renamed")?.name).toBe("zz_renamed");
    expect(state.schema.tables.map((t) => t.name)).toEqual([...[0, 1, 3, 4].map(tableName), "zz_renamed"]);
    // The FK of the next table follows the rename, as the database does.
    expect(findTable(state.schema, tableName(3))?.foreignKeys[0]?.referencedTable).toBe("zz_renamed");
    state.apply({ kind: "dropTable", table: findTable(state.schema, tableName(0))! });
    expect(findTable(state.schema, tableName(0))).toBeUndefined();
    expect(() => state.apply({ kind: "dropTable", table: findTable(state.schema, tableName(1))! })).not.toThrow();
    expect(() => state.apply({ kind: "addColumn", table: tableName(1), column: { name: "x", type: "integer", nullable: true } })).toThrow(
      /does not exist/,
    );
  });
});
