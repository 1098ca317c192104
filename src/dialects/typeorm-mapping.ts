/**
 * What every dialect's TypeORM mapping shares: the fields of TypeORM's schema-builder
 * classes the mappings read, and reading a column's default and size from them. Each
 * dialect's `typeorm.ts` maps a `TableColumn` as its own query runner writes it; the
 * model reader (`models/`) asks the dialect and never branches on its name. This module
 * imports nothing from `models/`, so the arrows keep pointing down.
 */
import type { ColumnIR, SchemaIR, TableIR } from "../schema/ir.js";

/** The fields of TypeORM's TableColumn the mappings read (same in TypeORM 0.3 and 1.x). */
export interface TypeOrmTableColumn {
  name: string;
  type: string;
  length?: string | number;
  width?: number;
  precision?: number | null;
  scale?: number | null;
  unsigned?: boolean;
  zerofill?: boolean;
  charset?: string;
  onUpdate?: string;
  isNullable: boolean;
  isGenerated: boolean;
  generationStrategy?: "uuid" | "increment" | "rowid" | "identity";
  generatedIdentity?: "ALWAYS" | "BY DEFAULT";
  isPrimary: boolean;
  isArray?: boolean;
  default?: unknown;
  comment?: string;
  collation?: string;
  enum?: string[];
  enumName?: string;
  asExpression?: string;
  generatedType?: "VIRTUAL" | "STORED";
}

/** The fields of TypeORM's TableIndex the mappings read. */
export interface TypeOrmTableIndex {
  name?: string;
  columnNames: string[];
  isUnique: boolean;
  isSpatial?: boolean;
  isFulltext?: boolean;
  where?: string;
  type?: string;
}

export interface ColumnContext {
  /** Plain table name (no schema), for PostgreSQL's default enum type name. */
  tableName: string;
  /** `driver.uuidGenerator`, where the driver has one (a database-side uuid default). */
  uuidGenerator?: string;
  /** The type the entity declared (`"uuid"`), where it is a name: the driver may have mapped it to another. */
  declaredType?: string;
}

/** One database's TypeORM metadata -> IR rules, as its query runner writes `CREATE TABLE`. */
export interface TypeOrmMapping {
  /** TypeORM driver types metadata is built with, tried in order (TypeORM 0.3 and 1.x name some differently). */
  readonly metadataTypes: readonly string[];
  /** TypeORM driver types of the user's DataSource whose options carry over to this database. */
  readonly family: ReadonlySet<string>;
  /** The options of a same-family user DataSource that shape metadata (schema, database file). */
  metadataOptions(options: { schema?: string; uuidExtension?: string; database?: string }): Record<string, unknown>;
  /** A DataSource option without which TypeORM refuses to build metadata (SQLite's `database`). */
  readonly requiredMetadataOptions: Record<string, unknown>;
  column(column: TypeOrmTableColumn, ctx: ColumnContext): ColumnIR;
  /** The index method the query runner writes (`gist`, `fulltext`), none for the default. */
  indexMethod(index: TypeOrmTableIndex): string | undefined;
  /** The query runner names the primary key and the database keeps the name. */
  readonly namedPrimaryKey: boolean;
  /** The entity's table comment as the query runner writes it; undefined where it writes none. */
  tableComment(comment: string | undefined): string | undefined;
  /**
   * The table's attributes only this database has (its own ir.ts), as the query runner
   * writes them from TypeORM's `Table` (built by `Table.create`). Absent: none.
   * Throws a UserError naming the table for a value the database cannot take.
   */
  tableAttributes?(table: object, tableName: string): Partial<TableIR>;
  /**
   * The schema-level attributes only this database has, as the driver makes them when it
   * connects, for these entities' metadata (PostgreSQL's `checkMetadataForExtensions`).
   * Absent: none.
   */
  schemaAttributes?(entities: readonly object[], uuidGenerator: string | undefined): Partial<SchemaIR>;
}

export function lengthOf(column: TypeOrmTableColumn): number | undefined {
  if (column.length === undefined || column.length === null || column.length === "") return undefined;
  const n = Number(column.length);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function defaultOf(column: TypeOrmTableColumn): string | undefined {
  const value = column.default;
  if (value === undefined || value === null) return undefined;
  return String(value);
}

/**
 * Length / precision / scale, as `createFullType` writes them: a length wins over
 * precision; `precisionOnly` types (PostgreSQL's time/timestamp) never get a scale.
 */
export function sizeOf(column: TypeOrmTableColumn, out: ColumnIR, precisionOnly = false): void {
  const length = lengthOf(column);
  if (length !== undefined) {
    out.length = length;
    return;
  }
  if (column.precision !== null && column.precision !== undefined) {
    out.precision = column.precision;
    if (column.scale !== null && column.scale !== undefined && !precisionOnly) out.scale = column.scale;
  }
}
