/**
 * Tables that exist on one side only: created in dependency order, dropped in the reverse
 * order, each carrying its full definition (so the drop can be reversed). A dropped and
 * a created table with identical columns are reported as a rename candidate; only a
 * confirmed hint renames a table (./renames.ts).
 */
import { cloneData } from "../schema/clone.js";
import type { SchemaIR, TableIR } from "../schema/ir.js";
import { sameType } from "./columns.js";
import { unnamedDropFinding, type ConstraintDiffOptions } from "./constraints.js";
import { creationOrder, forwardForeignKeys } from "./dependencies.js";
import { planned, type OpFinding, type PlannedOp } from "./plan.js";

export function createdTables(target: SchemaIR, current: SchemaIR): PlannedOp[] {
  const existing = new Set(current.tables.map((t) => t.name));
  const order = creationOrder(target.tables.filter((t) => !existing.has(t.name)));
  const split = forwardForeignKeys(order);
  const ops: PlannedOp[] = [];
  for (const table of order) {
    const { inline, forward } = split.get(table.name)!;
    ops.push(
      planned("createTable", {
        kind: "createTable",
        table: { ...cloneData(table), foreignKeys: cloneData(inline) },
      }),
    );
    for (const fk of forward) {
      ops.push(planned("createForeignKey", { kind: "createForeignKey", table: table.name, foreignKey: cloneData(fk) }));
    }
  }
  return ops;
}

export function droppedTables(target: SchemaIR, current: SchemaIR, options: ConstraintDiffOptions): PlannedOp[] {
  const wanted = new Set(target.tables.map((t) => t.name));
  const existing = new Set(current.tables.map((t) => t.name));
  const created = target.tables.filter((t) => !existing.has(t.name));
  const order = creationOrder(current.tables.filter((t) => !wanted.has(t.name)));
  const split = forwardForeignKeys(order);
  const ops: PlannedOp[] = [];
  for (const table of [...order].reverse()) {
    const { inline, forward } = split.get(table.name)!;
    for (const fk of forward) {
      ops.push(
        planned(
          "dropForeignKey",
          { kind: "dropForeignKey", table: table.name, foreignKey: cloneData(fk) },
          unnamedDropFinding("foreign key", table.name, fk, options),
        ),
      );
    }
    const findings: OpFinding[] = [
      { kind: "destructive", table: table.name, message: `Drops table ${table.name} and all its data.` },
      ...created.filter((c) => sameColumns(c, table)).map((c) => tableRenameCandidate(table.name, c.name)),
    ];
    ops.push(planned("dropTable", { kind: "dropTable", table: { ...cloneData(table), foreignKeys: cloneData(inline) } }, findings));
  }
  return ops;
}

/** Same column names, types and nullability, in any order. */
function sameColumns(a: TableIR, b: TableIR): boolean {
  if (a.columns.length !== b.columns.length) return false;
  return a.columns.every((ca) => {
    const cb = b.columns.find((c) => c.name === ca.name);
    return cb !== undefined && sameType(ca, cb) && ca.nullable === cb.nullable;
  });
}

function tableRenameCandidate(from: string, to: string): OpFinding {
  return {
    kind: "renameCandidate",
    table: from,
    rename: { kind: "table", from, to },
    hint: `--rename ${from}=${to}`,
    message:
      `Possible rename of table ${from} -> ${to} (same columns).\n` +
      `Generated as drop + create, which loses the data. To rename instead, run again with\n` +
      `--rename ${from}=${to}`,
  };
}

/** Table attributes no op can change. */
export function unsupportedTableChanges(target: TableIR, current: TableIR): OpFinding[] {
  const findings: OpFinding[] = [];
  const show = (v: string | undefined) => (v === undefined ? "(none)" : JSON.stringify(v));
  if (target.schema !== current.schema) {
    findings.push({
      kind: "unsupported",
      table: target.name,
      message:
        `Table ${target.name} moved from schema ${show(current.schema)} to ${show(target.schema)}; ` +
        `autogen has no operation for that, nothing was generated.`,
    });
  }
  if (target.comment !== current.comment) {
    findings.push({
      kind: "unsupported",
      table: target.name,
      message:
        `Comment of table ${target.name} changed from ${show(current.comment)} to ${show(target.comment)}; ` +
        `autogen has no operation for table comments, nothing was generated (write it with op.execute).`,
    });
  }
  return findings;
}
