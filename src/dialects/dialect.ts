/**
 * The one interface every database dialect implements. Everything a dialect knows
 * (catalog queries, type synonyms, DDL syntax, SQLite's table rebuild) stays behind it;
 * the differ, the writer and the runner only see the IR and `Op`s.
 */
import type { DatabaseDiffPhases } from "../diff/types.js";
import type { DatabaseLint } from "../lint/rules.js";
import type { Op } from "../ops/ops.js";
import type { ColumnTypeIR, DialectName, SchemaIR } from "../schema/ir.js";
import type { SqlLexis } from "./sql-lexis.js";
import type { TypeOrmMapping } from "./typeorm-mapping.js";

/** A live connection. Implementations count every statement sent in `queryCount`. */
export interface DbConnection {
  readonly dialect: DialectName;
  /** Run a statement and return its rows (empty for DDL). */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Statements sent since the connection opened (used to prove introspection is O(1) queries). */
  readonly queryCount: number;
  close(): Promise<void>;
}

export interface IntrospectOptions {
  /** Version table to leave out of the IR (it is never drift). */
  versionTable: string;
  /** Schema to read; defaults to the connection's default (`public` / `main`). */
  schema?: string;
  /** Further tables to leave out (e.g. TypeORM's own `migrations` table). */
  excludeTables?: string[];
}

export interface VersionTableSql {
  /** Creates the table if it does not exist. */
  create(table: string): string[];
  selectAll(table: string): string;
  /**
   * Statements, run first in a revision's transaction, that keep a second migrating
   * process out until it commits (none where the database serialises writers itself).
   */
  lock(table: string): string[];
  /**
   * Statements that make a second migrating process wait, for the whole run, until this
   * one is done (PostgreSQL's session advisory lock), and that release it. Absent where
   * the database has no such lock (SQLite: BEGIN IMMEDIATE and the busy timeout queue
   * writers per revision, and the runner plans again when another process moved on).
   */
  runLock?(table: string): { acquire: string[]; release: string[] };
  /**
   * Whether the rows a lock statement returned say the lock was taken. Absent where a
   * lock statement either takes the lock or fails (MySQL's GET_LOCK instead returns 0 on
   * a timeout and NULL on an error, and the run must not go on without it).
   */
  lockTaken?(rows: readonly Record<string, unknown>[]): boolean;
  /** A query returning one row when the version table exists, none otherwise (read-only commands must not create it). */
  exists(table: string, schema?: string): string;
  insert(table: string, revision: string): string;
  delete(table: string, revision: string): string;
  update(table: string, from: string, to: string): string;
  /** Drops the version table if it exists (`fresh`). */
  drop(table: string): string;
}

/**
 * The lock a migrating run holds, taken without blocking so that a waiting run can say
 * who holds it and give up after `--lock-timeout` (a silent wait behind a dead session
 * looks like a hang).
 */
export interface RunLock {
  /** Takes the lock if it is free; false when another session holds it. Never waits. */
  tryAcquire(conn: DbConnection): Promise<boolean>;
  /** Gives it back (closing the connection does too). */
  release(conn: DbConnection): Promise<void>;
  /** Who holds it, as the database tells (pid, application, since when), for one line; undefined when nobody does now. */
  holder(conn: DbConnection): Promise<string | undefined>;
}

/** Per-connection setup for a configured schema (PostgreSQL's search_path). */
export interface SessionSql {
  /** What every connection runs first, and what an offline script starts with. */
  statements(schema: string | undefined): string[];
  /** A query returning a row when `schema` exists; null where schemas do not apply (nothing to check). */
  schemaExists(schema: string): string | null;
}

/** A database made for one run of `autogen test` and dropped after it. */
export interface ScratchDatabase {
  url: string;
  /** What to show the user (no password). */
  name: string;
  /** Drops the database and creates it again, empty: nothing a revision made (types, functions, modules) survives. */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

/**
 * How the test suite reaches this database: a database joins the test matrix by declaring
 * this in its folder (test/helpers/databases.ts loops over the registry).
 */
export interface DialectTesting {
  /**
   * The URL `createScratch` makes test databases next to (read from an environment
   * variable with a local default); undefined where no server is needed (SQLite).
   */
  serverUrl(): string | undefined;
  /** The environment variable naming the server, for the "tests skipped" message. */
  readonly serverEnv?: string;
  /** The database's own command-line client running a script from stdin, stopping at the first error. */
  scriptClient(url: string): { command: string; args: string[] };
  /** A query for the names of the tables in the URL's database/schema, one column `name`, sorted. */
  readonly tablesQuery: string;
  /** On the server, a query for the names (column `name`) of the databases `autogen test` makes; absent where they are files. */
  readonly scratchDatabasesQuery?: string;
  /** Whether a value longer than its column's declared length is refused (SQLite keeps it), for tests that narrow a column. */
  readonly enforcesLengths: boolean;
  /** A statement that takes `seconds` on the server (a test keeps a transaction open with it); absent where none can wait. */
  pause?(seconds: number): string;
  /** A statement giving `table` the comment `comment` behind autogen's back (a drift no op can express); absent where tables have none. */
  setTableComment?(table: string, comment: string): string;
}

export interface DialectCapabilities {
  /**
   * A revision may run outside a transaction (`export const transaction = false`), one
   * statement at a time (PostgreSQL, for CREATE INDEX CONCURRENTLY). Where absent, such a
   * revision still runs in a transaction (SQLite's rebuilds need the transaction's
   * foreign-key handling).
   */
  outsideTransaction?: boolean;
  /** The longest identifier the database keeps, in bytes (PostgreSQL: 63); longer names are an error at autogenerate. */
  maxIdentifierBytes?: number;
  /** Why an `--online` revision is a plain one here (a dialect without `online` support), for the note in the file. */
  noOnlineForm?: string;
  /**
   * DDL can be rolled back: each revision runs in one transaction. Without it the
   * runner writes the version row after each revision and, on a failure, reports which
   * statements of the revision already ran.
   */
  transactionalDDL: boolean;
  /** Has named enum types (PostgreSQL); without them the differ never emits enum-type ops. */
  enumTypes: boolean;
  /** Can drop a constraint that has no name (SQLite rebuilds the table instead of dropping by name). */
  dropsUnnamedConstraints: boolean;
  /** Tables can live in a schema other than the connection's default (the config's "schema" applies). */
  schemas: boolean;
  /** Has materialized views (a view's `materialized`); where absent, one is refused or kept as a plain view. */
  materializedViews?: boolean;
}

/** The database server a CI job starts beside it (`autogen init --ci`). */
export interface CiService {
  /** The service's key in a GitHub workflow, and its host name in GitLab CI. */
  name: string;
  image: string;
  /** Variables the image creates its user and database from. */
  env: Readonly<Record<string, string>>;
  port: number;
  /** The command the container's health check runs. */
  healthCmd: string;
  /** The URL of that database, reached at `host`. */
  url(host: string): string;
}

/** How the database is named in a URL. */
export interface DialectUrls {
  /** Lower-case URL schemes (without ":") this dialect answers to. */
  readonly schemes: readonly string[];
  /** What a URL looks like, for error messages (`postgres://…`). */
  readonly example: string;
  /**
   * The URL as the dialect will connect with it, given the directory a relative part is
   * resolved against (an SQLite file path). Throws Error with a one-line reason when
   * the URL cannot name a database.
   */
  resolve(url: string, baseDir: string): string;
  /** npm packages (TypeORM's drivers for this database) whose presence in a project means it (`autogen init`). */
  readonly driverPackages: readonly string[];
  /**
   * A URL from a TypeORM DataSource's connection options, read from its file without
   * running it (`autogen init`, and the last source of the URL); undefined when they name no database.
   */
  fromConnectionOptions(options: ConnectionOptions): string | undefined;
}

/** The connection options of a TypeORM DataSource, as literals found in its file. */
export interface ConnectionOptions {
  /** TypeORM's driver type (`postgres`, `mariadb`, `better-sqlite3`…). */
  type?: string;
  host?: string;
  port?: string;
  username?: string;
  password?: string;
  database?: string;
}

/** Options of a TypeORM DataSource that connects to this database (seeding). */
export interface SeedDataSourceOptions {
  /** TypeORM driver types to try, in order (the first TypeORM has a driver for wins). */
  types: readonly string[];
  /** Connection options (url / database / schema), merged into the DataSource options. */
  options: Record<string, unknown>;
}

/** How many locks a server lets transactions hold (runtime/lock-budget.ts keeps each revision under it). */
export interface LockBudget {
  /** Lock slots shared by every session on the server. */
  total: number;
  /** The settings it comes from, for messages. */
  settings: string;
  /** What to change so one transaction can hold `needed` locks. */
  raise(needed: number): string;
}

/** Where one transaction can hold only so many locks (PostgreSQL's shared lock table). */
export interface LockSql {
  budgetQuery: string;
  budget(row: Record<string, unknown>): LockBudget;
  /** Keys of the locks `op` holds until commit; a key two ops share is one lock. */
  locksOf(op: Op): string[];
  /** The driver error for a full lock table. */
  isOutOfLocks(err: unknown): boolean;
}

/** A table seeded rows go into, and what each statement sends and reads back. */
export interface SeedInsertShape {
  /** The table's path as TypeORM names it: `[schema, name]` or `[name]`. */
  table: readonly string[];
  /** Columns given a value, in the order of each row's values. */
  columns: readonly string[];
  /** Columns the database fills in and the statement returns (keys, defaults), in this order. */
  returning: readonly string[];
}

/**
 * Writes seeded rows many at a time on the raw connection under a TypeORM query runner
 * (src/seed/bulk-insert.ts), inside the seed's transaction.
 */
export interface SeedRowWriter {
  /**
   * Inserts `count` rows given column by column (`values[c][r]`: row r's value of
   * `shape.columns[c]`, already converted by TypeORM's driver) and returns the
   * `shape.returning` values of each row, in the order written. Splits them into as few
   * statements as the driver's limits allow.
   */
  insert(shape: SeedInsertShape, values: readonly (readonly unknown[])[], count: number): Promise<unknown[][]>;
  /**
   * Starts reading what the writer needs to know about `table` (PostgreSQL: its column
   * types), so that the first batch's statement goes out without waiting for it.
   * Failures surface at the first `insert` into the table.
   */
  prepare?(table: readonly string[]): void;
  /** Statements sent so far, catalog reads included (work, not time: tests count them). */
  readonly statements: number;
}

/** Fast writes of seeded rows, where the dialect knows the TypeORM driver's raw connection. */
export interface SeedInsertSupport {
  /**
   * A writer on `queryRunner`'s own connection (a TypeORM DataSource and one of its
   * QueryRunners), or undefined when the DataSource's driver is not one this dialect can
   * write through (then save() writes every row).
   */
  writer(dataSource: unknown, queryRunner: unknown): Promise<SeedRowWriter | undefined>;
}

/** How an online revision waits for table locks (config `onlineLockTimeout`, `onlineRetries`, `onlineRetryDelay`). */
export interface OnlineSettings {
  /** Each statement gives up a lock it cannot get within this many milliseconds (writers queue behind it meanwhile). */
  lockTimeoutMs: number;
  /** Tries after the first, each after a pause that doubles from `retryDelayMs`. */
  retries: number;
  retryDelayMs: number;
}

/** What one step (op) of an online revision runs with; see runtime/online.ts. */
export interface OnlineStepContext {
  conn: DbConnection;
  /** The schema just before the op. */
  state: SchemaIR;
  settings: OnlineSettings;
  /** Statements that record the step done: run them in the step's last transaction. */
  done: string[];
  /** A batched step's resume point: the value saved by a killed run, and the statement saving a new one (in the batch's transaction). */
  cursor: { saved: string | null; save(value: string): string };
  /** Rows done so far (of about `total`), for a progress line on a terminal. */
  progress(done: number, total: number | undefined): void;
  notify(line: string): void;
}

/** The online form of a diff and a note per change that stays as it was (with why). */
export interface OnlinePlan {
  ops: Op[];
  /** For each op of `ops`, the index of the diff op it comes from (findings move with it). */
  origin: number[];
  /** `opIndex` refers to `ops`. */
  notes: { opIndex: number; message: string }[];
}

/**
 * Online revisions (`revision --autogenerate --online`): the lock-safe form of each
 * change, run one op per short transaction with a lock_timeout and retries, resumable
 * after a kill. Absent: the database runs an online revision as a plain one, with a note.
 */
export interface OnlineSupport {
  plan(ops: readonly Op[], before: SchemaIR): OnlinePlan;
  /** Runs one op of an online revision, idempotently where it cannot be one transaction. */
  runOp(op: Op, ctx: OnlineStepContext): Promise<void>;
  /** The same op as `--sql` writes it (each op's transaction spelled out). */
  renderOp(op: Op, state: SchemaIR, settings: OnlineSettings): string[];
  /** A line for the top of an online revision file and of its `--sql`. */
  readonly summary?: string;
  /** Statements that give the whole online run (catalog reads and bookkeeping too) the short lock wait. */
  session(settings: OnlineSettings): { begin: string[]; end: string[] };
  /** Runs `attempt`, retrying it with backoff while it fails for a lock it could not get in time. */
  retry<T>(settings: OnlineSettings, what: string, attempt: () => Promise<T>, notify: (line: string) => void): Promise<T>;
}

export interface Dialect {
  readonly name: DialectName;
  /** How the database is called in messages ("PostgreSQL"). */
  readonly title: string;
  readonly capabilities: DialectCapabilities;
  readonly urls: DialectUrls;
  /** The schema a connection works in when none is configured (`public`, `main`). */
  readonly defaultSchema: string;

  /** True for an error the database or its driver raised (as opposed to a bug or a user mistake). */
  isDriverError(err: unknown): err is Error;

  /** TypeORM metadata -> IR for this database, as TypeORM's own query runner writes it. */
  readonly typeorm: TypeOrmMapping;

  /** The TypeORM DataSource options seeders connect with, for a resolved URL. */
  seedDataSource(url: string, schema: string | undefined, userOptions: { type?: string; schema?: string }): SeedDataSourceOptions;

  /** Multi-row writes for `autogen seed`'s factories; absent: every row goes through TypeORM's save(). */
  readonly seedInsert?: SeedInsertSupport;

  /** Open a connection; a bad URL or unreachable server throws UserError with a one-line message. */
  connect(url: string): Promise<DbConnection>;

  /** Read the live schema with a fixed number of catalog queries (never one per table). Result is normalised. */
  introspect(conn: DbConnection, options: IntrospectOptions): Promise<SchemaIR>;

  /**
   * Canonicalise an IR from any producer: type synonyms, default expressions, names the
   * dialect cannot keep, sort order. Idempotent. Both sides pass through it before diffing.
   */
  normalizeSchema(schema: SchemaIR): SchemaIR;

  /** True when changing a column from `from` to `to` keeps every value (the differ flags the rest). */
  widens(from: ColumnTypeIR, to: ColumnTypeIR): boolean;

  /** The database's own part of the diff (objects and table options only it has); see ../diff/options.ts. */
  readonly diffPhases?: DatabaseDiffPhases;

  /** The database's own lint rules (PostgreSQL's locking rules), run after the shared ones. */
  readonly lint?: DatabaseLint;

  /**
   * SQL statements for one op. `state` is the schema just before the op (needed where
   * the dialect must rebuild a table, as SQLite does for most ALTERs).
   */
  renderOp(op: Op, state: SchemaIR, later?: readonly Op[]): string[];

  /**
   * SQL statements for consecutive ops of one revision, `state` being the schema before
   * the first. The same as rendering each op in turn, except where the dialect can do
   * several at once: SQLite rebuilds a table once for consecutive changes to it.
   * `later` / `following`: the ops of the revision that run after these (PostgreSQL adds
   * an enum value in place only when none of them uses it before the commit).
   */
  renderOps(ops: readonly Op[], state: SchemaIR, following?: readonly Op[]): string[];

  /** Statements that open / close one revision's transaction (SQLite also toggles foreign_keys around it). */
  beginTransaction(): string[];
  commitTransaction(): string[];
  rollbackTransaction(): string[];

  readonly versionTable: VersionTableSql;
  /** The lock for a whole migrating run on `table` (`timeoutMs`: how long later waits of the run may last, where the database waits by itself). */
  runLock(table: string, options: { timeoutMs?: number }): RunLock;
  readonly session: SessionSql;
  /** The server a CI job runs for this database; absent for a file database (SQLite), which needs none. */
  readonly ciService?: CiService;
  /** Absent where a transaction's lock count has no server-wide limit. */
  readonly locks?: LockSql;
  /** Online revisions; absent where they run as plain ones. */
  readonly online?: OnlineSupport;

  /**
   * The dialect as the server behind `conn` speaks it, where the SQL depends on the
   * server's flavour or version (MySQL vs MariaDB). Absent: one dialect fits every server.
   * Without a connection (`--sql`), the dialect as registered applies.
   */
  forServer?(conn: DbConnection): Dialect;
  /**
   * Offline (`check --offline`), the dialect as the replayed revisions show their server
   * was: a column type only one flavour has says the revisions were made there, and the
   * models are then compared as that server would have them. Absent: `this` fits.
   */
  forReplayedSchema?(schema: SchemaIR): Dialect;

  /** A new empty database next to the one `url` names (PostgreSQL: on the same server; SQLite: a temp file). */
  createScratch?(url: string, prefix?: string): Promise<ScratchDatabase>;

  /** Statements that drop everything in `schema` (for `fresh`), dependency-safe. */
  dropAll(schema: SchemaIR): string[];

  quoteIdent(name: string): string;
  quoteLiteral(value: string): string;

  /**
   * How the database's SQL lexes (quotes, comments, dollar quotes). The registry's render
   * path (guarded-render.ts) reads every op's expression text with it before `renderOp` /
   * `renderOps` see the op, and splits raw SQL into one statement per call with it.
   */
  readonly lexis: SqlLexis;

  /** How the tests reach this database (see DialectTesting). */
  readonly testing: DialectTesting;
}
