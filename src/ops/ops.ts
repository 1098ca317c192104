/**
 * Operations: the vocabulary of a revision file.
 *
 * `Op` is the plain-data record of one schema change. Every op carries what it needs
 * to be reversed (a drop carries the dropped object; an alter carries `{ from, to }`),
 * so a downgrade is always `reverseOps(upgradeOps)`, written once.
 *
 * `Operations` is the typed API a revision's `upgrade(op)` / `downgrade(op)` calls.
 * Each method maps to exactly one `Op`; the recorder (./recorder.ts) turns calls back
 * into `Op[]`, which the runner executes online or renders offline (`--sql`).
 */
import type {
  CheckIR,
  ColumnIR,
  ColumnTypeIR,
  DialectName,
  EnumIR,
  ForeignKeyIR,
  IndexIR,
  PrimaryKeyIR,
  TableIR,
  UniqueIR,
  ViewIR,
} from "../schema/ir.js";

/** A typed before/after pair: what an alter changes, readable in both directions. */
export interface Change<T> {
  from: T;
  to: T;
}

/** What `alterColumn` changes. `null` in a default change means "no default". */
export interface ColumnChanges {
  type?: Change<ColumnTypeIR>;
  nullable?: Change<boolean>;
  default?: Change<string | null>;
  generated?: Change<ColumnIR["generated"] | null>;
  identity?: Change<ColumnIR["identity"] | null>;
  comment?: Change<string | null>;
  collation?: Change<string | null>;
}

/**
 * Op kinds only one database has, each declared in that database's folder
 * (`src/dialects/<name>/op-kinds.ts`) by augmenting this interface: kind -> payload.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DatabaseOps {}

export type DatabaseOp = DatabaseOps[keyof DatabaseOps];

/** Every database's ops, then those of some database only. */
export type Op = CoreOp | DatabaseOp;

/** The kinds every database has. */
export type CoreOp =
  | { kind: "createTable"; table: TableIR }
  | { kind: "dropTable"; table: TableIR }
  | { kind: "renameTable"; from: string; to: string }
  | { kind: "addColumn"; table: string; column: ColumnIR }
  | { kind: "dropColumn"; table: string; column: ColumnIR }
  | { kind: "renameColumn"; table: string; from: string; to: string }
  | { kind: "alterColumn"; table: string; column: string; changes: ColumnChanges }
  | { kind: "createPrimaryKey"; table: string; primaryKey: PrimaryKeyIR }
  | { kind: "dropPrimaryKey"; table: string; primaryKey: PrimaryKeyIR }
  /** `concurrently`: PostgreSQL builds or drops the index without blocking writes (needs a non-transactional revision). */
  | { kind: "createIndex"; table: string; index: IndexIR; concurrently?: boolean }
  | { kind: "dropIndex"; table: string; index: IndexIR; concurrently?: boolean }
  | { kind: "createForeignKey"; table: string; foreignKey: ForeignKeyIR }
  | { kind: "dropForeignKey"; table: string; foreignKey: ForeignKeyIR }
  | { kind: "createUnique"; table: string; unique: UniqueIR }
  | { kind: "dropUnique"; table: string; unique: UniqueIR }
  | { kind: "createCheck"; table: string; check: CheckIR }
  | { kind: "dropCheck"; table: string; check: CheckIR }
  | { kind: "createEnum"; enum: EnumIR }
  | { kind: "dropEnum"; enum: EnumIR }
  /** `renames`: old value -> new value, renamed in place (PostgreSQL's RENAME VALUE) before any other change. */
  | { kind: "alterEnum"; name: string; values: Change<string[]>; renames?: Record<string, string> }
  | { kind: "createView"; view: ViewIR }
  | { kind: "dropView"; view: ViewIR }
  | ExecuteOp;

export interface ExecuteOp {
  kind: "execute";
  /** Raw SQL for a data migration or anything the vocabulary cannot express. */
  sql: string;
  /** SQL that undoes it; without it the op is irreversible and says so. */
  reverseSql?: string;
  /** Run only on this dialect (skipped elsewhere). */
  dialect?: DialectName;
}

/** Whether an execute op runs on `dialect` (one given for another database is skipped). */
export function executesOn(op: ExecuteOp, dialect: DialectName): boolean {
  return op.dialect === undefined || op.dialect === dialect;
}

export type OpKind = Op["kind"];

/** Column as written in a revision file: the IR column itself. */
export type ColumnDef = ColumnIR;

/** Table definition as written in `op.createTable` / `op.dropTable`. */
export interface TableDef {
  columns: ColumnDef[];
  primaryKey?: PrimaryKeyIR;
  foreignKeys?: ForeignKeyIR[];
  uniques?: UniqueIR[];
  indexes?: IndexIR[];
  checks?: CheckIR[];
  comment?: string;
  // A database adds table options of its own by augmenting this interface from
  // src/dialects/<name>/ir.ts; they are recorded and written back as given.
}

export interface ForeignKeyOptions {
  onDelete?: ForeignKeyIR["onDelete"];
  onUpdate?: ForeignKeyIR["onUpdate"];
  deferrable?: ForeignKeyIR["deferrable"];
  referencedSchema?: string;
}

export interface IndexOptions {
  unique?: boolean;
  where?: string;
  method?: string;
  /**
   * PostgreSQL: CREATE/DROP INDEX CONCURRENTLY, which does not block writes to the table
   * but cannot run in a transaction: the revision must `export const transaction = false`.
   */
  concurrently?: boolean;
}

export interface ViewOptions {
  /** PostgreSQL: a materialized view. */
  materialized?: boolean;
}

export interface ExecuteOptions {
  reverse?: string;
  dialect?: DialectName;
}

/**
 * Recorder methods of the kinds one database has, declared in its folder by augmenting
 * this interface (next to `DatabaseOps`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DatabaseOperations {}

/**
 * The API a revision file's `upgrade(op)` and `downgrade(op)` receive.
 * Argument order follows Alembic's `op.*` where it has a twin (name first, then table).
 */
export interface Operations extends DatabaseOperations {
  /** The dialect the revision is being run against, for dialect-specific data migrations. */
  readonly dialect: DialectName;

  createTable(name: string, def: TableDef): void;
  /**
   * Drops a table. Generated revisions name it only: its definition is what the revision
   * graph says the table is at that point (the runner and `--sql` take it from there), and
   * the op that brings it back (the other function's `createTable`) carries it in full.
   */
  dropTable(name: string, def?: TableDef): void;
  renameTable(from: string, to: string): void;

  addColumn(table: string, column: ColumnDef): void;
  /** Drops a column; like `dropTable`, named only in generated revisions (`def` is optional). */
  dropColumn(table: string, column: string, def?: Omit<ColumnDef, "name">): void;
  renameColumn(table: string, from: string, to: string): void;
  alterColumn(table: string, column: string, changes: ColumnChanges): void;
  createPrimaryKey(name: string | undefined, table: string, columns: string[]): void;
  dropPrimaryKey(name: string | undefined, table: string, columns: string[]): void;

  createIndex(name: string, table: string, columns: string[], options?: IndexOptions): void;
  dropIndex(name: string, table: string, columns: string[], options?: IndexOptions): void;

  createForeignKey(
    name: string | undefined,
    table: string,
    columns: string[],
    referencedTable: string,
    referencedColumns: string[],
    options?: ForeignKeyOptions,
  ): void;
  dropForeignKey(
    name: string | undefined,
    table: string,
    columns: string[],
    referencedTable: string,
    referencedColumns: string[],
    options?: ForeignKeyOptions,
  ): void;

  createUniqueConstraint(name: string | undefined, table: string, columns: string[]): void;
  dropUniqueConstraint(name: string | undefined, table: string, columns: string[]): void;

  createCheckConstraint(name: string | undefined, table: string, expression: string): void;
  dropCheckConstraint(name: string | undefined, table: string, expression: string): void;

  createEnum(name: string, values: string[]): void;
  dropEnum(name: string, values: string[]): void;
  /** `values.to` lists renamed values under their new names; `renames` says which they are (old -> new). */
  alterEnum(name: string, values: Change<string[]> & { renames?: Record<string, string> }): void;

  /**
   * A view over `expression` (a SELECT). TypeORM's typeorm_metadata row for it is written
   * and removed along with it, so TypeORM's own schema builder knows the view.
   */
  createView(name: string, expression: string, options?: ViewOptions): void;
  /** `expression` is the view as it was, so the drop can be reversed. */
  dropView(name: string, expression: string, options?: ViewOptions): void;

  /** Raw SQL (data migrations). Give `reverse` to make it reversible. */
  execute(sql: string, options?: ExecuteOptions): void;

  /**
   * Run a query now and return its rows (data migrations that must read).
   * Ops recorded before it are executed first. Refused in offline `--sql` mode.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}
