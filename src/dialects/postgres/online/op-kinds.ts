/**
 * The online kinds (./kinds.ts) as op kinds of the registry (../../../ops/kind.ts): their
 * payloads join the `Op` union through `DatabaseOps`, their `op.*` methods join
 * `Operations` through `DatabaseOperations`, and everything shared code needs of them
 * (recording, call text, reverse, schema-state effect, subject) is defined here. Their
 * SQL is in ./render.ts, how each runs in ./run.ts; other databases refuse them.
 */
import type { DatabaseOpKindDefinition, SchemaEditor } from "../../../ops/kind.js";
import type { ForeignKeyOptions, Op } from "../../../ops/ops.js";
import { UserError } from "../../../errors.js";
import type { CheckIR, ColumnIR, ForeignKeyIR } from "../../../schema/ir.js";
import type { BackfillOptions, PostgresOnlineOp } from "./kinds.js";

type OnlineOf<K extends PostgresOnlineOp["kind"]> = Extract<PostgresOnlineOp, { kind: K }>;

declare module "../../../ops/ops.js" {
  interface DatabaseOps {
    createForeignKeyNotValid: OnlineOf<"createForeignKeyNotValid">;
    createCheckNotValid: OnlineOf<"createCheckNotValid">;
    validateConstraint: OnlineOf<"validateConstraint">;
    createSyncTrigger: OnlineOf<"createSyncTrigger">;
    dropSyncTrigger: OnlineOf<"dropSyncTrigger">;
    backfill: OnlineOf<"backfill">;
    swapColumn: OnlineOf<"swapColumn">;
  }
  interface DatabaseOperations {
    /** ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT VALID: new rows are checked, existing ones by validateConstraint. */
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
     * each batch its own transaction in an online revision; a killed run resumes after the
     * last batch committed. In a plain revision: one UPDATE.
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
}

const DATABASE = "PostgreSQL";
const LACKING = "online steps";
const sameName = (a: { name?: string }, b: { name?: string }) => a.name === b.name;

/** Trailing absent arguments left out, as the writer leaves them out of every call. */
const trimmed = (args: unknown[]): unknown[] => {
  const out = [...args];
  while (out.length > 0 && out[out.length - 1] === undefined) out.pop();
  return out;
};

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

function foreignKeyOf(
  name: string,
  columns: string[],
  referencedTable: string,
  referencedColumns: string[],
  options: ForeignKeyOptions = {},
): ForeignKeyIR {
  return withoutUndefined({
    name,
    columns,
    referencedTable,
    referencedSchema: options.referencedSchema,
    referencedColumns,
    onDelete: options.onDelete ?? "NO ACTION",
    onUpdate: options.onUpdate ?? "NO ACTION",
    deferrable: options.deferrable,
  });
}

function foreignKeyOptions(fk: ForeignKeyIR): ForeignKeyOptions | undefined {
  const options = withoutUndefined({
    onDelete: fk.onDelete === "NO ACTION" ? undefined : fk.onDelete,
    onUpdate: fk.onUpdate === "NO ACTION" ? undefined : fk.onUpdate,
    deferrable: fk.deferrable,
    referencedSchema: fk.referencedSchema,
  });
  return Object.keys(options).length ? options : undefined;
}

/** An online step that cannot be undone by another op: the online downgrade is planned from the reverse changes instead. */
function notReversible(what: string): never {
  throw new UserError(
    `${what} cannot be reversed op by op: an online revision's downgrade is planned from the reverse changes (revision --autogenerate --online), or written by hand`,
  );
}

const createForeignKeyNotValid: DatabaseOpKindDefinition<OnlineOf<"createForeignKeyNotValid">> = {
  kind: "createForeignKeyNotValid",
  database: DATABASE,
  lacking: LACKING,
  method: "createForeignKeyNotValid",
  record: (
    name: string,
    table: string,
    columns: string[],
    referencedTable: string,
    referencedColumns: string[],
    options?: ForeignKeyOptions,
  ) => ({
    kind: "createForeignKeyNotValid",
    table,
    foreignKey: foreignKeyOf(name, columns, referencedTable, referencedColumns, options),
  }),
  callArgs: (op) =>
    trimmed([
      op.foreignKey.name,
      op.table,
      op.foreignKey.columns,
      op.foreignKey.referencedTable,
      op.foreignKey.referencedColumns,
      foreignKeyOptions(op.foreignKey),
    ]),
  reverse: (op): Op => ({ kind: "dropForeignKey", table: op.table, foreignKey: op.foreignKey }),
  apply(op, edit) {
    edit.add(edit.table(op.table).foreignKeys, op.foreignKey, sameName, `Foreign key "${op.foreignKey.name}" on "${op.table}"`);
  },
  subject: (op) => ({ table: op.table, ...(op.foreignKey.name ? { name: op.foreignKey.name } : {}) }),
  changesTable: false,
};

const createCheckNotValid: DatabaseOpKindDefinition<OnlineOf<"createCheckNotValid">> = {
  kind: "createCheckNotValid",
  database: DATABASE,
  lacking: LACKING,
  method: "createCheckNotValid",
  record: (name: string, table: string, expression: string) => ({ kind: "createCheckNotValid", table, check: { name, expression } }),
  callArgs: (op) => [op.check.name, op.table, op.check.expression],
  reverse: (op): Op => ({ kind: "dropCheck", table: op.table, check: op.check }),
  apply(op, edit) {
    edit.add(edit.table(op.table).checks, op.check as CheckIR, sameName, `Check constraint "${op.check.name}" on "${op.table}"`);
  },
  subject: (op) => ({ table: op.table, ...(op.check.name ? { name: op.check.name } : {}) }),
  changesTable: false,
};

const validateConstraint: DatabaseOpKindDefinition<OnlineOf<"validateConstraint">> = {
  kind: "validateConstraint",
  database: DATABASE,
  lacking: LACKING,
  method: "validateConstraint",
  record: (table: string, name: string) => ({ kind: "validateConstraint", table, name }),
  callArgs: (op) => [op.table, op.name],
  // Validating twice is harmless (a validated constraint is not scanned again), and the
  // constraint is still there when the reverse runs: it is its own reverse.
  reverse: (op) => ({ ...op }),
  apply() {},
  subject: (op) => ({ table: op.table, name: op.name }),
  changesTable: false,
};

const syncTrigger = (kind: "createSyncTrigger" | "dropSyncTrigger", other: "createSyncTrigger" | "dropSyncTrigger") =>
  ({
    kind,
    database: DATABASE,
    lacking: LACKING,
    method: kind,
    record: (table: string, from: string, to: string) => ({ kind, table, from, to }),
    callArgs: (op: OnlineOf<typeof kind>) => [op.table, op.from, op.to],
    reverse: (op: OnlineOf<typeof kind>) => ({ kind: other, table: op.table, from: op.from, to: op.to }),
    apply() {},
    subject: (op: OnlineOf<typeof kind>) => ({ table: op.table, column: op.to }),
    changesTable: false,
  }) as DatabaseOpKindDefinition<OnlineOf<typeof kind>>;

const backfill: DatabaseOpKindDefinition<OnlineOf<"backfill">> = {
  kind: "backfill",
  database: DATABASE,
  lacking: LACKING,
  method: "backfill",
  record: (table: string, set: Record<string, string>, options: BackfillOptions = {}) =>
    withoutUndefined({
      kind: "backfill" as const,
      table,
      set: { ...set },
      where: options.where,
      batchSize: options.batchSize,
      pause: options.pause,
    }),
  callArgs: (op) => {
    const options = withoutUndefined({ where: op.where, batchSize: op.batchSize, pause: op.pause });
    return trimmed([op.table, op.set, Object.keys(options).length ? options : undefined]);
  },
  reverse: (op) => notReversible(`backfill of ${op.table}`),
  apply() {},
  subject: (op) => ({ table: op.table }),
  changesTable: false,
};

function applySwap(op: OnlineOf<"swapColumn">, edit: SchemaEditor): void {
  const table = edit.table(op.table);
  const old = table.columns.findIndex((c) => c.name === op.column);
  const replacement = table.columns.find((c) => c.name === op.replacement);
  if (old < 0 || !replacement) {
    throw new UserError(`swapColumn ${op.table}.${op.column}: ${old < 0 ? op.column : op.replacement} is not a column of ${op.table}`);
  }
  table.columns.splice(old, 1);
  const { name: _name, ...definition } = op.definition;
  void _name;
  for (const key of Object.keys(replacement) as (keyof ColumnIR)[]) if (key !== "name") delete replacement[key];
  Object.assign(replacement, definition, { name: op.column });
  if (op.notNullCheck) {
    const at = table.checks.findIndex((c) => c.name === op.notNullCheck);
    if (at >= 0) table.checks.splice(at, 1);
  }
}

const swapColumn: DatabaseOpKindDefinition<OnlineOf<"swapColumn">> = {
  kind: "swapColumn",
  database: DATABASE,
  lacking: LACKING,
  method: "swapColumn",
  record: (
    table: string,
    column: string,
    replacement: string,
    options: { definition: ColumnIR; previous: ColumnIR; notNullCheck?: string; syncTrigger?: boolean },
  ) =>
    withoutUndefined({
      kind: "swapColumn" as const,
      table,
      column,
      replacement,
      definition: { ...options.definition },
      previous: { ...options.previous },
      notNullCheck: options.notNullCheck,
      syncTrigger: options.syncTrigger ? true : undefined,
    }),
  callArgs: (op) => [
    op.table,
    op.column,
    op.replacement,
    withoutUndefined({ definition: op.definition, previous: op.previous, notNullCheck: op.notNullCheck, syncTrigger: op.syncTrigger }),
  ],
  reverse: (op) => notReversible(`swapColumn ${op.table}.${op.column}`),
  apply: applySwap,
  subject: (op) => ({ table: op.table, column: op.column }),
  changesTable: true,
};

export const onlineOpKinds = [
  createForeignKeyNotValid,
  createCheckNotValid,
  validateConstraint,
  syncTrigger("createSyncTrigger", "dropSyncTrigger"),
  syncTrigger("dropSyncTrigger", "createSyncTrigger"),
  backfill,
  swapColumn,
] as const;
