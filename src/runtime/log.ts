/**
 * The migration log: a second bookkeeping table next to the version table (named
 * `<versionTable>_log`), one row per revision applied, reverted, baselined or rehashed,
 * with the checksum of what the revision does, when, how long it took, the autogen
 * version, and the run (`batch`) it belonged to — Laravel's batches, which `rollback`
 * reverts. The version table stays what Alembic's is; the log only adds.
 *
 * The table is described as Schema IR and created through the dialect's own renderer,
 * so no dialect's SQL lives here; its rows are written with quoted literals.
 */
import { createRequire } from "node:module";
import type { DbConnection, Dialect } from "../dialects/dialect.js";
import { UserError } from "../errors.js";
import { revisionChecksum } from "../revisions/checksum.js";
import type { RevisionGraph } from "../revisions/graph.js";
import type { RevisionScript } from "../revisions/scripts.js";
import { appliedSet } from "../revisions/version-rows.js";
import { emptySchema, type TableIR } from "../schema/ir.js";

export type LogAction = "upgrade" | "downgrade" | "baseline" | "rehash";

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
   * later edits to those files are noticed too.
   */
  async ensure(graph: RevisionGraph<RevisionScript>, versionRows: readonly string[]): Promise<void> {
    if (await this.exists()) return;
    try {
      for (const sql of this.dialect.renderOp({ kind: "createTable", table: logTable(this.table) }, emptySchema(this.dialect.name))) {
        await this.conn.query(sql);
      }
    } catch (err) {
      // Another process migrating at the same moment created it first: that one baselines.
      if (await this.exists()) return;
      throw err;
    }
    const appliedNow = appliedSet(graph, versionRows);
    const applied = graph.order.filter((id) => appliedNow.has(id));
    if (applied.length === 0) return;
    const batch = await this.nextBatch();
    for (const id of applied) {
      await this.record({
        revision: id,
        action: "baseline",
        checksum: await revisionChecksum(graph.get(id), this.dialect.name),
        batch,
        durationMs: null,
      });
    }
  }

  async nextBatch(): Promise<number> {
    const rows = await this.conn.query<{ b: unknown }>(`SELECT MAX(${this.dialect.quoteIdent("batch")}) AS b FROM ${this.q}`);
    return Number(rows[0]?.b ?? 0) + 1;
  }

  async record(entry: Omit<LogEntry, "id" | "appliedAt" | "autogenVersion">): Promise<void> {
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
    await this.conn.query(`INSERT INTO ${this.q} (${cols.join(", ")}) VALUES (${values.join(", ")})`);
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
   * Applied revisions whose file records something else than when it was applied
   * (or last rehashed). Revisions the log has no checksum for are not judged.
   */
  async changedRevisions(
    graph: RevisionGraph<RevisionScript>,
    versionRows: readonly string[],
  ): Promise<Array<{ revision: string; path: string; logged: string; now: string }>> {
    const entries = await this.entries();
    if (entries.length === 0) return [];
    const latest = new Map<string, string>();
    for (const e of entries) if (e.action !== "downgrade" && e.checksum) latest.set(e.revision, e.checksum);
    const changed = [];
    const applied = appliedSet(graph, versionRows);
    for (const id of graph.order) {
      if (!applied.has(id)) continue;
      const logged = latest.get(id);
      if (logged === undefined) continue;
      const now = await revisionChecksum(graph.get(id), this.dialect.name);
      if (now !== logged) changed.push({ revision: id, path: graph.get(id).path, logged, now });
    }
    return changed;
  }

  /** Throws (exit 3 for `check`) naming each applied revision whose file changed. */
  async assertUnchanged(graph: RevisionGraph<RevisionScript>, versionRows: readonly string[], what: string): Promise<void> {
    const changed = await this.changedRevisions(graph, versionRows);
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
