/**
 * Autogenerate's comparison: the models' IR (what TypeORM's metadata describes) against
 * the live database's IR, both normalised by the dialect, diffed into ops + findings.
 */
import type { ResolvedConfig } from "./config/config.js";
import type { DbConnection, Dialect } from "./dialects/dialect.js";
import { diffSchemas } from "./diff/index.js";
import type { DiffResult, RenameHints } from "./diff/types.js";
import { UserError } from "./errors.js";
import { readModels } from "./models/index.js";
import type { SchemaIR } from "./schema/ir.js";

export async function readTargetSchema(config: ResolvedConfig, dialect: Dialect): Promise<SchemaIR> {
  if (!config.dataSource && config.entities.length === 0) {
    throw new UserError(
      `${config.file ?? "configuration"}: no models to compare: set "entities" (globs) or "dataSource" (a TypeORM DataSource file)`,
    );
  }
  const raw = await readModels({
    dialect: config.dialect,
    baseDir: config.baseDir,
    ...(config.dataSource ? { dataSource: config.dataSource } : { entities: config.entities }),
  });
  const excluded = new Set([config.versionTable, ...config.excludeTables]);
  return dialect.normalizeSchema({ ...raw, tables: raw.tables.filter((t) => !excluded.has(t.name)) });
}

export async function readDatabaseSchema(
  conn: DbConnection,
  config: ResolvedConfig,
  dialect: Dialect,
): Promise<SchemaIR> {
  return dialect.introspect(conn, {
    versionTable: config.versionTable,
    excludeTables: config.excludeTables,
    ...(config.schema ? { schema: config.schema } : {}),
  });
}

export async function compareModelsToDatabase(
  conn: DbConnection,
  config: ResolvedConfig,
  dialect: Dialect,
  renames: RenameHints = {},
): Promise<DiffResult & { target: SchemaIR; current: SchemaIR }> {
  const target = await readTargetSchema(config, dialect);
  const current = await readDatabaseSchema(conn, config, dialect);
  return { ...diffSchemas(target, current, { renames }), target, current };
}
