/**
 * Turns `op.*` calls made by a revision's upgrade/downgrade into `Op` records.
 *
 * Recording (rather than executing) lets the same revision be run online, rendered
 * offline as SQL, or inspected by `check` and the tests. `query` is the one call that
 * needs a live database: the recorder hands it to `onQuery`, which the runner wires to
 * "flush what was recorded so far, then query"; offline it refuses.
 */
import type { ColumnIR, DialectName, TableIR } from "../schema/ir.js";
import { databaseTableAttributes } from "../schema/ir.js";
import type {
  ColumnChanges,
  ColumnDef,
  ExecuteOptions,
  ForeignKeyOptions,
  IndexOptions,
  DatabaseOperations,
  Op,
  Operations,
  TableDef,
  ViewOptions,
} from "./ops.js";
import { databaseOpKinds } from "./registry.js";

export type QueryHandler = (sql: string, params: unknown[] | undefined, pending: Op[]) => Promise<unknown[]>;

export class OfflineQueryError extends Error {
  constructor(sql: string) {
    super(`op.query() cannot run in offline --sql mode (it needs a live database): ${sql.slice(0, 80)}`);
  }
}

function tableFromDef(name: string, def: TableDef): TableIR {
  const table: TableIR = {
    name,
    columns: def.columns.map((c) => ({ ...c })),
    foreignKeys: [...(def.foreignKeys ?? [])],
    uniques: [...(def.uniques ?? [])],
    indexes: [...(def.indexes ?? [])],
    checks: [...(def.checks ?? [])],
  };
  if (def.primaryKey) table.primaryKey = def.primaryKey;
  if (def.comment !== undefined) table.comment = def.comment;
  const attributes = table as unknown as Record<string, unknown>;
  for (const [key, value] of databaseTableAttributes(def)) attributes[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  return table;
}

function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** The recorder's own methods; those of the kinds one database has are added per instance from the registry. */
type CoreOperations = Omit<Operations, keyof DatabaseOperations>;

// The methods of the kinds one database has (DatabaseOperations) are defined on the
// prototype from the registry, in the static block below.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface OpRecorder extends DatabaseOperations {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class OpRecorder implements CoreOperations {
  static {
    for (const definition of databaseOpKinds()) {
      Object.defineProperty(OpRecorder.prototype, definition.method, {
        value: function record(this: OpRecorder, ...args: never[]): void {
          this.push(definition.record(...args));
        },
        writable: true,
        configurable: true,
      });
    }
  }

  /** Ops recorded and not yet handed to the query handler. */
  private pending: Op[] = [];
  /** Every op recorded, in call order. */
  readonly ops: Op[] = [];

  constructor(
    readonly dialect: DialectName,
    private readonly onQuery?: QueryHandler,
  ) {}

  private push(op: Op): void {
    this.ops.push(op);
    this.pending.push(op);
  }

  /** Ops recorded since the last `query` (the runner executes these at the end). */
  takePending(): Op[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  createTable(name: string, def: TableDef): void {
    this.push({ kind: "createTable", table: tableFromDef(name, def) });
  }
  dropTable(name: string, def?: TableDef): void {
    // Named only: no columns; the runner fills the definition in from the schema state.
    this.push({ kind: "dropTable", table: tableFromDef(name, def ?? { columns: [] }) });
  }
  renameTable(from: string, to: string): void {
    this.push({ kind: "renameTable", from, to });
  }
  addColumn(table: string, column: ColumnDef): void {
    this.push({ kind: "addColumn", table, column: { ...column } });
  }
  dropColumn(table: string, column: string, def?: Omit<ColumnDef, "name">): void {
    // Named only: no type; the runner fills the definition in from the schema state.
    this.push({ kind: "dropColumn", table, column: { name: column, ...def } as ColumnIR });
  }
  renameColumn(table: string, from: string, to: string): void {
    this.push({ kind: "renameColumn", table, from, to });
  }
  alterColumn(table: string, column: string, changes: ColumnChanges): void {
    this.push({ kind: "alterColumn", table, column, changes });
  }
  createPrimaryKey(name: string | undefined, table: string, columns: string[]): void {
    this.push({ kind: "createPrimaryKey", table, primaryKey: withoutUndefined({ name, columns }) });
  }
  dropPrimaryKey(name: string | undefined, table: string, columns: string[]): void {
    this.push({ kind: "dropPrimaryKey", table, primaryKey: withoutUndefined({ name, columns }) });
  }
  createIndex(name: string, table: string, columns: string[], options: IndexOptions = {}): void {
    this.push({
      kind: "createIndex",
      table,
      index: withoutUndefined({ name, columns, unique: options.unique ?? false, where: options.where, method: options.method }),
      ...(options.concurrently ? { concurrently: true } : {}),
    });
  }
  dropIndex(name: string, table: string, columns: string[], options: IndexOptions = {}): void {
    this.push({
      kind: "dropIndex",
      table,
      index: withoutUndefined({ name, columns, unique: options.unique ?? false, where: options.where, method: options.method }),
      ...(options.concurrently ? { concurrently: true } : {}),
    });
  }
  private foreignKey(
    name: string | undefined,
    columns: string[],
    referencedTable: string,
    referencedColumns: string[],
    options: ForeignKeyOptions,
  ) {
    return withoutUndefined({
      name,
      columns,
      referencedTable,
      referencedSchema: options.referencedSchema,
      referencedColumns,
      onDelete: options.onDelete ?? "NO ACTION",
      onUpdate: options.onUpdate ?? "NO ACTION",
      deferrable: options.deferrable,
    });
  }
  createForeignKey(
    name: string | undefined,
    table: string,
    columns: string[],
    referencedTable: string,
    referencedColumns: string[],
    options: ForeignKeyOptions = {},
  ): void {
    this.push({
      kind: "createForeignKey",
      table,
      foreignKey: this.foreignKey(name, columns, referencedTable, referencedColumns, options),
    });
  }
  dropForeignKey(
    name: string | undefined,
    table: string,
    columns: string[],
    referencedTable: string,
    referencedColumns: string[],
    options: ForeignKeyOptions = {},
  ): void {
    this.push({
      kind: "dropForeignKey",
      table,
      foreignKey: this.foreignKey(name, columns, referencedTable, referencedColumns, options),
    });
  }
  createUniqueConstraint(name: string | undefined, table: string, columns: string[]): void {
    this.push({ kind: "createUnique", table, unique: withoutUndefined({ name, columns }) });
  }
  dropUniqueConstraint(name: string | undefined, table: string, columns: string[]): void {
    this.push({ kind: "dropUnique", table, unique: withoutUndefined({ name, columns }) });
  }
  createCheckConstraint(name: string | undefined, table: string, expression: string): void {
    this.push({ kind: "createCheck", table, check: withoutUndefined({ name, expression }) });
  }
  dropCheckConstraint(name: string | undefined, table: string, expression: string): void {
    this.push({ kind: "dropCheck", table, check: withoutUndefined({ name, expression }) });
  }
  createEnum(name: string, values: string[]): void {
    this.push({ kind: "createEnum", enum: { name, values: [...values] } });
  }
  dropEnum(name: string, values: string[]): void {
    this.push({ kind: "dropEnum", enum: { name, values: [...values] } });
  }
  alterEnum(name: string, values: { from: string[]; to: string[]; renames?: Record<string, string> }): void {
    const { renames, from, to } = values;
    this.push({
      kind: "alterEnum",
      name,
      values: { from, to },
      ...(renames && Object.keys(renames).length ? { renames: { ...renames } } : {}),
    });
  }
  createView(name: string, expression: string, options: ViewOptions = {}): void {
    this.push({ kind: "createView", view: withoutUndefined({ name, expression, materialized: options.materialized || undefined }) });
  }
  dropView(name: string, expression: string, options: ViewOptions = {}): void {
    this.push({ kind: "dropView", view: withoutUndefined({ name, expression, materialized: options.materialized || undefined }) });
  }
  execute(sql: string, options: ExecuteOptions = {}): void {
    this.push(withoutUndefined({ kind: "execute" as const, sql, reverseSql: options.reverse, dialect: options.dialect }));
  }
  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    if (!this.onQuery) throw new OfflineQueryError(sql);
    const rows = await this.onQuery(sql, params, this.takePending());
    return rows as Row[];
  }
}
