/**
 * Runs revision steps: records a revision's ops, renders them through the dialect and
 * executes them with the version-table update, one transaction per revision. The same
 * plan renders as a SQL script in offline mode (`--sql`), with no connection.
 */
import type { DbConnection, Dialect, OnlineSettings } from "../dialects/dialect.js";
import { guardOps } from "../dialects/guarded-render.js";
import { UserError, errorMessage } from "../errors.js";
import { SchemaState } from "../ops/apply.js";
import type { Op } from "../ops/ops.js";
import { OpRecorder } from "../ops/recorder.js";
import { purityOf } from "../revisions/purity.js";
import type { RevisionScript } from "../revisions/scripts.js";
import type { VersionAction } from "../revisions/version-rows.js";
import { emptySchema, type SchemaIR } from "../schema/ir.js";
import { isCreateOnly, preflightCreateOnly } from "./existing-objects.js";
import { hydrateOp, needsHydration } from "./hydrate.js";
import { LockBudgetGuard } from "./lock-budget.js";
import { sessionStatements } from "./session.js";
import { rollbackQuietly } from "./transaction.js";
import { takeVersionLock } from "./version-lock.js";
import { DEFAULT_ONLINE_SETTINGS, executeOnlineStep, runsOnline } from "./online.js";

export interface Step {
  script: RevisionScript;
  direction: "upgrade" | "downgrade";
  /** The version table's rows this step was planned from. */
  rowsBefore: string[];
  versionActions: VersionAction[];
}

export interface ExecutionContext {
  dialect: Dialect;
  versionTable: string;
  schema?: string;
  excludeTables: string[];
  /** How online revisions wait for table locks (config `onlineLockTimeout`, `onlineRetries`, `onlineRetryDelay`). */
  online?: OnlineSettings;
  /** A status line for long steps (an online backfill's rows), on a terminal only. */
  progress?: (label: string, done: number, total: number | undefined) => void;
}

/**
 * The migration log's side of running a step (runtime/log.ts): its statements run on the
 * step's connection, inside the step's own transaction where DDL is transactional.
 */
export interface StepJournal {
  /** The log row of a step that ran, written with its version-table update. */
  record(step: Step, durationMs: number): Promise<string[]>;
  /**
   * A mark that part of the step is about to take effect on its own (a split revision's
   * earlier transactions; each statement where DDL commits as it runs): an interrupted
   * run is recognised by it.
   */
  partial(step: Step): string[];
  /** Whether an earlier run of the step stopped part-way (the mark is its last row). */
  interrupted(step: Step): Promise<boolean>;
}

export function versionStatements(ctx: ExecutionContext, actions: VersionAction[]): string[] {
  const sql = ctx.dialect.versionTable;
  return actions.map((a) =>
    a.kind === "insert"
      ? sql.insert(ctx.versionTable, a.revision)
      : a.kind === "delete"
        ? sql.delete(ctx.versionTable, a.revision)
        : sql.update(ctx.versionTable, a.from, a.revision),
  );
}

function stepLabel(step: Step): string {
  const down = step.script.downRevision;
  const prev = down === null ? "<base>" : Array.isArray(down) ? down.join(", ") : down;
  return step.direction === "upgrade" ? `${prev} -> ${step.script.revision}` : `${step.script.revision} -> ${prev}`;
}

export function describeStep(step: Step): string {
  // Progress lines and error messages are one line; a long message keeps its first.
  const first = step.script.message?.split(/\r?\n|\r/)[0]?.trim();
  const what = first ? `, ${first}` : "";
  return `${step.direction === "upgrade" ? "Running upgrade" : "Running downgrade"} ${stepLabel(step)}${what}`;
}

/**
 * Records what a revision's upgrade/downgrade does, without a database. A revision whose
 * code has side effects is refused (its code runs once per apply, nowhere else).
 */
export async function recordStep(step: Step, dialectName: SchemaIR["dialect"]): Promise<Op[]> {
  const { sideEffects } = purityOf(step.script);
  if (sideEffects)
    throw new UserError(`${step.script.path}: ${sideEffects}, so autogen runs its code only when applying it, not to read what it does`);
  const recorder = new OpRecorder(dialectName);
  const fn = step.direction === "upgrade" ? step.script.upgrade : step.script.downgrade;
  try {
    await fn(recorder);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${step.script.path}: ${step.direction}() failed: ${errorMessage(err)}`);
  }
  return recorder.ops;
}

/**
 * A recorded op the dialect could not turn into SQL. Revision files are not
 * type-checked when loaded, so a hand-written call with missing or mistyped
 * arguments ends up here: it is the revision's fault, reported against its file.
 */
class OpRenderError extends UserError {}

/** The revision declared `export const transaction = false`. */
export function outsideTransaction(step: Step, dialect?: Dialect): boolean {
  return step.script.transaction === false && (dialect === undefined || dialect.capabilities.outsideTransaction === true);
}

/**
 * CREATE/DROP INDEX CONCURRENTLY cannot run in a transaction block: a revision that asks
 * for it must run outside one, which it says with `export const transaction = false`.
 */
function assertTransactionFits(step: Step, ops: readonly Op[]): void {
  if (outsideTransaction(step)) return;
  const concurrent = ops.find((op) => (op.kind === "createIndex" || op.kind === "dropIndex") && op.concurrently);
  if (concurrent && concurrent.kind !== "execute" && "index" in concurrent) {
    throw new OpRenderError(
      `${step.script.path}: op.${concurrent.kind}("${concurrent.index.name}", …, { concurrently: true }) cannot run inside a transaction; add \`export const transaction = false\` to the revision (it then runs statement by statement, without rollback)`,
    );
  }
}

/** `dialect.renderOp`, with any failure reported as one line naming the file and the op. */
function renderStepOp(dialect: Dialect, step: Step, op: Op, state: SchemaIR): string[] {
  try {
    return dialect.renderOp(hydrateOp(op, state), state);
  } catch (err) {
    const hint = err instanceof UserError ? "" : " (check its arguments)";
    throw new OpRenderError(`${step.script.path}: op.${op.kind}(): ${errorMessage(err).split("\n")[0]}${hint}`);
  }
}

/**
 * Every op's expression text checked before the first op runs: where DDL cannot be rolled
 * back (MySQL), an op refused at render time would otherwise leave the ones before it
 * applied. (The dialect's render path checks it again, for every other caller.)
 */
function assertExpressions(dialect: Dialect, step: Step, ops: readonly Op[]): void {
  for (const op of ops) {
    try {
      guardOps([op], dialect.lexis);
    } catch (err) {
      throw new OpRenderError(`${step.script.path}: op.${op.kind}(): ${errorMessage(err).split("\n")[0]}`);
    }
  }
}

/**
 * `dialect.renderOps` for consecutive ops of a step (SQLite folds changes to one table
 * into one rebuild). A failure is reported against the op that caused it, found by
 * rendering the ops one at a time.
 */
function renderStepOps(dialect: Dialect, step: Step, ops: readonly Op[], state: SchemaIR, following: readonly Op[] = []): string[] {
  assertTransactionFits(step, ops);
  try {
    return dialect.renderOps(
      ops.map((op) => hydrateOp(op, state)),
      state,
      following,
    );
  } catch (err) {
    const replayed = new SchemaState(state);
    for (const op of ops) {
      renderStepOp(dialect, step, op, replayed.schema);
      if (op.kind !== "execute") replay(step, op, replayed);
    }
    throw err;
  }
}

/** The state after `op`; falls back to reading the database when the op's effect is unknown. */
async function advance(state: SchemaState, op: Op, reread: () => Promise<SchemaState>): Promise<SchemaState> {
  try {
    state.apply(op);
    return state;
  } catch {
    return reread();
  }
}

/**
 * Runs one step online, inside one transaction where the dialect allows: the schema
 * change and the version-table update commit together or not at all.
 */
export async function executeStep(
  conn: DbConnection,
  ctx: ExecutionContext,
  step: Step,
  notify: (line: string) => void = () => {},
  journal?: StepJournal,
): Promise<void> {
  const { dialect } = ctx;
  const started = performance.now();
  if (runsOnline(step, dialect)) return executeOnline(conn, ctx, step, notify, journal, started);
  // `export const transaction = false`: statement by statement, nothing to roll back.
  const inTransaction = !outsideTransaction(step, dialect);
  // A large revision may need more locks than the server has (see lock-budget.ts).
  const guard = inTransaction ? await LockBudgetGuard.open(conn, dialect) : undefined;
  const reread = async () =>
    new SchemaState(
      await dialect.introspect(conn, {
        versionTable: ctx.versionTable,
        excludeTables: ctx.excludeTables,
        ...(ctx.schema ? { schema: ctx.schema } : {}),
      }),
      { owned: true },
    );
  let current = "";
  /** Statements that took effect: for a dialect whose DDL cannot be rolled back, and outside a transaction. */
  const ran: string[] = [];
  const run = async (sql: string) => {
    current = sql;
    await conn.query(sql);
    ran.push(sql);
  };
  /** autogen's own bookkeeping (a partial-run mark): not one of the revision's statements. */
  const mark = async (sql: string) => {
    current = sql;
    await conn.query(sql);
  };

  if (inTransaction) for (const sql of dialect.beginTransaction()) await run(sql);
  try {
    await checkRowsUnchanged(conn, ctx, step, inTransaction);
    // The schema is read only when an op needs it, and again after raw SQL changed it.
    let state: SchemaState | undefined;
    // Consecutive schema ops are rendered together (one SQLite rebuild per table).
    let batch: Op[] = [];
    /** `following`: the step's ops after the batch (see Dialect.renderOps). */
    const flush = async (following: readonly Op[] = []) => {
      if (batch.length === 0) return;
      const ops = batch;
      batch = [];
      state ??= await reread();
      for (const sql of renderStepOps(dialect, step, ops, state.schema, following)) await run(sql);
      for (const op of ops) {
        const next = await advance(state, op, reread);
        const fromDatabase = next !== state;
        state = next;
        // A re-read already shows the rest of the batch.
        if (fromDatabase) break;
      }
    };
    const runOps = async (ops: Op[]) => {
      assertExpressions(dialect, step, ops);
      for (let [i, op] of ops.entries()) {
        // A drop named only gets its definition from the schema (the lock budget counts its indexes).
        if (needsHydration(op)) {
          state ??= await reread();
          op = hydrateOp(op, state.schema);
        }
        if (op.kind === "execute") {
          await flush(ops.slice(i));
          guard?.ranRawSql();
          for (const sql of renderStepOp(dialect, step, op, state?.schema ?? emptySchema(dialect.name))) await run(sql);
          state = undefined;
          continue;
        }
        if (guard?.admit(op, step.script.path) === "commit-first") {
          await flush(ops.slice(i));
          for (const sql of journal?.partial(step) ?? []) await mark(sql);
          for (const sql of dialect.commitTransaction()) await run(sql);
          // Only now are those ops this run's, to undo should a later transaction fail.
          guard.committed();
          for (const sql of dialect.beginTransaction()) await run(sql);
          await checkRowsUnchanged(conn, ctx, step);
          guard.admit(op, step.script.path);
        }
        batch.push(op);
      }
      await flush();
    };
    /** op.query ran: ops before it ran already, and the revision reads and writes data. */
    let queried = false;
    const recorder = new OpRecorder(dialect.name, async (sql, params, pending) => {
      queried = true;
      await runOps(pending);
      guard?.ranRawSql();
      current = sql;
      return conn.query(sql, params);
    });
    const fn = step.direction === "upgrade" ? step.script.upgrade : step.script.downgrade;
    try {
      await fn(recorder);
    } catch (err) {
      // A database error raised inside op.query keeps its statement in `current`; an op
      // flushed before that query and failing to render is reported as such.
      if ((!(err instanceof UserError) && dialect.isDriverError(err)) || err instanceof OpRenderError) throw err;
      throw new UserError(`${step.script.path}: ${step.direction}() failed: ${errorMessage(err)}`);
    }
    let pending = recorder.takePending();
    if (!queried && isCreateOnly(pending)) {
      // What it creates must not exist yet (unless an interrupted run of it made it).
      state ??= await reread();
      const live = state.schema;
      const preflight = await preflightCreateOnly(dialect, step.script.path, step.script.revision, pending, live, async () =>
        journal ? journal.interrupted(step) : false,
      );
      if (preflight.note) notify(preflight.note);
      pending = pending.slice(preflight.skip);
      // Each statement commits on its own here: a kill mid-way must be recognisable.
      if (!dialect.capabilities.transactionalDDL && pending.length > 0) for (const sql of journal?.partial(step) ?? []) await mark(sql);
    }
    await runOps(pending);
    for (const sql of versionStatements(ctx, step.versionActions)) await run(sql);
    for (const sql of (await journal?.record(step, performance.now() - started)) ?? []) await run(sql);
    if (inTransaction) for (const sql of dialect.commitTransaction()) await run(sql);
    const note = guard?.note(step.script.revision);
    if (note) notify(note);
  } catch (err) {
    if (!inTransaction) throw err instanceof VersionTableChangedError ? err : partlyApplied(step, err, ran, current);
    await rollbackQuietly(conn, dialect);
    if (!dialect.capabilities.transactionalDDL) throw notRolledBack(dialect, step, err, current, ran);
    let failed = `${describeStep(step).replace(/^Running /, "")} failed and was rolled back`;
    if (guard?.splitCommitted) failed += await undoSplitRevision(guard, conn, dialect, reread);
    const lockMessage = guard?.explain(err, step.script.path);
    if (lockMessage) throw new UserError(`${failed}: ${lockMessage}`);
    // The op never reached the database: the last statement sent is not the culprit.
    if (err instanceof OpRenderError) throw new UserError(`${failed}: ${err.message}`);
    if (err instanceof UserError) throw err;
    throw Object.assign(
      new UserError(`${failed} (${step.script.path}): ${errorMessage(err).split("\n")[0]} [while running: ${shortStatement(current)}]`),
      { cause: err, details: `Statement that failed:\n${current}` },
    );
  }
}

/** An online revision: step by step, resumable (./online.ts); a failure names the step and says the next run resumes there. */
async function executeOnline(
  conn: DbConnection,
  ctx: ExecutionContext,
  step: Step,
  notify: (line: string) => void,
  journal: StepJournal | undefined,
  started: number,
): Promise<void> {
  const { dialect } = ctx;
  const reread = async () =>
    new SchemaState(
      await dialect.introspect(conn, {
        versionTable: ctx.versionTable,
        excludeTables: ctx.excludeTables,
        ...(ctx.schema ? { schema: ctx.schema } : {}),
      }),
      { owned: true },
    );
  try {
    await executeOnlineStep(conn, ctx, step, {
      record: () => recordStep(step, dialect.name),
      reread,
      checkRows: () => checkRowsUnchanged(conn, ctx, step, false),
      // The version rows and the log row, in the last transaction.
      finish: async () => [
        ...versionStatements(ctx, step.versionActions),
        ...((await journal?.record(step, performance.now() - started)) ?? []),
      ],
      notify,
      ...(ctx.progress ? { progress: ctx.progress } : {}),
    });
  } catch (err) {
    if (err instanceof UserError) throw err;
    const label = describeStep(step).replace(/^Running /, "");
    throw Object.assign(
      new UserError(
        `${label} stopped (${step.script.path}): ${errorMessage(err).split("\n")[0]}; it is an online revision: the steps before this one stay applied, and the next run resumes at this step`,
      ),
      { cause: err },
    );
  }
}

/** Drops what the committed transactions of a split revision created; the suffix for the failure message. */
async function undoSplitRevision(
  guard: LockBudgetGuard,
  conn: DbConnection,
  dialect: Dialect,
  reread: () => Promise<SchemaState>,
): Promise<string> {
  try {
    const skipped = await guard.undoCommitted(conn, dialect, async () => (await reread()).schema);
    const gone = skipped ? `; ${skipped} of them were no longer as it left them and were left alone` : "";
    return ` (it ran in several transactions; ${guard.undoneAs}${gone})`;
  } catch (err) {
    return ` (it ran in several transactions, and dropping what the committed ones created failed too: ${errorMessage(err).split("\n")[0]}; drop those objects by hand)`;
  }
}

/**
 * A revision run outside a transaction failed: what ran stays done. The error says so,
 * lists the statements that ran (all of them with -v), and that the version table was
 * not updated, so the revision can be finished by hand or its effects undone.
 */
function partlyApplied(step: Step, err: unknown, ran: readonly string[], current: string): UserError {
  const label = describeStep(step).replace(/^Running /, "");
  const reason = err instanceof UserError ? err.message : `${errorMessage(err).split("\n")[0]} [while running: ${shortStatement(current)}]`;
  const done =
    ran.length === 0
      ? "no statement of it ran"
      : `${ran.length} statement(s) ran and stay applied: ${ran.map((s) => shortStatement(s, 80)).join("; ")}`;
  return Object.assign(
    new UserError(
      `${label} failed outside a transaction (export const transaction = false in ${step.script.path}), so nothing was rolled back: ${reason}; ${done}; the version table still says it is not applied`,
    ),
    { cause: err, details: `Statements that ran:\n${ran.join(";\n")}\nStatement that failed:\n${current}` },
  );
}

/** Another process moved the version table on: the step was not applied, and the caller may plan again. */
export class VersionTableChangedError extends UserError {}

/**
 * A failure where DDL commits as it runs (MySQL): nothing was rolled back, so the
 * message says exactly which of the revision's statements took effect (the version
 * table was not updated: the revision counts as not applied).
 */
function notRolledBack(dialect: Dialect, step: Step, err: unknown, current: string, ran: readonly string[]): UserError {
  const what = describeStep(step).replace(/^Running /, "");
  const reason = err instanceof UserError ? err.message : `${errorMessage(err).split("\n")[0]} [while running: ${shortStatement(current)}]`;
  const applied = ran.filter((sql) => !/^\s*SELECT\b/i.test(sql));
  const list = applied.length
    ? `the ${applied.length} statement(s) before it stayed applied: ${applied.map((sql, i) => `(${i + 1}) ${shortStatement(sql, 120)}`).join("; ")}`
    : "no statement of it had taken effect";
  return Object.assign(
    new UserError(
      `${what} failed (${step.script.path}): ${reason}; ${dialect.title} DDL is not transactional, ${list}; the version table still shows the revision as not applied`,
    ),
    { cause: err, details: `Statements that took effect:\n${applied.join(";\n")}\nStatement that failed:\n${current}` },
  );
}

/**
 * Locks the version table and checks it still holds the rows the step was planned
 * from: a second `upgrade` running at the same time stops here instead of applying the
 * same revision twice.
 */
async function checkRowsUnchanged(conn: DbConnection, ctx: ExecutionContext, step: Step, lock = true): Promise<void> {
  const sql = ctx.dialect.versionTable;
  // Outside a transaction there is nothing to hold a lock in; the run lock keeps others out.
  if (lock) await takeVersionLock(conn, sql, ctx.versionTable, sql.lock(ctx.versionTable));
  const rows = (await conn.query<{ version_num: unknown }>(sql.selectAll(ctx.versionTable))).map((r) => String(r.version_num)).sort();
  const expected = [...step.rowsBefore].sort();
  if (rows.join(",") !== expected.join(",")) {
    const show = (list: string[]) => (list.length ? list.join(", ") : "<base>");
    throw new VersionTableChangedError(
      `the version table changed while migrating (now: ${show(rows)}; expected: ${show(expected)}): another process is migrating this database; ${step.script.revision} was not applied`,
    );
  }
}

/**
 * A statement as one line for an error message: whitespace runs folded, and past 200
 * characters cut at a word boundary with an ellipsis (the whole text is in the error's
 * `details`, printed with --verbose).
 */
export function shortStatement(sql: string, limit = 200): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  if (flat.length <= limit) return flat;
  const cut = flat.lastIndexOf(" ", limit);
  return `${flat.slice(0, cut > limit / 2 ? cut : limit)} …`;
}

/**
 * Offline (`--sql`): the statements online mode would run for `steps`, starting from
 * `state` (the simulated schema before the first step), as a script.
 */
export async function renderSteps(
  ctx: ExecutionContext,
  steps: Step[],
  start: SchemaIR,
  options: { createVersionTable: boolean },
): Promise<string> {
  const { dialect } = ctx;
  const state = new SchemaState(start);
  const lines: string[] = [];
  const emit = (sql: string) => lines.push(sql.trimEnd().endsWith(";") ? sql.trimEnd() : `${sql.trimEnd()};`);
  for (const sql of sessionStatements(ctx)) emit(sql);
  if (options.createVersionTable) {
    for (const sql of dialect.versionTable.create(ctx.versionTable)) emit(sql);
    lines.push("");
  }
  for (const step of steps) {
    // A message may span lines: every one of them must stay inside the comment.
    for (const line of describeStep(step).split(/\r?\n|\r/)) lines.push(`-- ${line}`);
    if (runsOnline(step, dialect)) {
      await renderOnlineStep(ctx, step, state, emit, lines);
      continue;
    }
    const inTransaction = !outsideTransaction(step, dialect);
    if (!inTransaction) lines.push("-- outside a transaction (export const transaction = false): statement by statement");
    if (inTransaction) for (const sql of dialect.beginTransaction()) emit(sql);
    if (inTransaction) for (const sql of dialect.versionTable.lock(ctx.versionTable)) emit(sql);
    const ops = await recordStep(step, dialect.name);
    // Rendered as online mode does: consecutive schema ops together, raw SQL on its own.
    let batch: Op[] = [];
    const flush = (following: readonly Op[] = []) => {
      for (const sql of renderStepOps(dialect, step, batch, state.schema, following)) emit(sql);
      for (const op of batch) replay(step, op, state);
      batch = [];
    };
    for (const [i, op] of ops.entries()) {
      if (op.kind !== "execute") {
        batch.push(op);
        continue;
      }
      flush(ops.slice(i));
      for (const sql of renderStepOp(dialect, step, op, state.schema)) emit(sql);
    }
    flush();
    for (const sql of versionStatements(ctx, step.versionActions)) emit(sql);
    if (inTransaction) for (const sql of dialect.commitTransaction()) emit(sql);
    lines.push("");
  }
  return lines.join("\n");
}

/** An online revision in `--sql`: each op as its own transaction (or outside one), as the runner runs it, without its retries. */
async function renderOnlineStep(ctx: ExecutionContext, step: Step, state: SchemaState, emit: (sql: string) => void, lines: string[]) {
  const { dialect } = ctx;
  const online = dialect.online!;
  if (online.summary) lines.push(`-- ${online.summary} (retries are the runner's; this script does not retry)`);
  for (const op of await recordStep(step, dialect.name)) {
    let sql: string[];
    try {
      sql = online.renderOp(hydrateOp(op, state.schema), state.schema, ctx.online ?? DEFAULT_ONLINE_SETTINGS);
    } catch (err) {
      throw new OpRenderError(`${step.script.path}: op.${op.kind}(): ${errorMessage(err).split("\n")[0]}`);
    }
    for (const s of sql) emit(s);
    try {
      state.apply(op);
    } catch (err) {
      throw new UserError(`${step.script.path}: op.${op.kind}(): ${errorMessage(err)}`);
    }
  }
  for (const sql of dialect.beginTransaction()) emit(sql);
  for (const sql of versionStatements(ctx, step.versionActions)) emit(sql);
  for (const sql of dialect.commitTransaction()) emit(sql);
  lines.push("");
}

/**
 * Offline, the schema is only known by replaying the revisions: an op that does not
 * fit it (a table that is not there) is the revision's mistake, named with its file.
 */
function replay(step: Step, op: Op, state: SchemaState): void {
  if (op.kind === "execute") return;
  try {
    state.apply(op);
  } catch (err) {
    throw new UserError(`${step.script.path}: op.${op.kind}(): ${errorMessage(err)}`);
  }
}

/** The schema a sequence of steps produces from `state`, without a database (offline mode's starting point). */
export async function simulateSteps(steps: Step[], start: SchemaIR): Promise<SchemaIR> {
  const state = new SchemaState(start);
  for (const step of steps) {
    for (const op of await recordStep(step, start.dialect)) replay(step, op, state);
  }
  return state.schema;
}
