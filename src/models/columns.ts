/**
 * One TypeORM `TableColumn` (as `Table.create(metadata, driver)` builds it for
 * `CREATE TABLE`) -> one IR column, following exactly what the driver's query runner
 * writes into the column definition:
 * - PostgreSQL: `PostgresQueryRunner.buildCreateColumnSql` + `PostgresDriver.createFullType`
 * - SQLite:     `AbstractSqliteQueryRunner.buildCreateColumnSql` + `AbstractSqliteDriver.createFullType`
 *
 * The vocabulary is TypeORM's own (`driver.normalizeType`, `driver.normalizeDefault`);
 * `dialect.normalizeSchema()` canonicalises it. Where the runner ignores a setting
 * (length on an enum, precision next to a length, a comment on SQLite), so does this.
 */
import type { ColumnIR, DialectName } from "../schema/ir.js";

/** The fields of TypeORM's TableColumn this mapping reads (same in TypeORM 0.3 and 1.x). */
export interface TypeOrmTableColumn {
  name: string;
  type: string;
  length?: string | number;
  precision?: number | null;
  scale?: number | null;
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

export interface ColumnContext {
  dialect: DialectName;
  /** Plain table name (no schema), for PostgreSQL's default enum type name. */
  tableName: string;
  /** `driver.uuidGenerator` on PostgreSQL (`uuid_generate_v4()` or `gen_random_uuid()`). */
  uuidGenerator?: string;
}

/** PostgresDriver.createFullType rewrites these to "TIME(p)" / "TIMESTAMP(p) …" without a scale. */
const PG_TIME_TYPES = new Set([
  "time without time zone",
  "time with time zone",
  "timestamp without time zone",
  "timestamp with time zone",
]);
/** Written as `geometry(<feature>,<srid>)`; length and precision are ignored. */
const PG_SPATIAL_TYPES = new Set(["geometry", "geography"]);
const PG_SERIAL_TYPES = new Set(["integer", "int", "int4", "smallint", "int2", "bigint", "int8"]);

function lengthOf(column: TypeOrmTableColumn): number | undefined {
  if (column.length === undefined || column.length === null || column.length === "") return undefined;
  const n = Number(column.length);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function defaultOf(column: TypeOrmTableColumn): string | undefined {
  const value = column.default;
  if (value === undefined || value === null) return undefined;
  return String(value);
}

/** PostgreSQL's enum type name as `PostgresQueryRunner.buildEnumName` makes it (unescaped, no schema). */
export function postgresEnumName(tableName: string, column: Pick<TypeOrmTableColumn, "name" | "enumName">): string {
  return column.enumName ?? `${tableName}_${column.name.toLowerCase()}_enum`;
}

/**
 * Length / precision / scale, as `createFullType` writes them: a length wins over
 * precision; `precisionOnly` types (PostgreSQL's time/timestamp) never get a scale.
 */
function sizeOf(column: TypeOrmTableColumn, out: ColumnIR, precisionOnly = false): void {
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

function postgresColumn(column: TypeOrmTableColumn, ctx: ColumnContext): ColumnIR {
  const out: ColumnIR = { name: column.name, type: column.type, nullable: column.isNullable === true };
  const isEnum = column.type === "enum" || column.type === "simple-enum";
  const strategy = column.isGenerated ? column.generationStrategy : undefined;

  if (isEnum) {
    out.type = "enum";
    out.enumName = postgresEnumName(ctx.tableName, column);
    out.enumValues = [...(column.enum ?? [])];
  } else if (strategy === "identity") {
    // "<type> GENERATED … AS IDENTITY": the bare type, no size.
  } else if (strategy === "increment" || strategy === "rowid") {
    // SERIAL / SMALLSERIAL / BIGSERIAL: the integer type is implied, no size.
  } else if (!PG_SPATIAL_TYPES.has(column.type)) {
    sizeOf(column, out, PG_TIME_TYPES.has(column.type));
  }
  if (column.isArray) out.array = true;

  if (strategy === "identity") {
    out.generated = "identity";
    out.identity = column.generatedIdentity ?? "BY DEFAULT";
  } else if ((strategy === "increment" || strategy === "rowid") && PG_SERIAL_TYPES.has(column.type)) {
    out.generated = "increment";
  }

  if (column.generatedType === "STORED" && column.asExpression) {
    out.computed = { expression: column.asExpression, stored: true };
  }
  if (column.collation) out.collation = column.collation;

  const def = defaultOf(column);
  if (def !== undefined) out.default = def;
  else if (strategy === "uuid" && ctx.uuidGenerator) out.default = ctx.uuidGenerator;

  const comment = postgresComment(column.comment);
  if (comment) out.comment = comment;
  return out;
}

/**
 * A comment as `PostgresDriver.escapeComment` writes it: PostgreSQL text cannot hold
 * NUL, so TypeORM removes it; every other character is kept (and quoted as a literal
 * by the renderer).
 */
export function postgresComment(comment: string | undefined): string | undefined {
  return comment === undefined ? undefined : comment.replaceAll("\u0000", "");
}

function sqliteColumn(column: TypeOrmTableColumn): ColumnIR {
  const out: ColumnIR = { name: column.name, type: column.type, nullable: column.isNullable === true };
  if (column.enum) {
    // createFullType writes any enum column as a bare varchar with an inline CHECK.
    out.type = "varchar";
    if (!column.isArray) out.enumValues = [...column.enum];
  } else {
    sizeOf(column, out);
  }
  if (column.isArray) out.array = true;
  // AUTOINCREMENT is written only for "increment"; a uuid is generated by TypeORM itself.
  if (column.isGenerated && column.generationStrategy === "increment") out.generated = "increment";
  if (column.collation) out.collation = column.collation;
  if (column.asExpression) {
    out.computed = { expression: column.asExpression, stored: column.generatedType === "STORED" };
  } else {
    const def = defaultOf(column);
    if (def !== undefined) out.default = def;
  }
  return out;
}

export function columnToIR(column: TypeOrmTableColumn, ctx: ColumnContext): ColumnIR {
  return ctx.dialect === "postgres" ? postgresColumn(column, ctx) : sqliteColumn(column);
}
