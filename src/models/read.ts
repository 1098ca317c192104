/**
 * The model reader: the user's TypeORM entities -> raw Schema IR in TypeORM's own
 * vocabulary (not yet normalised; `dialect.normalizeSchema()` does that). It asks
 * TypeORM for everything — naming strategy, junction and closure tables, embedded
 * columns, inheritance — and never re-implements it. No database connection is used.
 */
import { UserError } from "../errors.js";
import type { DialectName, SchemaIR } from "../schema/ir.js";
import { getDialect } from "../dialects/index.js";
import { recordingRuntimeInputs } from "../load/inputs.js";
import { cacheDirFor, configureLoader, countModelCacheHit, prefetchDone, loaderSettings, prepareProgram } from "../load/program.js";
import { modelCacheSlot, readCachedModels, writeCachedModels } from "./model-cache.js";
import { buildEntityMetadata } from "./metadata.js";
import { checkIdentifierLengths } from "./identifier-length.js";
import { quoteValueDefaults } from "./literal-defaults.js";
import { matchEntityFiles, sourceFromDataSourceFile, sourceFromFiles, sourceFromGlobs, type ModelSource } from "./sources.js";
import { isUnmanaged, schemaToIR } from "./tables.js";

export interface ReadModelsOptions {
  dialect: DialectName;
  /** Glob patterns or files, relative to baseDir. */
  entities?: string[];
  /** Path (relative to baseDir) of a module exporting a TypeORM DataSource. */
  dataSource?: string;
  baseDir: string;
  /** Schema the tables live in by default (default: the dialect's). */
  defaultSchema?: string;
  /** The tsconfig entities compile with (relative to baseDir); default: the nearest one. */
  tsconfig?: string;
  /** Directory of the compiled-entities cache; default: node_modules/.cache/autogen of the project. */
  cacheDir?: string;
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
  await prefetchDone();
  const hasEntities = options.entities !== undefined && options.entities.length > 0;
  if (hasEntities && options.dataSource) {
    throw new UserError(`give either entities or a dataSource file, not both`);
  }
  // Always set, also to "none given": an earlier read in this process (another project) must not choose our cache.
  configureLoader({ cacheDir: options.cacheDir });
  const compile = { baseDir: options.baseDir, ...(options.tsconfig !== undefined ? { tsconfig: options.tsconfig } : {}) };
  if (options.dataSource) return sourceFromDataSourceFile(options.dataSource, options.baseDir, compile);
  if (hasEntities) return sourceFromGlobs(options.entities as string[], options.baseDir, compile);
  throw new UserError(`no models to read: set "entities" (globs) or "dataSource" (a TypeORM DataSource file)`);
}

/**
 * The models' IR. Entities given by globs are read through the models cache
 * (model-cache.ts): unchanged entities are neither evaluated nor turned into TypeORM
 * metadata again. A DataSource file is read afresh every time (its `entities` may be
 * globs TypeORM expands while it loads, which no key here could see).
 */
export async function readModelSet(options: ReadModelsOptions): Promise<ModelSet> {
  await prefetchDone();
  const patterns = options.entities ?? [];
  if (options.dataSource || patterns.length === 0) return modelsOf(await resolveSource(options), options);
  configureLoader({ cacheDir: options.cacheDir });
  if (!loaderSettings().cache) return modelsOf(await resolveSource(options), options);
  const files = matchEntityFiles(patterns, options.baseDir);
  const compile = { baseDir: options.baseDir, ...(options.tsconfig !== undefined ? { tsconfig: options.tsconfig } : {}) };
  const fingerprint = prepareProgram(files, compile);
  const read = () => modelsOf(sourceFromFiles(files, patterns, compile, true), options);
  if (fingerprint === undefined) return read();
  const request = {
    dialect: options.dialect,
    patterns,
    files,
    defaultSchema: options.defaultSchema ?? null,
    tsconfig: options.tsconfig ?? null,
    cwd: process.cwd(),
  };
  const slot = modelCacheSlot(cacheDirFor(options.baseDir), request, fingerprint);
  const cached = readCachedModels<ModelSet>(slot);
  if (cached) {
    countModelCacheHit();
    return cached;
  }
  const { result, inputs } = await recordingRuntimeInputs(read, files);
  if (inputs) writeCachedModels(slot, result, inputs);
  return result;
}

async function modelsOf(source: ModelSource, options: ReadModelsOptions): Promise<ModelSet> {
  const dialect = getDialect(options.dialect);
  const { typeorm, dataSource, metadatas } = await buildEntityMetadata(source, dialect);
  if (metadatas.length === 0) {
    throw new UserError(`${source.label}: no TypeORM entities found (no exported class is decorated with @Entity)`);
  }
  quoteValueDefaults(dataSource.driver, dialect.quoteLiteral);
  const schema = schemaToIR(metadatas, {
    dialect,
    namingStrategy: dataSource.namingStrategy,
    createTable: (metadata) => typeorm.Table.create(metadata, dataSource.driver),
    defaultSchema:
      options.defaultSchema ?? (typeof dataSource.options.schema === "string" ? dataSource.options.schema : dialect.defaultSchema),
    ...(dataSource.driver.uuidGenerator ? { uuidGenerator: dataSource.driver.uuidGenerator } : {}),
  });
  checkIdentifierLengths(schema, metadatas, dialect.capabilities.maxIdentifierBytes, dialect.title);
  const unmanaged = metadatas.filter(isUnmanaged).map((m) => m.tableName);
  // TypeORM's own migrations and metadata tables are not the models' business: a project
  // moving from `migration:generate` must not get an autogenerated drop of its history.
  const modelTables = new Set(schema.tables.map((t) => t.name));
  const bookkeeping = [source.options.migrationsTableName ?? "migrations", source.options.metadataTableName ?? "typeorm_metadata"].filter(
    (name) => !modelTables.has(name),
  );
  return { schema, unmanagedTables: [...new Set([...unmanaged, ...bookkeeping])].sort() };
}

/** Raw IR of the models (TypeORM vocabulary; normalise with the dialect before diffing). */
export async function readModels(options: ReadModelsOptions): Promise<SchemaIR> {
  return (await readModelSet(options)).schema;
}
