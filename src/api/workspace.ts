/**
 * What every command starts from: the resolved configuration, its dialect, the revision
 * scripts and their graph, and (when a command needs one) a database connection with
 * the version table's rows.
 */
import {
  DEFAULT_CONFIG_FILE,
  loadConfig,
  missingUrlError,
  redactUrl,
  type ConfigOverrides,
  type DatabaseNeed,
  type ResolvedConfig,
} from "../config/config.js";
import type { DbConnection, Dialect } from "../dialects/dialect.js";
import { dialectOfUrl, getDialect } from "../dialects/index.js";
import { UserError, categorize } from "../errors.js";
import { RevisionGraph } from "../revisions/graph.js";
import { listRevisionFiles, loadRevisionScripts, type RevisionScript } from "../revisions/scripts.js";
import type { ExecutionContext } from "../runtime/execute.js";
import { logTableName, MigrationLog } from "../runtime/log.js";
import { onlineProgressTableName } from "../runtime/online.js";
import { transpileAheadAsync } from "../load/batch-transpile.js";
import { cancelPrefetch, compilePending, configureLoader, prefetchProgram } from "../load/program.js";
import { requireFromProject } from "../load/typescript.js";
import { matchEntityFiles } from "../models/sources.js";
import { sessionStatements, startSession } from "../runtime/session.js";
import type { ProgressSink } from "./progress.js";

export interface CommonOptions extends ConfigOverrides {
  /** Where human-readable progress goes (default: nowhere; the CLI passes stdout). */
  log?: (line: string) => void;
  /** A status line for long work (default: none; the CLI passes one on a terminal). */
  progress?: ProgressSink;
  /**
   * Run on this workspace instead of loading the config again: a fleet runs each
   * tenant's command in a workspace derived from one (`Workspace.forTarget`).
   */
  workspace?: Workspace;
}

/**
 * Where a workspace's connections come from when not opened and closed per command
 * (a fleet's bounded pool, src/fleet/pool.ts). `release` is told whether the work on
 * the connection failed, after which it may be in any state.
 */
export interface ConnectionSource {
  acquire(url: string, dialect: Dialect, session: readonly string[]): Promise<DbConnection>;
  release(conn: DbConnection, failed: boolean): Promise<void>;
}

export class Workspace {
  readonly config: ResolvedConfig;
  private currentDialect: Dialect;
  readonly log: (line: string) => void;
  readonly progress: ProgressSink | undefined;
  private cachedGraph?: RevisionGraph<RevisionScript>;
  private connections?: ConnectionSource;

  /** `options.workspace` when given (a fleet's tenant), else a new workspace from the config. */
  static open(options: CommonOptions = {}, need: DatabaseNeed = "connection"): Workspace {
    return options.workspace ?? new Workspace(options, need);
  }

  /** `need`: what the command requires of the database settings (default: a URL to connect to). */
  constructor(options: CommonOptions = {}, need: DatabaseNeed = "connection") {
    let config: ResolvedConfig;
    try {
      config = loadConfig(options, need);
    } catch (err) {
      throw categorize(err, "config");
    }
    // The migration log is bookkeeping like the version table: never models, never drift.
    this.config = {
      ...config,
      excludeTables: [...config.excludeTables, logTableName(config.versionTable), onlineProgressTableName(config.versionTable)],
    };
    this.currentDialect = getDialect(this.config.dialect);
    this.log = options.log ?? (() => {});
    this.progress = options.progress;
  }

  /** The configured database's dialect; once connected, as that server speaks it (Dialect.forServer). */
  get dialect(): Dialect {
    return this.currentDialect;
  }

  get context(): ExecutionContext {
    return {
      dialect: this.dialect,
      versionTable: this.config.versionTable,
      excludeTables: this.config.excludeTables,
      ...(this.config.schema ? { schema: this.config.schema } : {}),
      online: {
        lockTimeoutMs: this.config.onlineLock.timeoutMs,
        retries: this.config.onlineLock.retries,
        retryDelayMs: this.config.onlineLock.retryDelayMs,
      },
      // An online backfill's rows, on the status line (shown on a terminal only).
      ...(this.progress
        ? {
            progress: (label: string, done: number, total: number | undefined) =>
              // The table's size decides whether the status line shows (a big backfill does).
              this.progress?.phase(
                `${label}: ${done.toLocaleString("en-US")}${total ? ` of ~${total.toLocaleString("en-US")}` : ""} rows`,
                total,
              ),
          }
        : {}),
    };
  }

  /** The revision graph of every script in the version locations (loaded once). */
  graph(): RevisionGraph<RevisionScript> {
    try {
      this.cachedGraph ??= RevisionGraph.fromNodes(loadRevisionScripts(this.config.versionLocations));
    } catch (err) {
      throw categorize(err, "config");
    }
    return this.cachedGraph;
  }

  /**
   * Starts compiling the entities in the background (commands that read the models call
   * this first), so the compiler runs while the revision files load and the database
   * connects. Problems are not reported here: reading the models reports them.
   */
  private prefetchModels(): void {
    const { dataSource, entities, baseDir, tsconfig, cacheDir } = this.config;
    if (dataSource || entities.length === 0) return;
    try {
      // Always: an earlier command in this process may have named another project's cache.
      configureLoader({ cacheDir });
      prefetchProgram(matchEntityFiles(entities, baseDir), { baseDir, ...(tsconfig !== undefined ? { tsconfig } : {}) });
    } catch {
      // reported by the models read
    }
  }

  /**
   * While the entities compile in another process (a cold run: a second or more), the
   * revision files the cache lacks are transpiled by a process of their own and TypeORM,
   * which reading the models needs next, is loaded here: work taken off the path that
   * waits for the compiler. Nothing is reported here; loading the revisions and the
   * models does that.
   */
  private async whileCompiling(): Promise<void> {
    if (!compilePending()) return;
    let revisions: Promise<void> = Promise.resolve();
    try {
      revisions = transpileAheadAsync(listRevisionFiles(this.config.versionLocations));
    } catch {
      // an unreadable versions path is reported by graph()
    }
    try {
      requireFromProject(this.config.baseDir, "typeorm");
    } catch {
      // reported by the models read
    }
    await revisions;
  }

  /** Runs `fn` (a command that reads the models) with the entities compiling in the background meanwhile. */
  async withModelsPrefetched<T>(fn: () => Promise<T>): Promise<T> {
    this.prefetchModels();
    try {
      await this.whileCompiling();
      return await fn();
    } finally {
      await cancelPrefetch();
    }
  }

  /**
   * The same project on another database or schema (a tenant): the config and the
   * loaded revisions are shared, only the URL, its dialect and the schema differ.
   */
  forTarget(
    target: { url: string; schema?: string },
    options: { log?: (line: string) => void; connections?: ConnectionSource } = {},
  ): Workspace {
    const dialect = dialectOfUrl(target.url);
    if (!dialect) throw categorize(new UserError(`unsupported database URL "${redactUrl(target.url)}"`), "config");
    const config: ResolvedConfig = { ...this.config };
    delete config.schema;
    const ws = Object.create(Workspace.prototype) as Workspace;
    Object.assign(ws, {
      config: { ...config, url: target.url, dialect: dialect.name, ...(target.schema ? { schema: target.schema } : {}) },
      currentDialect: dialect,
      log: options.log ?? (() => {}),
      progress: undefined,
      cachedGraph: this.graph(),
      connections: options.connections,
    });
    return ws;
  }

  /** Forget the loaded scripts (after a command wrote a new one). */
  reloadGraph(): RevisionGraph<RevisionScript> {
    this.cachedGraph = undefined;
    return this.graph();
  }

  async connect(): Promise<DbConnection> {
    if (!this.config.url) throw categorize(missingUrlError(this.config.file ?? DEFAULT_CONFIG_FILE, this.config.urlPassedOver), "config");
    let conn: DbConnection;
    try {
      conn = this.connections
        ? await this.connections.acquire(this.config.url, this.dialect, sessionStatements(this.context))
        : await this.dialect.connect(this.config.url);
    } catch (err) {
      throw categorize(err, "connect");
    }
    this.currentDialect = this.currentDialect.forServer?.(conn) ?? this.currentDialect;
    try {
      await startSession(conn, this.context);
    } catch (err) {
      await this.closeConnection(conn, true);
      // Connected, but the configured schema is not there: the configuration's mistake.
      throw categorize(err, "config");
    }
    return conn;
  }

  /**
   * Runs `fn` on a fresh connection. A database error that escapes it (permissions,
   * a dropped connection) is the environment's, not a bug: one line naming the database.
   */
  async withConnection<T>(fn: (conn: DbConnection) => Promise<T>): Promise<T> {
    const conn = await this.connect();
    let failed = true;
    try {
      const result = await fn(conn);
      failed = false;
      return result;
    } catch (err) {
      if (this.isDriverError(err)) {
        throw withCause(new UserError(`database error on ${redactUrl(this.config.url)}: ${firstLine(err)}`), err);
      }
      throw err;
    } finally {
      await this.closeConnection(conn, failed);
    }
  }

  private async closeConnection(conn: DbConnection, failed: boolean): Promise<void> {
    if (this.connections) await this.connections.release(conn, failed);
    else await conn.close();
  }

  /** The migration log (`<versionTable>_log`) on `conn`. */
  migrationLog(conn: DbConnection): MigrationLog {
    return new MigrationLog(conn, this.dialect, this.config.versionTable, this.config.schema);
  }

  /** Creates the version table if it does not exist yet. */
  async ensureVersionTable(conn: DbConnection): Promise<void> {
    try {
      for (const sql of this.dialect.versionTable.create(this.config.versionTable)) await conn.query(sql);
    } catch (err) {
      if (!this.isDriverError(err)) throw err;
      throw withCause(new UserError(`cannot create the version table "${this.config.versionTable}": ${firstLine(err)}`), err);
    }
  }

  /** The version table's rows (one per applied head); none when the table does not exist. */
  async readHeads(conn: DbConnection): Promise<string[]> {
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await conn.query(this.dialect.versionTable.selectAll(this.config.versionTable));
    } catch (err) {
      if (!(await this.versionTableExists(conn))) return [];
      if (!this.isDriverError(err)) throw err;
      throw withCause(new UserError(`cannot read the version table "${this.config.versionTable}": ${firstLine(err)}`), err);
    }
    return rows.map((r) => String(r.version_num)).sort();
  }

  /** An error raised by the database or its driver (the dialect knows which), not a bug or a user mistake. */
  private isDriverError(err: unknown): err is Error {
    return !(err instanceof UserError) && this.dialect.isDriverError(err);
  }

  private async versionTableExists(conn: DbConnection): Promise<boolean> {
    const probe = this.dialect.versionTable.exists(this.config.versionTable, this.config.schema);
    return (await conn.query(probe)).length > 0;
  }
}

/** Keeps the driver's error for `--verbose`. */
function withCause(error: UserError, cause: unknown): UserError {
  (error as { cause?: unknown }).cause = cause;
  return error;
}

function firstLine(err: Error): string {
  return err.message.split("\n")[0] ?? "";
}
