/**
 * TypeORM entity metadata -> IR tables, mirroring what `RdbmsSchemaBuilder` creates
 * on a fresh database: the same entities (synchronised, not STI children, not views),
 * `Table.create(metadata, driver)` for columns, indexes, uniques and checks,
 * `metadata.foreignKeys` for foreign keys, and the query runner's `createTableSql`
 * rules for the names it fills in (primary key, single-column uniques).
 */
import { UserError } from "../errors.js";
import { entityFileOf } from "./entity-file.js";
import type {
  CheckIR,
  EnumIR,
  ForeignKeyIR,
  IndexIR,
  PrimaryKeyIR,
  ReferentialAction,
  SchemaIR,
  TableIR,
  UniqueIR,
  ViewIR,
} from "../schema/ir.js";
import { TYPEORM_METADATA_TABLE, databaseTableAttributes } from "../schema/ir.js";
import type { Dialect } from "../dialects/dialect.js";
import type { TypeOrmTableColumn, TypeOrmTableIndex } from "../dialects/typeorm-mapping.js";

/** The parts of TypeORM's metadata and schema-builder classes this mapping reads. */
export interface TypeOrmTable {
  name: string;
  columns: TypeOrmTableColumn[];
  indices: TypeOrmTableIndex[];
  uniques: Array<{ name?: string; columnNames: string[] }>;
  checks: Array<{ name?: string; expression?: string }>;
  comment?: string;
}

export interface TypeOrmForeignKey {
  name?: string;
  columnNames: string[];
  referencedColumnNames: string[];
  referencedEntityMetadata: { tableName: string; schema?: string };
  onDelete?: string;
  onUpdate?: string;
  deferrable?: string;
}

export interface TypeOrmEntityMetadata {
  name: string;
  tableName: string;
  schema?: string;
  tableType: string;
  synchronize: boolean;
  foreignKeys: TypeOrmForeignKey[];
  /** What `PostgresDriver.checkMetadataForExtensions` reads; the declared type of each column. */
  columns?: Array<{ type: unknown; databaseName?: string }>;
  generatedColumns?: Array<{ generationStrategy?: string }>;
  /** View entities: the SELECT, as text or as a query-builder factory. */
  expression?: string | ((dataSource: unknown) => { getQuery(): string });
  tableMetadataArgs?: { materialized?: boolean };
  /** The DataSource that built the metadata (`dataSource` in TypeORM 1.x, `connection` in 0.3). */
  dataSource?: unknown;
  /** The entity class (or name) the metadata describes. */
  target?: unknown;
  connection?: unknown;
}

export interface TypeOrmNamingStrategy {
  primaryKeyName(table: TypeOrmTable | string, columnNames: string[]): string;
  uniqueConstraintName(table: TypeOrmTable | string, columnNames: string[]): string;
}

export interface TableContext {
  dialect: Dialect;
  namingStrategy: TypeOrmNamingStrategy;
  /** `Table.create` from the same TypeORM that built the metadata. */
  createTable(metadata: TypeOrmEntityMetadata): TypeOrmTable;
  /** The schema tables live in unless an entity says otherwise (where the dialect has schemas). */
  defaultSchema: string;
  uuidGenerator?: string;
}

const ACTIONS: readonly ReferentialAction[] = ["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"];

/** Entities RdbmsSchemaBuilder creates tables for (`entityToSyncMetadatas`). */
export function isSyncedTable(metadata: TypeOrmEntityMetadata): boolean {
  return metadata.synchronize && metadata.tableType !== "entity-child" && metadata.tableType !== "view";
}

function referentialAction(value: string | undefined, what: string): ReferentialAction {
  const action = (value ?? "NO ACTION").toUpperCase();
  if ((ACTIONS as readonly string[]).includes(action)) return action as ReferentialAction;
  throw new UserError(`${what}: unsupported referential action "${value}" (expected one of: ${ACTIONS.join(", ")})`);
}

function schemaOf(metadata: { schema?: string }, ctx: TableContext): string | undefined {
  if (!ctx.dialect.capabilities.schemas) return undefined;
  return metadata.schema && metadata.schema !== ctx.defaultSchema ? metadata.schema : undefined;
}

function foreignKeyToIR(fk: TypeOrmForeignKey, metadata: TypeOrmEntityMetadata, ctx: TableContext): ForeignKeyIR {
  const what = `${metadata.tableName}.${fk.name ?? fk.columnNames.join(",")}`;
  const out: ForeignKeyIR = {
    ...(fk.name ? { name: fk.name } : {}),
    columns: [...fk.columnNames],
    referencedTable: fk.referencedEntityMetadata.tableName,
    referencedColumns: [...fk.referencedColumnNames],
    onDelete: referentialAction(fk.onDelete, what),
    onUpdate: referentialAction(fk.onUpdate, what),
  };
  const referencedSchema = schemaOf(fk.referencedEntityMetadata, ctx);
  if (referencedSchema) out.referencedSchema = referencedSchema;
  if (fk.deferrable === "INITIALLY IMMEDIATE" || fk.deferrable === "INITIALLY DEFERRED") out.deferrable = fk.deferrable;
  return out;
}

function indexToIR(index: TypeOrmTableIndex, dialect: Dialect, tableName: string): IndexIR {
  if (!index.name) throw new UserError(`${tableName}: TypeORM gave an index on (${index.columnNames.join(", ")}) no name`);
  const out: IndexIR = { name: index.name, columns: [...index.columnNames], unique: index.isUnique === true };
  if (index.where) out.where = index.where;
  const method = dialect.typeorm.indexMethod(index);
  if (method) out.method = method;
  return out;
}

function primaryKeyOf(table: TypeOrmTable, ctx: TableContext): PrimaryKeyIR | undefined {
  const primary = table.columns.filter((c) => c.isPrimary);
  if (primary.length === 0) return undefined;
  const columns = primary.map((c) => c.name);
  // Where the database keeps the name, it is the one createTableSql gives it.
  if (!ctx.dialect.typeorm.namedPrimaryKey) return { columns };
  const declared = (primary[0] as { primaryKeyConstraintName?: string }).primaryKeyConstraintName;
  return { name: declared ?? ctx.namingStrategy.primaryKeyName(table, columns), columns };
}

function uniquesOf(table: TypeOrmTable, ctx: TableContext): UniqueIR[] {
  const uniques: UniqueIR[] = table.uniques.map((u) => ({
    name: u.name ?? ctx.namingStrategy.uniqueConstraintName(table, u.columnNames),
    columns: [...u.columnNames],
  }));
  // createTableSql adds a constraint for a unique column no unique metadata covers yet.
  for (const column of table.columns as Array<TypeOrmTableColumn & { isUnique?: boolean }>) {
    if (!column.isUnique) continue;
    if (uniques.some((u) => u.columns.length === 1 && u.columns[0] === column.name)) continue;
    // Where uniques are unique indexes (MySQL), createTableSql counts those too.
    if (table.indices.some((i) => i.isUnique && i.columnNames.length === 1 && i.columnNames[0] === column.name)) continue;
    uniques.push({ name: ctx.namingStrategy.uniqueConstraintName(table, [column.name]), columns: [column.name] });
  }
  return uniques;
}

function checksOf(table: TypeOrmTable): CheckIR[] {
  return table.checks
    .filter((c): c is { name?: string; expression: string } => typeof c.expression === "string")
    .map((c) => (c.name ? { name: c.name, expression: c.expression } : { expression: c.expression }));
}

type EnumRegistry = Map<string, EnumIR & { owner: string }>;

/** Records the named enum types a table's columns use, once per (schema, name). */
function registerEnums(table: TableIR, enums: EnumRegistry): void {
  for (const column of table.columns) {
    if (column.type !== "enum" || !column.enumName) continue;
    const values = column.enumValues ?? [];
    const key = `${table.schema ?? ""}.${column.enumName}`;
    const owner = `${table.name}.${column.name}`;
    const known = enums.get(key);
    if (!known) {
      enums.set(key, { name: column.enumName, ...(table.schema ? { schema: table.schema } : {}), values: [...values], owner });
    } else if (known.values.join("\u0000") !== values.join("\u0000")) {
      // TypeORM would create the type once, with the first column's values, and the
      // second column would silently accept the wrong ones.
      throw new UserError(
        `enum type "${column.enumName}" is used by ${known.owner} and ${owner} with different values ` +
          `(${known.values.join(", ")} vs ${values.join(", ")}): give one of them its own enumName`,
      );
    }
  }
}

/** Builds one IR table. */
export function tableToIR(metadata: TypeOrmEntityMetadata, ctx: TableContext): TableIR {
  const table = ctx.createTable(metadata);
  const name = metadata.tableName;
  const schema = schemaOf(metadata, ctx);
  const primaryKey = primaryKeyOf(table, ctx);
  const comment = ctx.dialect.typeorm.tableComment(table.comment);
  const attributes = ctx.dialect.typeorm.tableAttributes?.(table, name) ?? {};
  return {
    name,
    ...(schema ? { schema } : {}),
    columns: table.columns.map((c) => {
      const declared = metadata.columns?.find((m) => m.databaseName === c.name)?.type;
      return ctx.dialect.typeorm.column(c, {
        tableName: name,
        ...(ctx.uuidGenerator ? { uuidGenerator: ctx.uuidGenerator } : {}),
        ...(typeof declared === "string" ? { declaredType: declared } : {}),
      });
    }),
    ...(primaryKey ? { primaryKey } : {}),
    foreignKeys: metadata.foreignKeys.map((fk) => foreignKeyToIR(fk, metadata, ctx)),
    uniques: uniquesOf(table, ctx),
    indexes: table.indices.map((i) => indexToIR(i, ctx.dialect, name)),
    checks: checksOf(table),
    ...(comment ? { comment } : {}),
    ...attributes,
  };
}

/**
 * One table per (schema, name). Two metadata can describe the same table: a junction
 * table declared by @JoinTable on both sides of a @ManyToMany, the closure table of a
 * tree entity that every single-table-inheritance child describes again. TypeORM's
 * schema builder creates the table from the first metadata (in `entityMetadatas`
 * order) and the later ones only add what the table still lacks (addNewColumns,
 * createForeignKeys, createNewIndices…); it never reorders the primary key of an
 * existing table. The merge does the same, so the table equals the one TypeORM creates.
 */
function mergeSameName(mapped: Array<{ table: TableIR; metadata: TypeOrmEntityMetadata }>): TableIR[] {
  const byKey = new Map<string, { table: TableIR; metadata: TypeOrmEntityMetadata }>();
  for (const entry of mapped) {
    const key = `${entry.table.schema ?? ""}\u0000${entry.table.name}`;
    const first = byKey.get(key);
    if (!first) byKey.set(key, entry);
    else {
      assertSameColumns(first, entry);
      mergeInto(first.table, entry.table);
    }
  }
  return [...byKey.values()].map((e) => e.table);
}

/** An entity as a message names it: class and file. */
function entityLabel(metadata: TypeOrmEntityMetadata): string {
  const file = entityFileOf(metadata.target);
  return file ? `${metadata.name} (${file})` : metadata.name;
}

const stable = (value: unknown) => JSON.stringify(value ?? null);

/**
 * Two entities the user wrote for one table must agree on the columns they share:
 * otherwise which one wins would depend on the order the files were read in. Tables
 * TypeORM derives (a junction table both sides of a many-to-many declare, closure tables)
 * are described alike by construction and are merged as TypeORM merges them.
 */
function assertSameColumns(
  first: { table: TableIR; metadata: TypeOrmEntityMetadata },
  later: { table: TableIR; metadata: TypeOrmEntityMetadata },
): void {
  if (first.metadata.tableType !== "regular" || later.metadata.tableType !== "regular") return;
  for (const column of later.table.columns) {
    const other = first.table.columns.find((c) => c.name === column.name);
    if (!other || stable(other) === stable(column)) continue;
    const keys = [...new Set([...Object.keys(other), ...Object.keys(column)])].filter(
      (k) => stable((other as unknown as Record<string, unknown>)[k]) !== stable((column as unknown as Record<string, unknown>)[k]),
    );
    const show = (c: object, k: string) => {
      const v = (c as Record<string, unknown>)[k];
      return v === undefined ? "unset" : stable(v);
    };
    const differences = keys.map((k) => `${k} ${show(other, k)} vs ${show(column, k)}`).join(", ");
    const table = first.table.schema ? `${first.table.schema}.${first.table.name}` : first.table.name;
    throw new UserError(
      `table ${table} is mapped by two entities that disagree on column "${column.name}" (${differences}): ${entityLabel(first.metadata)} and ${entityLabel(later.metadata)}; map the table once, or make both definitions the same`,
    );
  }
}

function mergeInto(first: TableIR, later: TableIR): void {
  const has = <T extends { name?: string }>(list: T[], item: T) => item.name !== undefined && list.some((x) => x.name === item.name);
  for (const column of later.columns) if (!first.columns.some((c) => c.name === column.name)) first.columns.push(column);
  for (const fk of later.foreignKeys) if (!has(first.foreignKeys, fk)) first.foreignKeys.push(fk);
  for (const unique of later.uniques) if (!has(first.uniques, unique)) first.uniques.push(unique);
  for (const index of later.indexes) if (!has(first.indexes, index)) first.indexes.push(index);
  for (const check of later.checks) if (!has(first.checks, check)) first.checks.push(check);
  if (!first.primaryKey && later.primaryKey) first.primaryKey = later.primaryKey;
  if (first.comment === undefined && later.comment !== undefined) first.comment = later.comment;
  // Attributes only one database has: the first table's win, as it was created with them.
  const attributes = first as unknown as Record<string, unknown>;
  for (const [key, value] of databaseTableAttributes(later)) if (attributes[key] === undefined) attributes[key] = value;
}

/** View entities TypeORM's schema builder creates (`viewEntityToSyncMetadatas`). */
export function isSyncedView(metadata: TypeOrmEntityMetadata): boolean {
  return metadata.tableType === "view" && metadata.synchronize;
}

/** Tables and views the models know but TypeORM never synchronises (left out of both sides). */
export function isUnmanaged(metadata: TypeOrmEntityMetadata): boolean {
  return !isSyncedTable(metadata) && !isSyncedView(metadata) && metadata.tableType !== "entity-child";
}

/**
 * A view's SELECT as TypeORM writes it (`View.create` + `createViewSql`): the string as
 * given, or the query builder's SQL, built from the metadata's own DataSource (no
 * connection is needed to render a query, only to run it).
 */
function viewToIR(metadata: TypeOrmEntityMetadata, ctx: TableContext): ViewIR {
  const { expression } = metadata;
  let sql: string;
  if (typeof expression === "string") sql = expression;
  else if (typeof expression === "function") {
    try {
      sql = expression(metadata.dataSource ?? metadata.connection).getQuery();
    } catch (err) {
      throw new UserError(
        `view ${metadata.name}: its query-builder expression cannot be rendered without a database connection ` +
          `(${err instanceof Error ? err.message : String(err)}); give the view its SQL as a string`,
      );
    }
  } else throw new UserError(`view ${metadata.name}: @ViewEntity has no expression`);
  const schema = schemaOf(metadata, ctx);
  const view: ViewIR = { name: metadata.tableName, expression: sql.trim() };
  if (schema) view.schema = schema;
  if (metadata.tableMetadataArgs?.materialized) view.materialized = true;
  return view;
}

/**
 * TypeORM's metadata table, as `RdbmsSchemaBuilder.createTypeormMetadataTable` creates it.
 * A project with views needs it: TypeORM finds views only through its rows.
 */
function typeormMetadataTable(): TableIR {
  const column = (name: string, type: string, nullable: boolean) => ({ name, type, nullable });
  return {
    name: TYPEORM_METADATA_TABLE,
    columns: [
      column("type", "varchar", false),
      column("database", "varchar", true),
      column("schema", "varchar", true),
      column("table", "varchar", true),
      column("name", "varchar", true),
      column("value", "text", true),
    ],
    foreignKeys: [],
    uniques: [],
    indexes: [],
    checks: [],
  };
}

export function schemaToIR(metadatas: TypeOrmEntityMetadata[], ctx: TableContext): SchemaIR {
  const tables = mergeSameName(metadatas.filter(isSyncedTable).map((metadata) => ({ table: tableToIR(metadata, ctx), metadata })));
  const views = metadatas.filter(isSyncedView).map((m) => viewToIR(m, ctx));
  if (views.length > 0 && !tables.some((t) => t.name === TYPEORM_METADATA_TABLE && t.schema === undefined)) {
    tables.push(typeormMetadataTable());
  }
  const enums: EnumRegistry = new Map();
  for (const table of tables) registerEnums(table, enums);
  return {
    dialect: ctx.dialect.name,
    tables,
    enums: [...enums.values()].map(({ owner: _owner, ...e }) => e),
    ...(ctx.dialect.typeorm.schemaAttributes?.(metadatas, ctx.uuidGenerator) ?? {}),
    ...(views.length > 0 ? { views } : {}),
  };
}
