/**
 * Runs an online revision (`export const online = true`): each op is one step, run by
 * the dialect's online support (Dialect.online) in its own short transaction(s), so no
 * lock is held for longer than one step. The steps done are recorded in a progress table
 * next to the version table (`<versionTable>_online`), each mark committed with its
 * step's last transaction; a run killed at any step leaves the steps before it marked,
 * and the next `upgrade` (or `downgrade`) resumes with the first unmarked one (a batched
 * step from the cursor its last committed batch saved). The version row is written, and
 * the revision's progress rows deleted, in one last transaction.
 *
 * The progress table is described as Schema IR and created through the dialect's own
 * renderer, as the migration log is, so no database's SQL lives here.
 */
import { createHash } from "node:crypto";
import type { DbConnection, Dialect, OnlineSettings } from "../dialects/dialect.js";
import { UserError } from "../errors.js";
import { SchemaState } from "../ops/apply.js";
import type { Op } from "../ops/ops.js";
import { emptySchema, type TableIR } from "../schema/ir.js";
import type { ExecutionContext, Step } from "./execute.js";
import { canonical } from "../schema/canonical.js";

export const onlineProgressTableName = (versionTable: string) => `${versionTable}_online`;

export const DEFAULT_ONLINE_SETTINGS: OnlineSettings = { lockTimeoutMs: 500, retries: 10, retryDelayMs: 200 };

/** The revision runs as an online one here: it says so and the database has online support. */
export function runsOnline(step: Step, dialect: Dialect): boolean {
  return step.script.online === true && dialect.online !== undefined;
}

function progressTable(name: string): TableIR {
  const text = (column: string, length: number, nullable = false) => ({ name: column, type: "varchar", length, nullable });
  return {
    name,
    columns: [
      text("revision", 255),
      text("direction", 16),
      { name: "step", type: "integer", nullable: false },
      text("checksum", 64),
      text("cursor", 1000, true),
      { name: "done", type: "integer", nullable: false },
    ],
    primaryKey: { columns: ["revision", "direction", "step"] },
    foreignKeys: [],
    uniques: [],
    indexes: [],
    checks: [],
  };
}

const opChecksum = (op: Op) =>
  createHash("sha256")
    .update(JSON.stringify(canonical(op)))
    .digest("hex");

interface ProgressRow {
  step: number;
  checksum: string;
  cursor: string | null;
  done: boolean;
}

class Progress {
  private readonly q: string;
  constructor(
    private readonly conn: DbConnection,
    private readonly dialect: Dialect,
    private readonly table: string,
    private readonly schema: string | undefined,
    private readonly step: Step,
  ) {
    this.q = dialect.quoteIdent(table);
  }

  private get key(): string {
    const lit = this.dialect.quoteLiteral;
    const id = this.dialect.quoteIdent;
    return `${id("revision")} = ${lit(this.step.script.revision)} AND ${id("direction")} = ${lit(this.step.direction)}`;
  }

  async ensure(): Promise<void> {
    if ((await this.conn.query(this.dialect.versionTable.exists(this.table, this.schema))).length > 0) return;
    for (const sql of this.dialect.renderOp({ kind: "createTable", table: progressTable(this.table) }, emptySchema(this.dialect.name))) {
      await this.conn.query(sql);
    }
  }

  async rows(): Promise<Map<number, ProgressRow>> {
    const id = this.dialect.quoteIdent;
    const rows = await this.conn.query<Record<string, unknown>>(
      `SELECT ${id("step")}, ${id("checksum")}, ${id("cursor")}, ${id("done")} FROM ${this.q} WHERE ${this.key}`,
    );
    return new Map(
      rows.map((r) => [
        Number(r.step),
        {
          step: Number(r.step),
          checksum: String(r.checksum),
          cursor: r.cursor === null ? null : String(r.cursor),
          done: Number(r.done) === 1,
        },
      ]),
    );
  }

  async start(index: number, checksum: string): Promise<void> {
    const lit = this.dialect.quoteLiteral;
    const cols = ["revision", "direction", "step", "checksum", "done"].map((c) => this.dialect.quoteIdent(c)).join(", ");
    await this.conn.query(
      `INSERT INTO ${this.q} (${cols}) VALUES (${lit(this.step.script.revision)}, ${lit(this.step.direction)}, ${index}, ${lit(checksum)}, 0)`,
    );
  }

  private where(index: number): string {
    return `${this.key} AND ${this.dialect.quoteIdent("step")} = ${index}`;
  }

  done(index: number): string {
    return `UPDATE ${this.q} SET ${this.dialect.quoteIdent("done")} = 1 WHERE ${this.where(index)}`;
  }

  saveCursor(index: number, value: string): string {
    return `UPDATE ${this.q} SET ${this.dialect.quoteIdent("cursor")} = ${this.dialect.quoteLiteral(value)} WHERE ${this.where(index)}`;
  }

  clear(): string {
    return `DELETE FROM ${this.q} WHERE ${this.key}`;
  }
}

export interface OnlineRunHooks {
  /** Records the revision's ops (no database). */
  record(): Promise<Op[]>;
  /** Reads the schema from the database. */
  reread(): Promise<SchemaState>;
  /** Checks the version table still holds the rows the step was planned from. */
  checkRows(): Promise<void>;
  /** The statements writing the version rows (and the log row), run in the last transaction. */
  finish(): Promise<string[]>;
  notify(line: string): void;
  /** Rows done of about `total`, for a status line (a terminal only). */
  progress?(label: string, done: number, total: number | undefined): void;
}

const describeOp = (op: Op) => {
  const o = op as { kind: string; table?: unknown };
  return typeof o.table === "string" ? `${o.kind} ${o.table}` : o.kind;
};

/** Runs (or resumes) one online revision; see the module comment. */
export async function executeOnlineStep(conn: DbConnection, ctx: ExecutionContext, step: Step, hooks: OnlineRunHooks): Promise<void> {
  const online = ctx.dialect.online!;
  const session = online.session(ctx.online ?? DEFAULT_ONLINE_SETTINGS);
  // Catalog reads and bookkeeping wait for locks no longer than the steps do.
  for (const sql of session.begin) await conn.query(sql);
  try {
    await runSteps(conn, ctx, step, hooks);
  } finally {
    for (const sql of session.end) await conn.query(sql).catch(() => undefined);
  }
}

async function runSteps(conn: DbConnection, ctx: ExecutionContext, step: Step, hooks: OnlineRunHooks): Promise<void> {
  const { dialect } = ctx;
  const online = dialect.online!;
  const settings = ctx.online ?? DEFAULT_ONLINE_SETTINGS;
  const progress = new Progress(conn, dialect, onlineProgressTableName(ctx.versionTable), ctx.schema, step);
  const reread = () => online.retry(settings, "reading the schema", hooks.reread, hooks.notify);
  await hooks.checkRows();
  await progress.ensure();
  const ops = await hooks.record();
  const saved = await progress.rows();
  const checksums = ops.map(opChecksum);
  for (const row of saved.values()) {
    if (checksums[row.step] !== row.checksum) {
      throw new UserError(
        `${step.script.path}: an interrupted ${step.direction} of ${step.script.revision} stopped at step ${row.step + 1}, and the file's steps changed since; ` +
          `restore the file as it was to resume, or finish or undo the steps by hand and delete its rows from ${onlineProgressTableName(ctx.versionTable)}`,
      );
    }
  }
  const resumed = [...saved.values()].filter((r) => r.done).length;
  if (resumed > 0) hooks.notify(`  resuming: ${resumed} of ${ops.length} step(s) were done by an interrupted run`);
  let state = await reread();
  for (const [i, op] of ops.entries()) {
    const row = saved.get(i);
    if (row?.done) continue;
    if (!row) await progress.start(i, checksums[i]!);
    hooks.notify(`  step ${i + 1}/${ops.length}: ${describeOp(op)}`);
    await online.runOp(op, {
      conn,
      state: state.schema,
      settings,
      done: [progress.done(i)],
      cursor: { saved: row?.cursor ?? null, save: (value) => progress.saveCursor(i, value) },
      progress: (n, total) => hooks.progress?.(describeOp(op), n, total),
      notify: hooks.notify,
    });
    try {
      state.apply(op);
    } catch {
      // An op whose effect the state cannot model (or that found part of it done): read it back.
      state = await reread();
    }
  }
  for (const sql of dialect.beginTransaction()) await conn.query(sql);
  try {
    await hooks.checkRows();
    for (const sql of await hooks.finish()) await conn.query(sql);
    await conn.query(progress.clear());
    for (const sql of dialect.commitTransaction()) await conn.query(sql);
  } catch (err) {
    for (const sql of dialect.rollbackTransaction()) await conn.query(sql).catch(() => undefined);
    throw err;
  }
}
