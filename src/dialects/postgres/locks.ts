/**
 * PostgreSQL's lock budget. Every relation a transaction creates or alters stays locked
 * until it commits, and all sessions share one lock table of
 * max_locks_per_transaction × (max_connections + max_prepared_transactions) slots
 * (6,400 on a default server). A first revision creating 2,000 tables takes about 14,000
 * locks and fails with "out of shared memory"; the runner (runtime/lock-budget.ts) counts
 * what each op takes with `locksOf` and stays under the budget.
 */
import { dispatchByKind, type ByKind } from "../by-kind.js";
import type { LockBudget, LockSql } from "../dialect.js";
import type { Op } from "../../ops/ops.js";
import type { TableIR } from "../../schema/ir.js";

const budgetQuery = `SELECT
  current_setting('max_locks_per_transaction')::int AS max_locks_per_transaction,
  current_setting('max_connections')::int AS max_connections,
  current_setting('max_prepared_transactions')::int AS max_prepared_transactions`;

function budget(row: Record<string, unknown>): LockBudget {
  const perTransaction = Number(row.max_locks_per_transaction);
  const connections = Number(row.max_connections);
  const prepared = Number(row.max_prepared_transactions);
  const total = perTransaction * (connections + prepared);
  return {
    total,
    settings: `max_locks_per_transaction (${perTransaction}) × (max_connections (${connections}) + max_prepared_transactions (${prepared})) = ${total}`,
    raise: (needed: number) =>
      `raise max_locks_per_transaction to at least ${Math.ceil(needed / Math.max(1, connections + prepared))} in postgresql.conf and restart the server`,
  };
}

/** Every relation a table brings along: itself, its TOAST table and index, sequences, index-backed constraints. */
function tableRelations(table: TableIR): string[] {
  const name = table.schema ? `${table.schema}.${table.name}` : table.name;
  const keys = [`rel:${name}`, `toast:${name}`, `toast-index:${name}`];
  for (const column of table.columns) {
    if (column.generated === "increment" || column.identity !== undefined) keys.push(`seq:${name}.${column.name}`);
  }
  if (table.primaryKey) keys.push(`pk:${name}`);
  for (const unique of table.uniques) keys.push(`index:${name}.${unique.name ?? unique.columns.join(",")}`);
  for (const index of table.indexes) keys.push(`index:${name}.${index.name}`);
  for (const fk of table.foreignKeys) keys.push(`rel:${fk.referencedSchema ? `${fk.referencedSchema}.` : ""}${fk.referencedTable}`);
  return keys;
}

const tableLocks = (op: { table: TableIR }) => tableRelations(op.table);
const indexLocks = (op: { table: string; index: { name: string } }) => [`rel:${op.table}`, `index:${op.table}.${op.index.name}`];
const uniqueLocks = (op: { table: string; unique: { name?: string; columns: string[] } }) => [
  `rel:${op.table}`,
  `index:${op.table}.${op.unique.name ?? op.unique.columns.join(",")}`,
];
const primaryKeyLocks = (op: { table: string }) => [`rel:${op.table}`, `pk:${op.table}`];
const foreignKeyLocks = (op: { table: string; foreignKey: { referencedTable: string } }) => [
  `rel:${op.table}`,
  `rel:${op.foreignKey.referencedTable}`,
];
// A type change rewrites the table and its indexes; count the table and its TOAST pair.
const rewriteLocks = (op: { table: string }) => [`rel:${op.table}`, `toast:${op.table}`, `toast-index:${op.table}`];
const enumLocks = (op: { enum: { name: string } }) => [`type:${op.enum.name}`];

/** Lock keys each kind holds until commit; the same key from two ops is one lock. */
const LOCKS: Partial<ByKind<Op, string[]>> = {
  createTable: tableLocks,
  dropTable: tableLocks,
  renameTable: (op) => [`rel:${op.from}`, `rel:${op.to}`],
  createIndex: indexLocks,
  dropIndex: indexLocks,
  createUnique: uniqueLocks,
  dropUnique: uniqueLocks,
  createPrimaryKey: primaryKeyLocks,
  dropPrimaryKey: primaryKeyLocks,
  createForeignKey: foreignKeyLocks,
  dropForeignKey: foreignKeyLocks,
  addColumn: rewriteLocks,
  alterColumn: rewriteLocks,
  createEnum: enumLocks,
  dropEnum: enumLocks,
  alterEnum: (op) => [`type:${op.name}`, `type:${op.name}_old`],
  execute: () => [],
};

/** A kind without its own estimate: its table, when it names one. */
const locksOf = dispatchByKind<Op, string[], []>(LOCKS, (op) => ("table" in op && typeof op.table === "string" ? [`rel:${op.table}`] : []));

function isOutOfLocks(err: unknown): boolean {
  // 53200 out_of_memory: "out of shared memory", hinted with max_locks_per_transaction.
  return (err as { code?: string } | null)?.code === "53200";
}

export const locks: LockSql = { budgetQuery, budget, locksOf, isOutOfLocks };
