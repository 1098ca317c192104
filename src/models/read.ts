/**
 * The model reader: the user's TypeORM entities -> raw Schema IR in TypeORM's own
 * vocabulary (not yet normalised; `dialect.normalizeSchema()` does that). It asks
 * TypeORM for everything — naming strategy, junction and closure tables, embedded
 * columns, inheritance — and never re-implements it. No database connection is used.
 */
import { UserError } from "../errors.js";
import type { DialectName, SchemaIR } from "../schema/ir.js";
import { buildEntityMetadata } from "./metadata.js";
import { sourceFromDataSourceFile, sourceFromGlobs, type ModelSource } from "./sources.js";
import { isSyncedTable, schemaToIR } from "./tables.js";

export interface ReadModelsOptions {
  dialect: DialectName;
  /** Glob patterns or files, relative to baseDir. */
  entities?: string[];
  /** Path (relative to baseDir) of a module exporting a TypeORM DataSource. */
  dataSource?: string;
  baseDir: string;
  /** PostgreSQL schema the tables live in by default (default "public"). */
  defaultSchema?: string;
}

export interface ModelSet {
  schema: SchemaIR;
  /**
   * Tables the models know but TypeORM never synchronises (`synchronize: false`
   * entities, view entities): they are not in `schema`, and a caller comparing with a
   * database should leave them out of the database side too.
   */
  unmanagedTables: string[];
}

/** The entity classes and shaping options the models come from (also what `seed` connects TypeORM with). */
export async function resolveSource(options: Omit<ReadModelsOptions, "dialect">): Promise<ModelSource> {
  const hasEntities = options.entities !== undefined && options.entities.length > 0;
  if (hasEntities && options.dataSource) {
    throw new UserError(`give either entities or a dataSource file, not both`);
  }
  if (options.dataSource) return sourceFromDataSourceFile(options.dataSource, options.baseDir);
  if (hasEntities) return sourceFromGlobs(options.entities as string[], options.baseDir);
  throw new UserError(`no models to read: set "entities" (globs) or "dataSource" (a TypeORM DataSource file)`);
}

export async function readModelSet(options: ReadModelsOptions): Promise<ModelSet> {
  const source = await resolveSource(options);
  const { typeorm, dataSource, metadatas } = await buildEntityMetadata(source, options.dialect);
  if (metadatas.length === 0) {
    throw new UserError(`${source.label}: no TypeORM entities found (no exported class is decorated with @Entity)`);
  }
  const schema = schemaToIR(metadatas, {
    dialect: options.dialect,
    namingStrategy: dataSource.namingStrategy,
    createTable: (metadata) => typeorm.Table.create(metadata, dataSource.driver),
    defaultSchema: options.defaultSchema ?? (typeof dataSource.options.schema === "string" ? dataSource.options.schema : "public"),
    ...(options.dialect === "postgres" && dataSource.driver.uuidGenerator
      ? { uuidGenerator: dataSource.driver.uuidGenerator }
      : {}),
  });
  const unmanaged = metadatas
    .filter((m) => !isSyncedTable(m) && m.tableType !== "entity-child")
    .map((m) => m.tableName);
  return { schema, unmanagedTables: [...new Set(unmanaged)].sort() };
}

/** Raw IR of the models (TypeORM vocabulary; normalise with the dialect before diffing). */
export async function readModels(options: ReadModelsOptions): Promise<SchemaIR> {
  return (await readModelSet(options)).schema;
}
