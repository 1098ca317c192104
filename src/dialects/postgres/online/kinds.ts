/**
 * The op kinds only PostgreSQL's online revisions have (`revision --autogenerate
 * --online`): each is one lock-safe step a reviewer reads in the revision file, runs in
 * its own short transaction (./run.ts) and renders in `--sql` (./render.ts). They are
 * registered as op kinds of the registry in ./op-kinds.ts.
 *
 * - `createForeignKeyNotValid` / `createCheckNotValid`: the constraint without the scan
 *   of existing rows (a brief SHARE ROW EXCLUSIVE / ACCESS EXCLUSIVE lock);
 * - `validateConstraint`: the scan, under SHARE UPDATE EXCLUSIVE, which lets writes in;
 * - `createSyncTrigger`: keeps a new column equal to an old one while it is backfilled;
 * - `backfill`: an UPDATE in keyset batches by primary key, each batch its own
 *   transaction, resumable from the last key saved (also for hand-written data steps);
 * - `swapColumn`: the short final step of an expand/contract type change: the old column
 *   dropped, the new one renamed into its place, its default and NOT NULL set.
 *
 * Field names are hashed into migration logs, like every op's: never rename them.
 */
import type { CheckIR, ColumnIR, ForeignKeyIR } from "../../../schema/ir.js";

export interface BackfillOptions {
  /** SQL condition: only rows matching it are updated (and scanned for). */
  where?: string;
  /** Rows per batch (each batch its own transaction). Default 5,000. */
  batchSize?: number;
  /** Milliseconds to sleep between batches, to leave the server to the application. Default 0. */
  pause?: number;
}

export type PostgresOnlineOp =
  | { kind: "createForeignKeyNotValid"; table: string; foreignKey: ForeignKeyIR }
  | { kind: "createCheckNotValid"; table: string; check: CheckIR }
  | { kind: "validateConstraint"; table: string; name: string }
  /** `to` := `from` on every insert and update, cast to `to`'s type by assignment. */
  | { kind: "createSyncTrigger"; table: string; from: string; to: string }
  | { kind: "dropSyncTrigger"; table: string; from: string; to: string }
  /** `set`: column -> SQL expression over the row's columns. */
  | ({ kind: "backfill"; table: string; set: Record<string, string> } & BackfillOptions)
  /**
   * `column` dropped and `replacement` renamed to it, in one transaction; `definition` is
   * the column it becomes (its default and NOT NULL are set here). A NOT NULL column
   * needs a validated `"<replacement>" IS NOT NULL` check named `notNullCheck` (the SET
   * NOT NULL then skips the scan), which the swap drops.
   */
  | {
      kind: "swapColumn";
      table: string;
      column: string;
      replacement: string;
      definition: ColumnIR;
      previous: ColumnIR;
      notNullCheck?: string;
      /** The sync trigger `createSyncTrigger` made from `column` to `replacement` (dropped first). */
      syncTrigger?: boolean;
    };

export const DEFAULT_BATCH_SIZE = 5000;

/** The name of the column an expand/contract change builds beside `column`. */
export function replacementName(column: string): string {
  return `${column}__new`.slice(0, 63);
}

/** The name of the sync trigger (and its function) copying `from` into `to` on `table`. */
export function syncTriggerName(table: string, to: string): string {
  return `autogen_sync_${table}_${to}`.slice(0, 63);
}

/** The name of the temporary NOT NULL check for `column`. */
export function notNullCheckName(table: string, column: string): string {
  return `CHK_autogen_${table}_${column}_not_null`.slice(0, 63);
}
