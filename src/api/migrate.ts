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
import {
  describeStep,
  executeStep,
  VersionTableChangedError,
  renderSteps,
  simulateSteps,
  versionStatements,
  type Step,
} from "../runtime/execute.js";
import { readDatabaseSchema } from "../autogenerate.js";
import { sessionStatements } from "../runtime/session.js";
import { runInTransaction } from "../runtime/transaction.js";
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

/** Offline `from:to`: the rows the script starts from, and the schema there (simulated from base). */
async function offlineStart(
  ws: Workspace,
  graph: RevisionGraph<RevisionScript>,
  fromSpec: string | undefined,
): Promise<{ rows: string[]; state: SchemaIR }> {
  const base = emptySchema(ws.dialect.name);
  if (fromSpec === undefined || fromSpec === "base") return { rows: [], state: base };
  const rows = resolve(fromSpec, { graph }).revisions;
  const state = await simulateSteps(toSteps(graph, [], upgradePath(graph, [], fromSpec), "upgrade"), base);
  return { rows, state };
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
  options: { guard?: (conn: DbConnection, steps: Step[]) => Promise<void>; replan?: boolean } = {},
): Promise<MigrateResult> {
  return ws.withConnection(async (conn) => {
    const lock = ws.dialect.versionTable.runLock?.(ws.config.versionTable);
    for (const sql of lock?.acquire ?? []) await conn.query(sql);
    try {
      await ws.ensureVersionTable(conn);
      const done: string[] = [];
      let guarded = false;
      for (let attempt = 0; ; attempt++) {
        const steps = plan(await ws.readHeads(conn));
        if (options.guard && !guarded && steps.length > 0) {
          await options.guard(conn, steps);
          guarded = true;
        }
        try {
          for (const step of steps) {
            const line = describeStep(step);
            ws.log(line);
            await executeStep(conn, ws.context, step, ws.log);
            done.push(line);
          }
          return { steps: done };
        } catch (err) {
          // Each retry follows a revision another process applied, so this ends.
          if (!(err instanceof VersionTableChangedError) || !options.replan || attempt > ws.graph().size * 2 + 2) throw err;
          ws.log("Another process applied revisions meanwhile; planning again from the version table.");
        }
      }
    } finally {
      for (const sql of lock?.release ?? []) await conn.query(sql).catch(() => undefined);
    }
  });
}

/** A target that names a revision (not a step count such as +1 or -2) means the same after another process moved on. */
const absoluteTarget = (target: string) => !/[+-]\d+$/.test(target);

export async function upgrade(options: MigrateOptions = {}): Promise<MigrateResult> {
  const ws = new Workspace(options, options.sql ? "dialect" : "connection");
  const graph = ws.graph();
  const target = options.target ?? "head";
  if (options.sql) {
    const [from, to] = splitRange(target);
    const start = await offlineStart(ws, graph, from);
    const steps = toSteps(graph, start.rows, upgradePath(graph, start.rows, to), "upgrade");
    const sql = await renderSteps(ws.context, steps, start.state, { createVersionTable: start.rows.length === 0 });
    return { steps: steps.map(describeStep), sql };
  }
  if (target.includes(":")) throw new UsageError(`a from:to range ('${target}') is only for --sql mode`);
  return runOnline(ws, (rows) => toSteps(graph, rows, upgradePath(graph, rows, target), "upgrade"), {
    replan: absoluteTarget(target),
  });
}

export async function downgrade(options: MigrateOptions & { target: string }): Promise<MigrateResult> {
  const ws = new Workspace(options, options.sql ? "dialect" : "connection");
  const graph = ws.graph();
  if (options.sql) {
    const [from, to] = splitRange(options.target);
    if (from === undefined) {
      throw new UsageError(`downgrade --sql needs a range, e.g. \`autogen downgrade <from>:<to> --sql\` (there is no database to read the current revision from)`);
    }
    const start = await offlineStart(ws, graph, from);
    const steps = toSteps(graph, start.rows, downgradePath(graph, start.rows, to), "downgrade");
    const sql = await renderSteps(ws.context, steps, start.state, { createVersionTable: false });
    return { steps: steps.map(describeStep), sql };
  }
  if (options.target.includes(":")) throw new UsageError(`a from:to range ('${options.target}') is only for --sql mode`);
  const toBase = options.target === "base";
  return runOnline(
    ws,
    (rows) => toSteps(graph, rows, downgradePath(graph, rows, options.target), "downgrade"),
    {
      replan: absoluteTarget(options.target),
      ...(toBase ? { guard: (conn: DbConnection, steps: Step[]) => confirmLosingRows(ws, conn, steps, options.command ?? "downgrade base", options) } : {}),
    },
  );
}

export interface StampOptions extends CommonOptions {
  revisions: string[];
  purge?: boolean;
  sql?: boolean;
}

export async function stamp(options: StampOptions): Promise<{ heads: string[]; sql?: string }> {
  if (options.revisions.length === 0) throw new UserError("stamp needs at least one revision");
  const ws = new Workspace(options, options.sql ? "dialect" : "connection");
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
    await runInTransaction(conn, dialect, versionStatements(ws.context, change.actions));
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
  const created = await managedObjects(ws, steps.map((s) => ({ ...s, direction: "upgrade" as const })));
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
export async function refresh(options: CommonOptions & SeedAfterMigrate & ConfirmOptions = {}): Promise<MigrateResult & { seeded?: SeedResult }> {
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
    const names = [...schema.tables.map((t) => t.name), ...schema.enums.map((e) => `enum ${e.name}`), `${ws.config.versionTable} (version table)`];
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
