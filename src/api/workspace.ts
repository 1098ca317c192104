/**
 * What every command starts from: the resolved configuration, its dialect, the revision
 * scripts and their graph, and (when a command needs one) a database connection with
 * the version table's rows.
 */
import { loadConfig, type ConfigOverrides, type ResolvedConfig } from "../config/config.js";
import type { DbConnection, Dialect } from "../dialects/dialect.js";
import { getDialect } from "../dialects/index.js";
import { RevisionGraph } from "../revisions/graph.js";
import { loadRevisionScripts, type RevisionScript } from "../revisions/scripts.js";
import type { ExecutionContext } from "../runtime/execute.js";

export interface CommonOptions extends ConfigOverrides {
  /** Where human-readable progress goes (default: nowhere; the CLI passes stdout). */
  log?: (line: string) => void;
}

export class Workspace {
  readonly config: ResolvedConfig;
  readonly dialect: Dialect;
  readonly log: (line: string) => void;
  private cachedGraph?: RevisionGraph<RevisionScript>;

  constructor(options: CommonOptions = {}) {
    this.config = loadConfig(options);
    this.dialect = getDialect(this.config.dialect);
    this.log = options.log ?? (() => {});
  }

  get context(): ExecutionContext {
    return {
      dialect: this.dialect,
      versionTable: this.config.versionTable,
      excludeTables: this.config.excludeTables,
      ...(this.config.schema ? { schema: this.config.schema } : {}),
    };
  }

  /** The revision graph of every script in the version locations (loaded once). */
  graph(): RevisionGraph<RevisionScript> {
    this.cachedGraph ??= RevisionGraph.fromNodes(loadRevisionScripts(this.config.versionLocations));
    return this.cachedGraph;
  }

  /** Forget the loaded scripts (after a command wrote a new one). */
  reloadGraph(): RevisionGraph<RevisionScript> {
    this.cachedGraph = undefined;
    return this.graph();
  }

  async connect(): Promise<DbConnection> {
    return this.dialect.connect(this.config.url);
  }

  async withConnection<T>(fn: (conn: DbConnection) => Promise<T>): Promise<T> {
    const conn = await this.connect();
    try {
      return await fn(conn);
    } finally {
      await conn.close();
    }
  }

  /** Creates the version table if it does not exist yet. */
  async ensureVersionTable(conn: DbConnection): Promise<void> {
    for (const sql of this.dialect.versionTable.create(this.config.versionTable)) await conn.query(sql);
  }

  /** The version table's rows (one per applied head); none when the table does not exist. */
  async readHeads(conn: DbConnection): Promise<string[]> {
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await conn.query(this.dialect.versionTable.selectAll(this.config.versionTable));
    } catch (err) {
      if (await this.versionTableExists(conn)) throw err;
      return [];
    }
    return rows.map((r) => String(r.version_num)).sort();
  }

  private async versionTableExists(conn: DbConnection): Promise<boolean> {
    const probe = this.dialect.versionTable.exists(this.config.versionTable, this.config.schema);
    return (await conn.query(probe)).length > 0;
  }
}
