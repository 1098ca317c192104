/**
 * The online form of a diff on PostgreSQL: each op that would hold a lock writers wait
 * on for as long as the table is scanned or rewritten becomes the steps that do not.
 * Pure: ops and the schema before them in, ops and notes out.
 *
 * | change on an existing table        | online form                                                                 |
 * | ---------------------------------- | --------------------------------------------------------------------------- |
 * | create / drop index                | CONCURRENTLY, outside a transaction                                         |
 * | foreign key, CHECK                 | added NOT VALID, then VALIDATE CONSTRAINT                                   |
 * | SET NOT NULL                       | CHECK (col IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL, drop the check   |
 * | type change that rewrites the table| new column, sync trigger, batched backfill, swap in one short transaction    |
 *
 * What cannot be done online (a rewrite of a key column, a unique constraint, a volatile
 * default) is kept as it is, with a note saying why.
 */
import { changesInPlace } from "../in-place.js";
import type { Op } from "../../../ops/ops.js";
import { SchemaState } from "../../../ops/apply.js";
import type { ColumnIR, ColumnTypeIR, SchemaIR, TableIR } from "../../../schema/ir.js";
import type { OnlinePlan } from "../../dialect.js";
import { quoteIdent } from "../quote.js";
import { notNullCheckName, replacementName, type PostgresOnlineOp } from "./kinds.js";

/** Functions whose value differs per row: a default calling one is written into every row. */
const VOLATILE = /\b(random|gen_random_uuid|uuid_generate_v[14]\w*|clock_timestamp|timeofday|nextval|txid_current)\s*\(/i;

const typeOf = (t: ColumnTypeIR): ColumnTypeIR => {
  const out: ColumnTypeIR = { type: t.type };
  for (const key of ["length", "precision", "scale", "array", "enumName", "enumValues"] as const) {
    if (t[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = t[key];
  }
  return out;
};

/** Why `column` cannot be swapped for a new one, or undefined when it can. */
function swapBlocker(schema: SchemaIR, table: TableIR, column: ColumnIR): string | undefined {
  const uses = (columns: readonly string[]) => columns.includes(column.name);
  const pk = table.primaryKey?.columns ?? [];
  if (pk.length !== 1) return `${table.name} has no single-column primary key to backfill in batches by`;
  if (uses(pk)) return "it is the primary key";
  if (column.generated || column.identity || column.computed) return "it is generated";
  if (table.indexes.some((i) => uses(i.columns) || (i.where ?? "").includes(column.name))) return "an index uses it";
  if (table.uniques.some((u) => uses(u.columns))) return "a unique constraint uses it";
  if (table.foreignKeys.some((f) => uses(f.columns))) return "a foreign key uses it";
  if (table.checks.some((c) => c.expression.includes(column.name))) return "a check constraint uses it";
  const referenced = schema.tables.some((t) =>
    t.foreignKeys.some((f) => f.referencedTable === table.name && f.referencedColumns.includes(column.name)),
  );
  if (referenced) return "a foreign key references it";
  if ((schema.views ?? []).some((v) => v.expression.includes(column.name))) return "a view may use it";
  return undefined;
}

export function planOnline(ops: readonly Op[], before: SchemaIR): OnlinePlan {
  const out: (Op | PostgresOnlineOp)[] = [];
  const origin: number[] = [];
  const notes: OnlinePlan["notes"] = [];
  const state = new SchemaState(before);
  const created = new Set<string>();
  const existing = (table: string) => !created.has(table) && before.tables.some((t) => t.name === table);
  const note = (message: string) => notes.push({ opIndex: out.length, message });

  for (const [index, op] of ops.entries()) {
    const emitted = planOne(op);
    out.push(...emitted.ops);
    for (const _ of emitted.ops) origin.push(index);
    try {
      for (const o of emitted.ops) state.apply(o as Op);
    } catch {
      // The state is only an aid (column definitions); the runner reads the database.
    }
  }
  return { ops: out as Op[], origin, notes };

  function planOne(op: Op): { ops: (Op | PostgresOnlineOp)[] } {
    switch (op.kind) {
      case "createTable":
        created.add(op.table.name);
        return { ops: [op] };
      case "renameTable":
        created.add(op.to);
        return { ops: [op] };
      case "createIndex":
      case "dropIndex":
        return { ops: [existing(op.table) ? { ...op, concurrently: true } : op] };
      case "createForeignKey":
        if (!existing(op.table) || !op.foreignKey.name) return { ops: [op] };
        return {
          ops: [
            { kind: "createForeignKeyNotValid", table: op.table, foreignKey: op.foreignKey },
            { kind: "validateConstraint", table: op.table, name: op.foreignKey.name },
          ],
        };
      case "createCheck":
        if (!existing(op.table) || !op.check.name) return { ops: [op] };
        return {
          ops: [
            { kind: "createCheckNotValid", table: op.table, check: op.check },
            { kind: "validateConstraint", table: op.table, name: op.check.name },
          ],
        };
      case "createUnique":
        if (existing(op.table)) {
          note(
            `online: unique constraint ${op.unique.name ?? op.unique.columns.join(", ")} on ${op.table} builds its index while writes wait; not done online (declare a unique index instead, which is built CONCURRENTLY)`,
          );
        }
        return { ops: [op] };
      case "addColumn":
        if (existing(op.table) && op.column.default !== undefined && VOLATILE.test(op.column.default)) {
          note(
            `online: ${op.table}.${op.column.name} has a volatile default (${op.column.default}): every row is written under an ACCESS EXCLUSIVE lock; not done online`,
          );
        }
        return { ops: [op] };
      case "alterColumn":
        return { ops: existing(op.table) ? alterColumn(op) : [op] };
      default:
        return { ops: [op] };
    }
  }

  function alterColumn(op: Extract<Op, { kind: "alterColumn" }>): (Op | PostgresOnlineOp)[] {
    const table = state.findTable(op.table);
    const column = table?.columns.find((c) => c.name === op.column);
    const { type, nullable, ...rest } = op.changes;
    if (type && !changesInPlace(type.from, type.to) && table && column) {
      const blocker = swapBlocker(state.schema, table, column);
      const others = Object.keys(rest).filter((k) => k !== "default" && k !== "comment");
      if (blocker || others.length > 0) {
        note(
          `online: ${op.table}.${op.column} ${type.from.type} -> ${type.to.type} rewrites the table under an ACCESS EXCLUSIVE lock; not done online: ${blocker ?? `it also changes ${others.join(", ")}`}`,
        );
        return [op];
      }
      return expandContract(op, table, column);
    }
    if (nullable && nullable.from && !nullable.to && column) {
      const name = notNullCheckName(op.table, op.column);
      const check = { name, expression: `${quoteIdent(op.column)} IS NOT NULL` };
      return [
        { kind: "createCheckNotValid", table: op.table, check },
        { kind: "validateConstraint", table: op.table, name },
        op,
        { kind: "dropCheck", table: op.table, check },
      ];
    }
    return [op];
  }

  function expandContract(op: Extract<Op, { kind: "alterColumn" }>, table: TableIR, column: ColumnIR): (Op | PostgresOnlineOp)[] {
    const c = op.changes;
    const replacement = replacementName(column.name);
    const definition: ColumnIR = { ...column, ...typeOf(c.type!.to), name: column.name };
    for (const key of ["length", "precision", "scale", "array", "enumName", "enumValues"] as const) {
      if (c.type!.to[key] === undefined) delete definition[key];
    }
    if (c.nullable) definition.nullable = c.nullable.to;
    if (c.default) {
      if (c.default.to === null) delete definition.default;
      else definition.default = c.default.to;
    }
    if (c.comment) {
      if (c.comment.to === null) delete definition.comment;
      else definition.comment = c.comment.to;
    }
    const steps: (Op | PostgresOnlineOp)[] = [
      { kind: "addColumn", table: table.name, column: { name: replacement, ...typeOf(c.type!.to), nullable: true } },
      { kind: "createSyncTrigger", table: table.name, from: column.name, to: replacement },
      { kind: "backfill", table: table.name, set: { [replacement]: quoteIdent(column.name) } },
    ];
    const swap: Extract<PostgresOnlineOp, { kind: "swapColumn" }> = {
      kind: "swapColumn",
      table: table.name,
      column: column.name,
      replacement,
      definition,
      previous: column,
      syncTrigger: true,
    };
    if (!definition.nullable) {
      const name = notNullCheckName(table.name, replacement);
      steps.push(
        { kind: "createCheckNotValid", table: table.name, check: { name, expression: `${quoteIdent(replacement)} IS NOT NULL` } },
        { kind: "validateConstraint", table: table.name, name },
      );
      swap.notNullCheck = name;
    }
    steps.push(swap);
    return steps;
  }
}
