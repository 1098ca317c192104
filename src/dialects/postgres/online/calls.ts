/**
 * The online kinds as a revision file spells them: `op.<method>(…)` calls (what the
 * recorder turns back into ops) and the call text the writer puts in the file. One is
 * the inverse of the other, as for every op kind.
 */
import { columnLiteral } from "../../../codegen/opCalls.js";
import { objectLiteral, orderedEntries, stringLiteral, valueLiteral, type Entry } from "../../../codegen/literals.js";
import type { ForeignKeyOptions } from "../../../ops/ops.js";
import type { ColumnIR } from "../../../schema/ir.js";
import type { BackfillOptions, PostgresOnlineOp } from "./kinds.js";

/** The `op.*` methods of the online kinds, as a revision's `upgrade(op)` calls them. */
export interface PostgresOnlineOperations {
  /** ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT VALID: new rows are checked, existing ones wait for validateConstraint. */
  createForeignKeyNotValid(
    name: string,
    table: string,
    columns: string[],
    referencedTable: string,
    referencedColumns: string[],
    options?: ForeignKeyOptions,
  ): void;
  /** ALTER TABLE … ADD CONSTRAINT … CHECK (…) NOT VALID. */
  createCheckNotValid(name: string, table: string, expression: string): void;
  /** ALTER TABLE … VALIDATE CONSTRAINT: scans the rows while writes go on (SHARE UPDATE EXCLUSIVE). */
  validateConstraint(table: string, name: string): void;
  /** A trigger keeping `to` equal to `from` on every insert and update (expand/contract). */
  createSyncTrigger(table: string, from: string, to: string): void;
  dropSyncTrigger(table: string, from: string, to: string): void;
  /**
   * UPDATE `table` SET column = expression, … in batches of `batchSize` rows by primary key,
   * each batch its own transaction; a killed run resumes after the last batch committed.
   */
  backfill(table: string, set: Record<string, string>, options?: BackfillOptions): void;
  /** Drops `column` and renames `replacement` to it in one short transaction; sets the definition's default and NOT NULL. */
  swapColumn(
    table: string,
    column: string,
    replacement: string,
    options: { definition: ColumnIR; previous: ColumnIR; notNullCheck?: string; syncTrigger?: boolean },
  ): void;
}

const s = stringLiteral;
const names = (list: readonly string[]) => `[${list.map(s).join(", ")}]`;

/** The recorder side: each method's arguments as the op it records. */
export function onlineMethods(push: (op: PostgresOnlineOp) => void): PostgresOnlineOperations {
  return {
    createForeignKeyNotValid(name, table, columns, referencedTable, referencedColumns, options = {}) {
      const foreignKey = {
        name,
        columns,
        referencedTable,
        ...(options.referencedSchema ? { referencedSchema: options.referencedSchema } : {}),
        referencedColumns,
        onDelete: options.onDelete ?? "NO ACTION",
        onUpdate: options.onUpdate ?? "NO ACTION",
        ...(options.deferrable ? { deferrable: options.deferrable } : {}),
      } as const;
      push({ kind: "createForeignKeyNotValid", table, foreignKey });
    },
    createCheckNotValid(name, table, expression) {
      push({ kind: "createCheckNotValid", table, check: { name, expression } });
    },
    validateConstraint(table, name) {
      push({ kind: "validateConstraint", table, name });
    },
    createSyncTrigger(table, from, to) {
      push({ kind: "createSyncTrigger", table, from, to });
    },
    dropSyncTrigger(table, from, to) {
      push({ kind: "dropSyncTrigger", table, from, to });
    },
    backfill(table, set, options = {}) {
      push({
        kind: "backfill",
        table,
        set: { ...set },
        ...(options.where !== undefined ? { where: options.where } : {}),
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        ...(options.pause !== undefined ? { pause: options.pause } : {}),
      });
    },
    swapColumn(table, column, replacement, options) {
      push({
        kind: "swapColumn",
        table,
        column,
        replacement,
        definition: { ...options.definition },
        previous: { ...options.previous },
        ...(options.notNullCheck ? { notNullCheck: options.notNullCheck } : {}),
        ...(options.syncTrigger ? { syncTrigger: true } : {}),
      });
    },
  };
}

/** The writer side: the call that records `op`. */
export function onlineCallText(op: PostgresOnlineOp): string {
  const call = (method: string, args: (string | undefined)[]) => {
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    return `op.${method}(${args.map((a) => a ?? "undefined").join(", ")});`;
  };
  switch (op.kind) {
    case "createForeignKeyNotValid": {
      const fk = op.foreignKey;
      const options: Entry[] = [
        ["onDelete", fk.onDelete === "NO ACTION" ? undefined : s(fk.onDelete)],
        ["onUpdate", fk.onUpdate === "NO ACTION" ? undefined : s(fk.onUpdate)],
        ["deferrable", fk.deferrable === undefined ? undefined : s(fk.deferrable)],
        ["referencedSchema", fk.referencedSchema === undefined ? undefined : s(fk.referencedSchema)],
      ];
      const hasOptions = options.some((e) => e[1] !== undefined);
      return call(op.kind, [
        s(fk.name ?? ""),
        s(op.table),
        names(fk.columns),
        s(fk.referencedTable),
        names(fk.referencedColumns),
        hasOptions ? objectLiteral(options) : undefined,
      ]);
    }
    case "createCheckNotValid":
      return call(op.kind, [s(op.check.name ?? ""), s(op.table), s(op.check.expression)]);
    case "validateConstraint":
      return call(op.kind, [s(op.table), s(op.name)]);
    case "createSyncTrigger":
    case "dropSyncTrigger":
      return call(op.kind, [s(op.table), s(op.from), s(op.to)]);
    case "backfill": {
      const options = orderedEntries({ where: op.where, batchSize: op.batchSize, pause: op.pause }, ["where", "batchSize", "pause"]);
      return call(op.kind, [
        s(op.table),
        objectLiteral(Object.entries(op.set).map(([k, v]) => [k, s(v)] as Entry)),
        options.length ? objectLiteral(options) : undefined,
      ]);
    }
    case "swapColumn":
      return call(op.kind, [
        s(op.table),
        s(op.column),
        s(op.replacement),
        objectLiteral([
          ["definition", columnLiteral(op.definition)],
          ["previous", columnLiteral(op.previous)],
          ["notNullCheck", op.notNullCheck === undefined ? undefined : s(op.notNullCheck)],
          ["syncTrigger", op.syncTrigger ? valueLiteral(true) : undefined],
        ]),
      ]);
  }
}
