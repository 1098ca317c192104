/**
 * The migration log: a second bookkeeping table next to the version table (named
 * `<versionTable>_log`), one row per revision applied, reverted, baselined or rehashed,
 * with the checksum of what the revision does, when, how long it took, the autogen
 * version, and the run (`batch`) it belonged to — Laravel's batches, which `rollback`
 * reverts. The version table stays what Alembic's is; the log only adds.
 *
 * The table is described as Schema IR and created through the dialect's own renderer,
 * so no dialect's SQL lives here; its rows are written with quoted literals.
 *
 * A step's row is written in the step's own transaction, with its version-table update
 * (`journal`), where the database has transactional DDL: a kill leaves both or neither.
 * Baseline rows are written in the transaction that creates the table. Where a row is
 * missing anyway (MySQL/MariaDB, whose DDL commits as it runs; a database migrated by an
 * older autogen), `check` says so (exit 3) and `upgrade` records the file's checksum as a
 * `baseline` and says so: whether the file changed before that cannot be known, since
 * nothing was recorded to compare with. A `partial` row marks a revision part of which
 * took effect on its own (runtime/existing-objects.ts resumes it); the step's row removes
 * it, so it stays only while a run of that revision is unfinished.
 */
import { createRequire } from "node:module";
import type { DbConnection, Dialect } from "../dialects/dialect.js";
import { UserError } from "../errors.js";
import { compareChecksum, revisionChecksum } from "../revisions/checksum.js";
import type { RevisionGraph } from "../revisions/graph.js";
import type { RevisionScript } from "../revisions/scripts.js";
import { appliedSet } from "../revisions/version-rows.js";
import { emptySchema, type TableIR } from "../schema/ir.js";
import type { Step, StepJournal } from "./execute.js";
import { runInTransaction } from "./transaction.js";

export type LogAction = "upgrade" | "downgrade" | "baseline" | "rehash" | "partial";

/** What the log says about the applied revisions' files. */
export interface LogAudit {
  /** The file records something else than its checksum in the log. */
  changed: Array<{ revision: string; path: string; logged: string; now: string }>;
  /** No row with a checksum: applied while its row was not written. */
  missing: Array<{ revision: string; path: string }>;
  /** Logged with a recorded checksum the file (now with side effects) cannot be compared to without running it. */
  unverifiable: Array<{ revision: string; path: string }>;
}

export interface LogEntry {
  id: number;
  revision: string;
  action: LogAction;
  checksum: string | null;
  batch: number;
  appliedAt: string;
  durationMs: number | null;
  autogenVersion: string;
}

export const logTableName = (versionTable: string) => `${versionTable}_log`;

const AUTOGEN_VERSION = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;

function logTable(name: string): TableIR {
  const text = (column: string, length: number, nullable = false) => ({ name: column, type: "varchar", length, nullable });
  const int = (column: string, nullable = false) => ({ name: column, type: "integer", nullable });
  return {
    name,
    columns: [
      { name: "id", type: "integer", nullable: false, generated: "increment" },
      text("revision", 255),
      text("action", 16),
      text("checksum", 64, true),
      int("batch"),
      // ISO 8601 text: the same on every dialect, and sorts by time.
      text("applied_at", 32),
      int("duration_ms", true),
      text("autogen_version", 32),
    ],
    primaryKey: { columns: ["id"] },
    foreignKeys: [],
    uniques: [],
    indexes: [],
    checks: [],
  };
}

export class MigrationLog {
  readonly table: string;

  constructor(
    private readonly conn: DbConnection,
    private readonly dialect: Dialect,
    versionTable: string,
    private readonly schema?: string,
  ) {
    this.table = logTableName(versionTable);
  }

  private get q(): string {
    return this.dialect.quoteIdent(this.table);
  }

  async exists(): Promise<boolean> {
    return (await this.conn.query(this.dialect.versionTable.exists(this.table, this.schema))).length > 0;
  }

  /**
   * Creates the log if it is missing. A database already in use (revisions applied before
   * the log existed) gets a `baseline` row per applied revision with today's checksum, so
   * later edits to those files are noticed too; table and rows in one transaction.
   */
  async ensure(graph: RevisionGraph<RevisionScript>, versionRows: readonly string[]): Promise<void> {
    if (await this.exists()) return;
    const appliedNow = appliedSet(graph, versionRows);
    const applied = graph.order.filter((id) => appliedNow.has(id));
    const statements = this.dialect.renderOp({ kind: "createTable", table: logTable(this.table) }, emptySchema(this.dialect.name));
    for (const id of applied) {
      statements.push(
        this.insertSql({
          revision: id,
          action: "baseline",
          checksum: await revisionChecksum(graph.get(id), this.dialect.name),
          batch: 1,
          durationMs: null,
        }),
      );
    }
    try {
      await runInTransaction(this.conn, this.dialect, statements);
    } catch (err) {
      // Another process migrating at the same moment created it first: that one baselines.
      if (await this.exists()) return;
      throw err;
    }
  }

  /**
   * `stamp`: a `baseline` row for each revision the new version rows apply that the old
   * ones did not, with its file's checksum (run with the version rows' change).
   */
  async stampStatements(graph: RevisionGraph<RevisionScript>, before: readonly string[], after: readonly string[]): Promise<string[]> {
    const was = appliedSet(graph, before);
    const now = appliedSet(graph, after);
    const batch = await this.nextBatch();
    const statements: string[] = [];
    for (const id of graph.order) {
      if (!now.has(id) || was.has(id)) continue;
      const checksum = await revisionChecksum(graph.get(id), this.dialect.name);
      statements.push(this.insertSql({ revision: id, action: "baseline", checksum, batch, durationMs: null }));
    }
    return statements;
  }

  /** The log's side of running steps in run `batch` (see StepJournal). */
  journal(batch: number): StepJournal {
    const checksum = async (step: Step) => revisionChecksum(step.script, this.dialect.name);
    // Revisions with `partial` rows (written by this run, or left by an interrupted one):
    // the row that records the step as done removes them, so one stays only while a run is unfinished.
    const marked = new Set<string>();
    const q = this.dialect.quoteIdent;
    const lit = this.dialect.quoteLiteral;
    return {
      record: async (step, durationMs) => {
        const id = step.script.revision;
        const row = this.insertSql({ revision: id, action: step.direction, checksum: await checksum(step), batch, durationMs });
        if (!marked.has(id)) return [row];
        return [row, `DELETE FROM ${this.q} WHERE ${q("revision")} = ${lit(id)} AND ${q("action")} = ${lit("partial")}`];
      },
      partial: (step) => {
        marked.add(step.script.revision);
        return [this.insertSql({ revision: step.script.revision, action: "partial", checksum: null, batch, durationMs: null })];
      },
      interrupted: async (step) => {
        const mine = (await this.entries()).filter((e) => e.revision === step.script.revision);
        const stopped = mine.some((e) => e.action === "partial");
        if (stopped) marked.add(step.script.revision);
        return stopped;
      },
    };
  }

  async nextBatch(): Promise<number> {
    const rows = await this.conn.query<{ b: unknown }>(`SELECT MAX(${this.dialect.quoteIdent("batch")}) AS b FROM ${this.q}`);
    return Number(rows[0]?.b ?? 0) + 1;
  }

  async record(entry: Omit<LogEntry, "id" | "appliedAt" | "autogenVersion">): Promise<void> {
    await this.conn.query(this.insertSql(entry));
  }

  private insertSql(entry: Omit<LogEntry, "id" | "appliedAt" | "autogenVersion">): string {
    const lit = (v: string | number | null) =>
      v === null ? "NULL" : typeof v === "number" ? String(Math.round(v)) : this.dialect.quoteLiteral(v);
    const cols = ["revision", "action", "checksum", "batch", "applied_at", "duration_ms", "autogen_version"].map((c) =>
      this.dialect.quoteIdent(c),
    );
    const values = [
      entry.revision,
      entry.action,
      entry.checksum,
      entry.batch,
      new Date().toISOString(),
      entry.durationMs,
      AUTOGEN_VERSION,
    ].map(lit);
    return `INSERT INTO ${this.q} (${cols.join(", ")}) VALUES (${values.join(", ")})`;
  }

  /** Every row, oldest first. */
  async entries(): Promise<LogEntry[]> {
    if (!(await this.exists())) return [];
    const rows = await this.conn.query<Record<string, unknown>>(`SELECT * FROM ${this.q} ORDER BY ${this.dialect.quoteIdent("id")}`);
    return rows.map((r) => ({
      id: Number(r.id),
      revision: String(r.revision),
      action: String(r.action) as LogAction,
      checksum: r.checksum === null || r.checksum === undefined ? null : String(r.checksum),
      batch: Number(r.batch),
      appliedAt: String(r.applied_at),
      durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
      autogenVersion: String(r.autogen_version),
    }));
  }

  /**
   * The applied revisions' files against their latest checksum in the log (upgrade,
   * baseline or rehash, not followed by a downgrade).
   */
  async audit(graph: RevisionGraph<RevisionScript>, versionRows: readonly string[]): Promise<LogAudit> {
    const audit: LogAudit = { changed: [], missing: [], unverifiable: [] };
    if (!(await this.exists())) return audit;
    // The checksum in force: the last row that applied, baselined or rehashed the revision,
    // unless a downgrade came after it (then the re-apply's row is what is missing).
    const latest = new Map<string, string | undefined>();
    for (const e of await this.entries()) {
      if (e.action === "downgrade") latest.set(e.revision, undefined);
      else if (e.action !== "partial" && e.checksum) latest.set(e.revision, e.checksum);
    }
    const applied = appliedSet(graph, versionRows);
    for (const id of graph.order) {
      if (!applied.has(id)) continue;
      const script = graph.get(id);
      const logged = latest.get(id);
      if (logged === undefined) {
        audit.missing.push({ revision: id, path: script.path });
        continue;
      }
      const { verdict, now } = await compareChecksum(script, this.dialect.name, logged);
      if (verdict === "changed") audit.changed.push({ revision: id, path: script.path, logged, now });
      else if (verdict === "unverifiable") audit.unverifiable.push({ revision: id, path: script.path });
    }
    return audit;
  }

  /**
   * Gives every applied revision without a usable checksum (missing, or recorded by an
   * older autogen from code that is no longer run outside an apply) a row with its
   * file's checksum now, in one transaction; returns the one line saying so, if any.
   */
  async repair(graph: RevisionGraph<RevisionScript>, versionRows: readonly string[]): Promise<string | undefined> {
    const { missing, unverifiable } = await this.audit(graph, versionRows);
    if (missing.length === 0 && unverifiable.length === 0) return undefined;
    const batch = await this.nextBatch();
    const statements: string[] = [];
    for (const [list, action] of [
      [missing, "baseline"],
      [unverifiable, "rehash"],
    ] as const) {
      for (const r of list) {
        const checksum = await revisionChecksum(graph.get(r.revision), this.dialect.name);
        statements.push(this.insertSql({ revision: r.revision, action, checksum, batch, durationMs: null }));
      }
    }
    await runInTransaction(this.conn, this.dialect, statements);
    const parts = [];
    if (missing.length) {
      parts.push(
        `applied revision(s) ${missing.map((m) => m.revision).join(", ")} had no row in the migration log (applied while it was not written); their files' checksums now are recorded as a baseline`,
      );
    }
    if (unverifiable.length) {
      parts.push(
        `the log's checksums of ${unverifiable.map((m) => m.revision).join(", ")} were recorded by running their code, which autogen no longer does outside an apply; their files' text checksums are recorded instead (rehash)`,
      );
    }
    return `note: ${parts.join("; ")}; an edit made before now cannot be detected`;
  }

  /**
   * Throws (exit 3 for `check`) naming each applied revision whose file changed; with
   * `unjudged`, also one the log has no usable checksum for (`check`: `upgrade` repairs it).
   */
  async assertUnchanged(
    graph: RevisionGraph<RevisionScript>,
    versionRows: readonly string[],
    what: string,
    options: { unjudged?: boolean } = {},
  ): Promise<void> {
    const audit = await this.audit(graph, versionRows);
    const changed = audit.changed;
    const unjudged = [...audit.missing, ...audit.unverifiable];
    if (changed.length === 0 && options.unjudged && unjudged.length > 0) {
      const list = unjudged.map((c) => `${c.revision} (${c.path})`).join(", ");
      const error = new UserError(
        `${what}: applied revision${unjudged.length > 1 ? "s" : ""} ${list} ${unjudged.length > 1 ? "have" : "has"} no checksum in the migration log to compare ${unjudged.length > 1 ? "their files" : "its file"} with ` +
          `(${audit.missing.length ? "its row was never written" : "the logged one was recorded by running its code"}), so an edit would go unnoticed; ` +
          `\`autogen upgrade\` records the file's checksum now (whether it changed before cannot be known), as does \`autogen stamp --rehash ${unjudged[0]!.revision}\``,
        3,
      );
      error.category = "state";
      throw error;
    }
    if (changed.length === 0) return;
    const list = changed.map((c) => `${c.revision} (${c.path})`).join(", ");
    // Exit 3 from every command that reports it (check, upgrade): the database's state, not a usage error.
    const error = new UserError(
      `${what}: applied revision${changed.length > 1 ? "s" : ""} ${list} changed since ${changed.length > 1 ? "they were" : "it was"} applied (checksum ${changed[0]!.logged.slice(0, 12)} in the log, ${changed[0]!.now.slice(0, 12)} now); ` +
        `if the edit is intended, accept it with \`autogen stamp --rehash ${changed[0]!.revision}\`, otherwise restore the file`,
      3,
    );
    error.category = "state";
    throw error;
  }
}
