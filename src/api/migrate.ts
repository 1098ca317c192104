/**
 * Commands that move the database: `upgrade`, `downgrade`, `stamp`, and Laravel's
 * `reset`, `refresh`, `fresh`. Online they run through the runner, one transaction per
 * revision; with `sql: true` they return the same statements as a script instead.
 */
import { redactUrl } from "../config/config.js";
import type { DbConnection } from "../dialects/dialect.js";
import { UsageError, UserError, errorMessage } from "../errors.js";
import {
  downgradePath,
  planVersionSteps,
  resolve,
  stampRows,
  upgradePath,
  type RevisionGraph,
  type RevisionScript,
} from "../revisions/index.js";
import { emptySchema, type SchemaIR } from "../schema/ir.js";
import { describeStep, executeStep, VersionTableChangedError, renderSteps, versionStatements, type Step } from "../runtime/execute.js";
import { OpRecorder } from "../ops/recorder.js";
import { replayRevisions } from "../runtime/replay.js";
import { purityOf } from "../revisions/purity.js";
import { readDatabaseSchema } from "../autogenerate.js";
import { sessionStatements } from "../runtime/session.js";
import { runInTransaction } from "../runtime/transaction.js";
import { acquireRunLock } from "../runtime/run-lock.js";
import type { SeedFlags, SeedResult } from "./seed.js";
import { listNames, managedObjects, requireConfirmation, tablesWithRows, type ConfirmOptions } from "./destructive.js";
import { Workspace, type CommonOptions } from "./workspace.js";

export interface MigrateOptions extends CommonOptions, ConfirmOptions {
  /** Target spec: `head`, `+1`, an id, `base`, `-1`…; offline also `from:to`. */
  target?: string;
  /** Offline mode: return the SQL instead of running it. */
  sql?: boolean;
  /** The command named in questions and refusals (reset and refresh go through downgrade). */
  command?: string;
}

export interface MigrateResult {
  /** "Running upgrade a -> b, message" lines, in order. */
  steps: string[];
  /** Offline mode's script. */
  sql?: string;
}

function toSteps(
  graph: RevisionGraph<RevisionScript>,
  rows: readonly string[],
  path: RevisionScript[],
  direction: Step["direction"],
): Step[] {
  let before = [...rows];
  return planVersionSteps(graph, rows, path, direction).map((s) => {
    const step: Step = { script: s.node, direction, rowsBefore: before, versionActions: s.actions };
    before = s.heads;
    return step;
  });
}

/**
 * Offline `from:to`: the rows the script starts from, and the schema there. The schema
 * is replayed from base; revisions before the range are not rendered, so raw SQL in them
 * (an `op.query` that gets no rows here) does not matter.
 */
async function offlineStart(
  ws: Workspace,
  graph: RevisionGraph<RevisionScript>,
  fromSpec: string | undefined,
): Promise<{ rows: string[]; state: SchemaIR }> {
  const base = emptySchema(ws.dialect.name);
  if (fromSpec === undefined || fromSpec === "base") return { rows: [], state: base };
  const rows = resolve(fromSpec, { graph }).revisions;
  const { state } = await replayRevisions(upgradePath(graph, [], fromSpec), ws.dialect);
  return { rows, state };
}

/** An offline script that had to stop at a revision that needs a live database; `sql` is what came before it. */
export class OfflineStopError extends UserError {
  constructor(
    message: string,
    readonly sql: string,
  ) {
    super(message);
  }
}

/**
 * `renderSteps` for a range, stopping before the first revision that calls `op.query`
 * (it must read rows, so no script can stand in for it) or whose code has side effects
 * (it runs only when applied): the steps before it are rendered and returned inside the
 * error, which names the revision and the way on.
 */
async function renderRange(
  ws: Workspace,
  steps: Step[],
  state: SchemaIR,
  options: { createVersionTable: boolean; command: string; to: string },
): Promise<string> {
  const stop = await firstOnlineStep(steps, ws.dialect.name);
  if (stop === undefined) return renderSteps(ws.context, steps, state, options);
  const { step, why } = stop;
  const before = steps.slice(0, steps.indexOf(step));
  const sql = await renderSteps(ws.context, before, state, options);
  const rev = step.script.revision;
  const where = `${step.script.path}: ${step.direction}() of ${rev} ${why}`;
  throw new OfflineStopError(
    `${where}, which needs a live database, so the offline script stops before ${rev}` +
      (before.length ? ` (printed up to ${before[before.length - 1]!.script.revision})` : " (nothing before it to print)") +
      `; run ${rev} online (\`autogen ${options.command} ${rev}\`), then continue with \`autogen ${options.command} ${rev}:${options.to} --sql\``,
    `${sql}-- autogen: stopped before ${rev}: ${where.replace(/\r?\n/g, " ")}; it needs a live database\n`,
  );
}

/**
 * The first step that only a live run can do, and why: its code has side effects (it is
 * not run here), or it calls `op.query` (found by recording it, which for such a file
 * reaches nothing but the recorder).
 */
async function firstOnlineStep(steps: Step[], dialect: SchemaIR["dialect"]): Promise<{ step: Step; why: string } | undefined> {
  for (const step of steps) {
    const purity = purityOf(step.script);
    if (purity.sideEffects) return { step, why: `${purity.sideEffects} (autogen runs its code only when applying it)` };
    if (!purity.readsRows) continue;
    let query: string | undefined;
    const recorder = new OpRecorder(dialect, async (sql) => {
      query ??= sql;
      return [];
    });
    const fn = step.direction === "upgrade" ? step.script.upgrade : step.script.downgrade;
    try {
      await fn(recorder);
    } catch {
      // Rendering reports a failing revision with its own message.
    }
    if (query !== undefined) return { step, why: `calls op.query("${(query.trim().split("\n")[0] ?? "").slice(0, 80)}")` };
  }
  return undefined;
}

/** `upgrade head:base --sql` and `downgrade base:head --sql` print nothing: say why instead. */
function emptyRange(command: "upgrade" | "downgrade", target: string, from: string | undefined): UsageError {
  const other = command === "upgrade" ? "downgrade" : "upgrade";
  return new UsageError(
    `${command} ${target} --sql: the range is empty or reversed (no revision to ${command} from ${from ?? "the current revision"}); ` +
      `to go the other way use \`autogen ${other} ${target} --sql\``,
  );
}

function splitRange(target: string): [string | undefined, string] {
  const parts = target.split(":");
  if (parts.length === 1) return [undefined, target];
  if (parts.length === 2 && parts[1]) return [parts[0] || undefined, parts[1]];
  throw new UsageError(`Invalid range '${target}'; expected from:to`);
}

/**
 * Runs the plan online. A second process migrating the same database at the same time
 * waits for this one (the dialect's run lock where it has one; on SQLite each revision's
 * IMMEDIATE transaction), then finds the version table moved on: with an absolute
 * target it plans again from there, so it ends at the target too and no revision runs twice.
 */
async function runOnline(
  ws: Workspace,
  plan: (rows: string[]) => Step[],
  options: { guard?: (conn: DbConnection, steps: Step[]) => Promise<void>; replan?: boolean; verifyApplied?: boolean } = {},
): Promise<MigrateResult> {
  return ws.withConnection(async (conn) => {
    const lock = ws.dialect.runLock(ws.config.versionTable, {
      ...(ws.config.lockTimeoutMs !== undefined ? { timeoutMs: ws.config.lockTimeoutMs } : {}),
    });
    await acquireRunLock(conn, lock, {
      what: `version table ${ws.config.versionTable}`,
      ...(ws.config.lockTimeoutMs !== undefined ? { timeoutMs: ws.config.lockTimeoutMs } : {}),
      log: ws.log,
    });
    try {
      await ws.ensureVersionTable(conn);
      // The migration log: created (and baselined) on first use; an applied revision whose
      // file changed since stops the run before anything is applied.
      const log = ws.migrationLog(conn);
      const rowsNow = await ws.readHeads(conn);
      await log.ensure(ws.graph(), rowsNow);
      if (options.verifyApplied) {
        // An applied revision without a usable checksum gets one now, said in one line.
        const repaired = await log.repair(ws.graph(), rowsNow);
        if (repaired) ws.log(repaired);
        await log.assertUnchanged(ws.graph(), rowsNow, "upgrade");
      }
      const batch = await log.nextBatch();
      const journal = log.journal(batch);
      const done: string[] = [];
      let guarded = false;
      for (let attempt = 0; ; attempt++) {
        const steps = plan(await ws.readHeads(conn));
        if (options.guard && !guarded && steps.length > 0) {
          await options.guard(conn, steps);
          guarded = true;
        }
        ws.progress?.begin(steps[0]?.direction ?? "upgrade", {
          total: steps.length,
          count: () => conn.queryCount,
          countLabel: "statements",
        });
        try {
          for (const [i, step] of steps.entries()) {
            const line = describeStep(step);
            ws.progress?.item(i + 1, line);
            ws.log(line);
            await executeStep(conn, ws.context, step, ws.log, journal);
            done.push(line);
          }
          return { steps: done };
        } catch (err) {
          // Each retry follows a revision another process applied, so this ends.
          if (!(err instanceof VersionTableChangedError) || !options.replan || attempt > ws.graph().size * 2 + 2) throw err;
          ws.log("Another process applied revisions meanwhile; planning again from the version table.");
        } finally {
          ws.progress?.end();
        }
      }
    } finally {
      await lock.release(conn).catch(() => undefined);
    }
  });
}

/** A target that names a revision (not a step count such as +1 or -2) means the same after another process moved on. */
const absoluteTarget = (target: string) => !/[+-]\d+$/.test(target);

export async function upgrade(options: MigrateOptions = {}): Promise<MigrateResult> {
  const ws = Workspace.open(options, options.sql ? "dialect" : "connection");
  const graph = ws.graph();
  const target = options.target ?? "head";
  if (options.sql) {
    const [from, to] = splitRange(target);
    const start = await offlineStart(ws, graph, from);
    const steps = toSteps(graph, start.rows, upgradePath(graph, start.rows, to), "upgrade");
    if (steps.length === 0 && from !== undefined) throw emptyRange("upgrade", target, from);
    const sql = await renderRange(ws, steps, start.state, { createVersionTable: start.rows.length === 0, command: "upgrade", to });
    return { steps: steps.map(describeStep), sql };
  }
  if (target.includes(":")) throw new UsageError(`a from:to range ('${target}') is only for --sql mode`);
  return runOnline(ws, (rows) => toSteps(graph, rows, upgradePath(graph, rows, target), "upgrade"), {
    replan: absoluteTarget(target),
    verifyApplied: true,
  });
}

export async function downgrade(options: MigrateOptions & { target: string }): Promise<MigrateResult> {
  const ws = Workspace.open(options, options.sql ? "dialect" : "connection");
  const graph = ws.graph();
  if (options.sql) {
    const [from, to] = splitRange(options.target);
    if (from === undefined) {
      throw new UsageError(
        `downgrade --sql needs a range, e.g. \`autogen downgrade <from>:<to> --sql\` (there is no database to read the current revision from)`,
      );
    }
    const start = await offlineStart(ws, graph, from);
    // A destination above `from` (`base:head`) is a reversed range, not an unapplied target.
    const applied = graph.ancestors(start.rows);
    if (resolve(to, { graph, currentHeads: start.rows }).revisions.some((id) => !applied.has(id))) {
      throw emptyRange("downgrade", options.target, from);
    }
    const steps = toSteps(graph, start.rows, downgradePath(graph, start.rows, to), "downgrade");
    if (steps.length === 0) throw emptyRange("downgrade", options.target, from);
    const sql = await renderRange(ws, steps, start.state, { createVersionTable: false, command: "downgrade", to });
    return { steps: steps.map(describeStep), sql };
  }
  if (options.target.includes(":")) throw new UsageError(`a from:to range ('${options.target}') is only for --sql mode`);
  const toBase = options.target === "base";
  return runOnline(ws, (rows) => toSteps(graph, rows, downgradePath(graph, rows, options.target), "downgrade"), {
    replan: absoluteTarget(options.target),
    ...(toBase
      ? { guard: (conn: DbConnection, steps: Step[]) => confirmLosingRows(ws, conn, steps, options.command ?? "downgrade base", options) }
      : {}),
  });
}

export interface StampOptions extends CommonOptions {
  revisions: string[];
  purge?: boolean;
  sql?: boolean;
}

export async function stamp(options: StampOptions): Promise<{ heads: string[]; sql?: string }> {
  if (options.revisions.length === 0) throw new UserError("stamp needs at least one revision");
  const ws = Workspace.open(options, options.sql ? "dialect" : "connection");
  const graph = ws.graph();
  const { dialect } = ws;
  if (options.sql) {
    const change = stampRows(graph, [], options.revisions, { purge: options.purge ?? false });
    const statements = [
      ...sessionStatements(ws.context),
      ...dialect.versionTable.create(ws.config.versionTable),
      ...dialect.beginTransaction(),
      ...versionStatements(ws.context, change.actions),
      ...dialect.commitTransaction(),
    ];
    return { heads: change.heads, sql: statements.map((s) => (s.endsWith(";") ? s : `${s};`)).join("\n") + "\n" };
  }
  return ws.withConnection(async (conn) => {
    await ws.ensureVersionTable(conn);
    const rows = await ws.readHeads(conn);
    const change = stampRows(graph, rows, options.revisions, { purge: options.purge ?? false });
    // What it now calls applied gets a checksum in the log, in the same transaction. Rows
    // naming no revision (what --purge is for) have nothing to log.
    const known = rows.filter((r) => graph.has(r));
    const log = ws.migrationLog(conn);
    await log.ensure(graph, known);
    const logged = await log.stampStatements(graph, known, change.heads);
    await runInTransaction(conn, dialect, [...versionStatements(ws.context, change.actions), ...logged]);
    ws.log(`Stamped ${change.heads.length ? change.heads.join(", ") : "<base>"}`);
    return { heads: change.heads };
  });
}

/**
 * Going down to base drops every table the revisions made: on a database with rows it
 * needs a yes (a terminal's confirmation, or `force`).
 */
async function confirmLosingRows(
  ws: Workspace,
  conn: DbConnection,
  steps: Step[],
  command: string,
  options: ConfirmOptions,
): Promise<void> {
  if (options.force) return;
  // The tables the downgrade path's revisions created: the ones whose rows it drops.
  const created = await managedObjects(
    ws,
    steps.map((s) => ({ ...s, direction: "upgrade" as const })),
  );
  const filled = await tablesWithRows(ws, conn, created.tables);
  if (filled.length === 0) return;
  const where = redactUrl(ws.config.url);
  await requireConfirmation(
    command,
    `${command}: downgrade ${where} to base, dropping the rows of ${filled.length} table(s) (${listNames(filled)})?`,
    { verb: "downgrade to base", why: `it would drop the rows of ${filled.length} table(s) (${listNames(filled)})` },
    options,
  );
}

/** Laravel's migrate:reset: downgrade everything (asks first when tables hold rows). */
export async function reset(options: CommonOptions & ConfirmOptions = {}): Promise<MigrateResult> {
  return downgrade({ ...options, target: "base", command: (options as { command?: string }).command ?? "reset" });
}

/** `--seed` on fresh/refresh, as Laravel's `migrate:fresh --seed`; `seeder` alone implies it. */
export interface SeedAfterMigrate extends SeedFlags {
  seed?: boolean;
}

/** Seeds when asked; the seeding code (faker, TypeORM's connection) loads only then. */
async function seedIfAsked(options: CommonOptions & SeedAfterMigrate): Promise<{ seeded?: SeedResult }> {
  if (!options.seed && options.seeder === undefined) return {};
  const { seed } = await import("./seed.js");
  return { seeded: await seed(options) };
}

/** Laravel's migrate:refresh: reset, then upgrade head (then seed, with `seed`). */
export async function refresh(
  options: CommonOptions & SeedAfterMigrate & ConfirmOptions = {},
): Promise<MigrateResult & { seeded?: SeedResult }> {
  const down = await reset({ ...options, command: "refresh" } as CommonOptions & ConfirmOptions);
  const up = await upgrade({ ...options, target: "heads" });
  return { steps: [...down.steps, ...up.steps], ...(await seedIfAsked(options)) };
}

export interface FreshOptions extends CommonOptions, SeedAfterMigrate, ConfirmOptions {}

/**
 * Laravel's migrate:fresh: drop every table and enum type some revision
 * creates, and the version table (tables no revision creates stay), then upgrade head.
 * It says what it will drop and asks first (a terminal's confirmation, or `force`).
 */
export async function fresh(options: FreshOptions = {}): Promise<MigrateResult & { dropped: string[]; seeded?: SeedResult }> {
  const ws = new Workspace(options);
  const graph = ws.graph(); // a broken revision file must fail before anything is dropped
  const where = redactUrl(ws.config.url);
  const managed = await managedObjects(ws, toSteps(graph, [], upgradePath(graph, [], "heads"), "upgrade"));
  const dropped = await ws.withConnection(async (conn) => {
    const live = await readDatabaseSchema(conn, ws.config, ws.dialect);
    const schema = {
      ...live,
      tables: live.tables.filter((t) => managed.tables.has(t.name)),
      enums: live.enums.filter((e) => managed.enums.has(e.name)),
    };
    const names = [
      ...schema.tables.map((t) => t.name),
      ...schema.enums.map((e) => `enum ${e.name}`),
      `${ws.config.versionTable} (version table)`,
    ];
    const kept = live.tables.filter((t) => !managed.tables.has(t.name)).map((t) => t.name);
    ws.log(`fresh will drop ${names.length} object(s) in ${where}: ${names.join(", ")}`);
    if (kept.length) ws.log(`fresh leaves in place ${kept.length} table(s) no revision creates: ${kept.join(", ")}`);
    await requireConfirmation(
      "fresh",
      `Drop every table in ${where} that a revision creates (${names.length} object(s): ${listNames(names)}) and run all migrations again?`,
      { verb: "drop the database", why: `it would drop ${names.length} object(s) in ${where} (${listNames(names)})` },
      options,
    );
    const statements = [...ws.dialect.dropAll(schema), ws.dialect.versionTable.drop(ws.config.versionTable)];
    try {
      await runInTransaction(conn, ws.dialect, statements);
    } catch (err) {
      throw new UserError(`fresh: dropping failed and was rolled back: ${errorMessage(err)}`);
    }
    return [...schema.tables.map((t) => t.name), ...schema.enums.map((e) => `enum ${e.name}`)];
  });
  ws.log(`Dropped ${dropped.length} object(s).`);
  const up = await upgrade({ ...options, target: "heads" });
  return { ...up, dropped, ...(await seedIfAsked(options)) };
}
