/**
 * Runs one op of an online revision on PostgreSQL, so that the application's writes
 * never queue behind autogen for long:
 *
 * - every transaction starts with `SET LOCAL lock_timeout`: a lock autogen cannot get
 *   at once (a long query holds the table) fails fast instead of making every writer
 *   wait behind it; the transaction is rolled back and retried after a growing pause;
 * - `CREATE INDEX CONCURRENTLY` runs outside a transaction; a failed build leaves an
 *   INVALID index, which is dropped (concurrently) before the next try and never left
 *   behind; an index already there and valid (a run killed after the build) is kept;
 * - `backfill` runs batch by batch, each batch and the saved cursor in one transaction,
 *   so a killed run resumes after the last batch that committed;
 * - the step's done mark (the generic runner's progress table) commits with the step's
 *   last transaction.
 */
import { UserError, errorMessage } from "../../../errors.js";
import type { OnlineSettings, OnlineStepContext } from "../../dialect.js";
import type { Op } from "../../../ops/ops.js";
import { findTable, type SchemaIR } from "../../../schema/ir.js";
import { renderOp } from "../render.js";
import { qualified, quoteLiteral } from "../quote.js";
import type { PostgresOnlineOp } from "./kinds.js";
import { batchStatement, lastKeyStatement } from "./render.js";

/** lock_not_available (lock_timeout), deadlock_detected: the step is retried. */
const RETRIED = new Set(["55P03", "40P01"]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function code(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}

/** The pause before try `attempt` (1-based): doubling from the configured delay, with jitter, at most 30 s. */
function backoff(attempt: number, first: number): number {
  const base = Math.min(30_000, first * 2 ** (attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

export function lockTimeoutStatement(ms: number, local = true): string {
  return `SET ${local ? "LOCAL " : ""}lock_timeout = ${quoteLiteral(`${Math.max(1, Math.round(ms))}ms`)}`;
}

/** `attempt` until it succeeds, retrying lock timeouts and deadlocks with backoff. */
export function retryLocks<T>(
  settings: OnlineSettings,
  what: string,
  attempt: () => Promise<T>,
  notify: (line: string) => void,
): Promise<T> {
  return withRetry({ settings, notify }, what, attempt);
}

async function withRetry<T>(
  ctx: Pick<OnlineStepContext, "settings" | "notify">,
  what: string,
  attempt: () => Promise<T>,
  cleanup?: () => Promise<void>,
): Promise<T> {
  const { retries, retryDelayMs, lockTimeoutMs } = ctx.settings;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (cleanup) await cleanup();
      if (!RETRIED.has(code(err) ?? "") || n > retries) {
        if (RETRIED.has(code(err) ?? "")) {
          throw new UserError(
            `${what}: could not take its lock within lock_timeout (${lockTimeoutMs} ms) in ${n} tries (${errorMessage(err).split("\n")[0]}); another session holds the table. Nothing of this step was applied; run upgrade again to resume here, or raise "onlineRetries" / "onlineLockTimeout"`,
          );
        }
        throw err;
      }
      const pause = backoff(n, retryDelayMs);
      ctx.notify(`  ${what}: lock not available (${code(err)}), retry ${n}/${retries} in ${pause} ms`);
      await sleep(pause);
    }
  }
}

/** Statements in one transaction with a short lock_timeout, and the step's done mark when `last`. */
async function transaction(ctx: OnlineStepContext, statements: readonly string[], last: boolean, params?: unknown[]): Promise<unknown[]> {
  const { conn } = ctx;
  await conn.query("BEGIN");
  try {
    await conn.query(lockTimeoutStatement(ctx.settings.lockTimeoutMs));
    let rows: unknown[] = [];
    for (const [i, sql] of statements.entries()) rows = await conn.query(sql, i === statements.length - 1 ? params : undefined);
    if (last) for (const sql of ctx.done) await conn.query(sql);
    await conn.query("COMMIT");
    return rows;
  } catch (err) {
    await conn.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
}

function describe(op: Op): string {
  const o = op as { kind: string; table?: unknown };
  return typeof o.table === "string" ? `${o.kind} on ${o.table}` : o.kind;
}

export async function runOnlineOp(op: Op, ctx: OnlineStepContext): Promise<void> {
  if (op.kind === "backfill") return backfill(op, ctx);
  if ((op.kind === "createIndex" || op.kind === "dropIndex") && op.concurrently) return concurrentIndex(op, ctx);
  const sql = renderOp(op, ctx.state);
  await withRetry(ctx, describe(op), () => transaction(ctx, sql, true));
}

interface IndexState {
  valid: boolean;
}

async function indexState(ctx: OnlineStepContext, table: string, name: string): Promise<IndexState | undefined> {
  const schema = findTable(ctx.state, table)?.schema;
  const rows = await ctx.conn.query<{ valid: boolean }>(
    `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = $1 AND n.nspname = ${schema ? "$2" : "current_schema()"}`,
    schema ? [name, schema] : [name],
  );
  return rows[0];
}

/** A statement outside a transaction with a short lock_timeout (session-level, reset after). */
async function outside(ctx: OnlineStepContext, sql: string): Promise<void> {
  // The run's session already waits at most lock_timeout (see `session`).
  await ctx.conn.query(lockTimeoutStatement(ctx.settings.lockTimeoutMs, false));
  await ctx.conn.query(sql);
}

async function markDone(ctx: OnlineStepContext): Promise<void> {
  if (ctx.done.length === 0) return;
  await ctx.conn.query("BEGIN");
  for (const sql of ctx.done) await ctx.conn.query(sql);
  await ctx.conn.query("COMMIT");
}

async function concurrentIndex(op: Extract<Op, { kind: "createIndex" | "dropIndex" }>, ctx: OnlineStepContext): Promise<void> {
  const name = op.index.name;
  const ref = qualified(name, findTable(ctx.state, op.table)?.schema);
  const dropInvalid = async () => {
    const state = await indexState(ctx, op.table, name);
    if (state && !state.valid)
      await withRetry(ctx, `drop INVALID index ${name}`, () => outside(ctx, `DROP INDEX CONCURRENTLY IF EXISTS ${ref}`));
  };
  if (op.kind === "dropIndex") {
    await withRetry(ctx, `drop index ${name}`, () => outside(ctx, `DROP INDEX CONCURRENTLY IF EXISTS ${ref}`));
    return markDone(ctx);
  }
  const existing = await indexState(ctx, op.table, name);
  // Built by a run that was killed before it could mark the step done.
  if (existing?.valid) return markDone(ctx);
  await dropInvalid();
  const [sql] = renderOp(op, ctx.state);
  try {
    await withRetry(ctx, `create index ${name} concurrently`, () => outside(ctx, sql!), dropInvalid);
  } catch (err) {
    // A build that failed for another reason (a duplicate key) leaves its INVALID index too.
    await dropInvalid().catch(() => undefined);
    throw err;
  }
  await markDone(ctx);
}

/** Rows the planner thinks the table has, for the progress line (no count(*) scan). */
async function estimatedRows(ctx: OnlineStepContext, table: string): Promise<number | undefined> {
  const schema = findTable(ctx.state, table)?.schema;
  const [row] = await ctx.conn.query<{ n: number }>(
    `SELECT greatest(c.reltuples, 0)::bigint::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE c.relname = $1 AND s.nspname = ${schema ? "$2" : "current_schema()"}`,
    schema ? [table, schema] : [table],
  );
  return row && row.n > 0 ? row.n : undefined;
}

async function backfill(op: Extract<PostgresOnlineOp, { kind: "backfill" }>, ctx: OnlineStepContext): Promise<void> {
  const sql = batchStatement(op, ctx.state);
  const [bound] = await ctx.conn.query<{ last: string | null }>(lastKeyStatement(op, ctx.state));
  const upto = bound?.last ?? null;
  let cursor = ctx.cursor.saved;
  const total = await estimatedRows(ctx, op.table);
  let done = 0;
  for (;;) {
    const from = cursor;
    const rows = (await withRetry(ctx, `backfill of ${op.table}`, async () => {
      // The cursor is saved with the batch it follows: a kill loses at most the batch in flight.
      const { conn } = ctx;
      await conn.query("BEGIN");
      try {
        await conn.query(lockTimeoutStatement(ctx.settings.lockTimeoutMs));
        const result = upto === null ? [] : await conn.query<{ last: string | null; rows: number }>(sql, [from, upto]);
        const last = result[0]?.last ?? null;
        if (last !== null) await conn.query(ctx.cursor.save(last));
        else for (const s of ctx.done) await conn.query(s);
        await conn.query("COMMIT");
        return result;
      } catch (err) {
        await conn.query("ROLLBACK").catch(() => undefined);
        throw err;
      }
    })) as { last: string | null; rows: number }[];
    const last = rows[0]?.last ?? null;
    if (last === null) break;
    cursor = last;
    done += rows[0]!.rows;
    ctx.progress(done, total);
    if (op.pause) await sleep(op.pause);
  }
}

export type { SchemaIR };
