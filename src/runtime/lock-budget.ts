/**
 * Keeps a revision's transaction under the server's lock budget (dialect.locks; only
 * PostgreSQL has one). Each op's locks are counted before it runs, as the server would
 * hold them until commit. When the next op would go over the share of the budget one
 * migration may take, and everything the revision ran so far only created objects (a
 * large first revision) or only dropped them (its downgrade), the transaction is
 * committed and a new one begun; the version row is written in the last one. Should a
 * later transaction fail, the earlier ones are undone by their reverse ops: created
 * objects are dropped again, dropped tables are re-created (empty: a downgrade that drops
 * tables gives their rows up anyway). Only ops whose transaction the server confirmed
 * committed are undone (the runner reports each commit, `committed()`), and each undo is
 * checked against the catalog first: a run never drops what it did not create.
 * A revision that mixes kinds of change (or runs raw SQL) is not split; it stops before
 * it takes more locks than the whole lock table has, rolls back, and names the setting.
 * A server that runs out anyway (other sessions holding locks) gets the same message
 * instead of a bare "out of shared memory".
 */
import type { DbConnection, Dialect, LockBudget, LockSql } from "../dialects/dialect.js";
import { UserError, errorMessage } from "../errors.js";
import { SchemaState } from "../ops/apply.js";
import type { Op } from "../ops/ops.js";
import { reverseOps } from "../ops/reverse.js";
import type { SchemaIR } from "../schema/ir.js";
import { changeKindOf, isPresent, type ChangeKind } from "./created-objects.js";

/**
 * The lock table is shared by every session of the server (and the budget counts slots,
 * not a per-transaction quota): one migration takes at most a quarter, leaving the rest
 * to the application, autovacuum and other migrations.
 */
export const LOCK_BUDGET_SHARE = 0.25;

type Kind = ChangeKind;
const kindOf = changeKindOf;

export type Admission = "run" | "commit-first";

export class LockBudgetGuard {
  private held = new Set<string>();
  private needed = 0;
  /** The one kind of op the revision ran so far; "other" once kinds mix (no split then). */
  private kind: Kind | undefined;
  /** Ops whose transaction the server confirmed committed (undone if a later one fails). */
  private readonly done: Op[] = [];
  private current: Op[] = [];
  private transactions = 1;

  private constructor(
    private readonly locks: LockSql,
    readonly budget: LockBudget,
    readonly ceiling: number,
  ) {}

  /** Reads the server's budget; undefined where the dialect has none or it cannot be read. */
  static async open(conn: DbConnection, dialect: Dialect): Promise<LockBudgetGuard | undefined> {
    const locks = dialect.locks;
    if (!locks) return undefined;
    try {
      const [row] = await conn.query<Record<string, unknown>>(locks.budgetQuery);
      if (!row) return undefined;
      const budget = locks.budget(row);
      if (!Number.isFinite(budget.total) || budget.total <= 0) return undefined;
      return new LockBudgetGuard(locks, budget, Math.max(1, Math.floor(budget.total * LOCK_BUDGET_SHARE)));
    } catch {
      return undefined;
    }
  }

  /**
   * Whether `op` can run in the current transaction ("run": it is counted), or the
   * transaction must commit first ("commit-first": nothing counted; call `committed()`
   * once the commit succeeded, then admit `op` again). Throws when neither is safe.
   */
  admit(op: Op, file: string): Admission {
    const fresh = this.locks.locksOf(op).filter((key) => !this.held.has(key));
    const kind = kindOf(op);
    const total = this.held.size + fresh.length;
    if (total <= this.ceiling || this.held.size === 0) {
      this.take(op, fresh, kind);
      return "run";
    }
    if (kind !== "other" && this.kind === kind) return "commit-first";
    // Not splittable: run on while the whole lock table could hold it (other sessions permitting).
    if (total < this.budget.total) {
      this.take(op, fresh, kind);
      return "run";
    }
    throw new UserError(
      `${file}: this revision needs more than ${total} locks in one transaction, more than the server's whole lock table (${this.budget.settings}); ` +
        `nothing was changed. It mixes kinds of change (or runs raw SQL), so it is not split into several transactions: ${this.budget.raise(Math.ceil(this.needed / LOCK_BUDGET_SHARE))}, or split the revision into smaller ones`,
    );
  }

  /** The server confirmed the current transaction's commit: its ops are this run's to undo. */
  committed(): void {
    this.done.push(...this.current);
    this.current = [];
    this.held = new Set();
    this.transactions += 1;
  }

  private take(op: Op, fresh: string[], kind: Kind): void {
    for (const key of fresh) this.held.add(key);
    this.needed += fresh.length;
    this.current.push(op);
    this.kind = this.kind === undefined || this.kind === kind ? kind : "other";
  }

  /** Raw SQL (op.query, op.execute) may do anything: from then on the revision is not split. */
  ranRawSql(): void {
    this.kind = "other";
  }

  /** The note for the user when the revision took several transactions. */
  note(revision: string): string | undefined {
    if (this.transactions === 1) return undefined;
    const what = this.kind === "drop" ? "only drops objects" : "only creates objects";
    return `note: revision ${revision} ${what} and needs about ${this.needed} locks, more than ${Math.round(LOCK_BUDGET_SHARE * 100)}% of the server's lock table (${this.budget.settings}); it ran in ${this.transactions} transactions, the version row written in the last`;
  }

  /** A clear message for a full lock table; undefined for other errors. */
  explain(err: unknown, file: string): string | undefined {
    if (!this.locks.isOutOfLocks(err)) return undefined;
    return `${file}: the server ran out of lock slots (${errorMessage(err)}; ${this.budget.settings}, shared by all sessions): ${this.budget.raise(Math.ceil(this.needed / LOCK_BUDGET_SHARE))}`;
  }

  get splitCommitted(): boolean {
    return this.done.length > 0;
  }

  /** What undoing the committed transactions does, for the failure message. */
  get undoneAs(): string {
    return this.kind === "drop"
      ? "the tables the committed ones dropped were re-created, without their rows"
      : "what the committed ones created was dropped again";
  }

  /**
   * After a later transaction failed: drops what the committed ones created (their ops
   * reversed), in transactions under the same budget, so the database ends as it started.
   * Each undo is checked against the catalog first: an object already gone (or, for a
   * re-created table, already back) is left alone. Returns how many ops were skipped.
   */
  async undoCommitted(conn: DbConnection, dialect: Dialect, reread: () => Promise<SchemaIR>): Promise<number> {
    const undo = reverseOps(this.done);
    let skipped = 0;
    const state = new SchemaState(await reread(), { owned: true });
    let held = new Set<string>();
    const begin = async () => {
      for (const sql of dialect.beginTransaction()) await conn.query(sql);
    };
    await begin();
    try {
      for (const op of undo) {
        // A drop needs the object there; a re-create needs it absent.
        if (isPresent(op, state.schema) !== (kindOf(op) === "drop")) {
          skipped += 1;
          continue;
        }
        const fresh = this.locks.locksOf(op).filter((key) => !held.has(key));
        if (held.size > 0 && held.size + fresh.length > this.ceiling) {
          for (const sql of dialect.commitTransaction()) await conn.query(sql);
          await begin();
          held = new Set();
        }
        for (const key of fresh) held.add(key);
        for (const sql of dialect.renderOp(op, state.schema)) await conn.query(sql);
        state.apply(op);
      }
      for (const sql of dialect.commitTransaction()) await conn.query(sql);
    } catch (err) {
      for (const sql of dialect.rollbackTransaction()) await conn.query(sql).catch(() => undefined);
      throw err;
    }
    return skipped;
  }
}
