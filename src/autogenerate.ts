/**
 * Autogenerate's comparison: the models' IR (what TypeORM's metadata describes) against
 * the live database's IR, both normalised by the dialect, diffed into ops + findings.
 */
import type { ResolvedConfig } from "./config/config.js";
import type { DbConnection, Dialect } from "./dialects/dialect.js";
import { diffSchemas } from "./diff/index.js";
import type { DiffOptions, DiffResult, RenameHints } from "./diff/types.js";
import { UserError } from "./errors.js";
import { readModelSet } from "./models/index.js";
import type { SchemaIR } from "./schema/ir.js";
import type { ProgressSink } from "./api/progress.js";

export interface TargetSchema {
  schema: SchemaIR;
  /** Tables the models know but do not manage (views, `synchronize: false`): left out on both sides. */
  unmanagedTables: string[];
}

export async function readTargetSchema(config: ResolvedConfig, dialect: Dialect): Promise<SchemaIR> {
  return (await readTarget(config, dialect)).schema;
}

async function readTarget(config: ResolvedConfig, dialect: Dialect): Promise<TargetSchema> {
  if (!config.dataSource && config.entities.length === 0) {
    throw new UserError(
      `${config.file ?? "configuration"}: no models to compare: set "entities" (globs) or "dataSource" (a TypeORM DataSource file)`,
    );
  }
  const models = await readModelSet({
    dialect: config.dialect,
    baseDir: config.baseDir,
    ...(config.schema ? { defaultSchema: config.schema } : {}),
    ...(config.tsconfig ? { tsconfig: config.tsconfig } : {}),
    ...(config.cacheDir ? { cacheDir: config.cacheDir } : {}),
    ...(config.dataSource ? { dataSource: config.dataSource } : { entities: config.entities }),
  });
  const excluded = new Set([config.versionTable, ...config.excludeTables]);
  const raw = models.schema;
  return {
    schema: dialect.normalizeSchema({ ...raw, tables: raw.tables.filter((t) => !excluded.has(t.name)) }),
    unmanagedTables: models.unmanagedTables,
  };
}

export async function readDatabaseSchema(
  conn: DbConnection,
  config: ResolvedConfig,
  dialect: Dialect,
  alsoExclude: readonly string[] = [],
): Promise<SchemaIR> {
  return dialect.introspect(conn, {
    versionTable: config.versionTable,
    excludeTables: [...config.excludeTables, ...alsoExclude],
    ...(config.schema ? { schema: config.schema } : {}),
  });
}

/** A diff together with the two schemas and the options it was computed from. */
export type Comparison = DiffResult & { target: SchemaIR; current: SchemaIR; options: DiffOptions };

export async function compareModelsToDatabase(
  conn: DbConnection,
  config: ResolvedConfig,
  dialect: Dialect,
  renames: RenameHints = {},
  progress?: ProgressSink,
): Promise<Comparison> {
  return compareModelsTo((unmanaged) => readDatabaseSchema(conn, config, dialect, unmanaged), config, dialect, renames, progress);
}

/**
 * The models against any current schema (the database's, or the one the revision files
 * replay to for `check --offline`); `readCurrent` is told which tables to leave out.
 */
export async function compareModelsTo(
  readCurrent: (unmanagedTables: string[]) => Promise<SchemaIR>,
  config: ResolvedConfig,
  dialect: Dialect,
  renames: RenameHints = {},
  progress?: ProgressSink,
): Promise<Comparison> {
  progress?.phase("reading the models");
  const { schema: target, unmanagedTables } = await readTarget(config, dialect);
  const tables = target.tables.length;
  progress?.phase(`reading the database (${tables} tables in the models)`, tables);
  const current = await readCurrent(unmanagedTables);
  progress?.phase(`comparing ${tables} tables`, tables);
  const options: DiffOptions = {
    renames,
    unnamedConstraintsDroppable: dialect.capabilities.dropsUnnamedConstraints,
    enumTypes: dialect.capabilities.enumTypes,
    widens: (from, to) => dialect.widens(from, to),
  };
  return { ...diffSchemas(target, current, options), target, current, options };
}
