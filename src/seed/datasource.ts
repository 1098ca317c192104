/**
 * The connected TypeORM DataSource seeders write through. It is built from the user's
 * own `typeorm` package and the entity classes the model reader collects (from the
 * `entities` globs or the `dataSource` file), so the classes a seeder imports are the
 * ones this DataSource has metadata for. Its options carry only what shapes table
 * names (naming strategy, prefix, schema); it never synchronises or runs migrations:
 * the schema is autogen's business and must already be at head.
 */
import type { DataSource } from "typeorm";
import { redactUrl, type ResolvedConfig } from "../config/config.js";
import { getDialect } from "../dialects/index.js";
import { UserError, errorMessage } from "../errors.js";
import { requireFromProject } from "../load/typescript.js";
import { resolveModelSource, type ModelSource } from "../models/index.js";
import { modelOptions } from "../models/sources.js";

type DataSourceClass = new (options: Record<string, unknown>) => DataSource;

function baseOptions(source: ModelSource): Record<string, unknown> {
  return { ...modelOptions(source), synchronize: false, migrationsRun: false, dropSchema: false };
}

function isDriverMissing(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === "MissingDriverError" || name === "DriverPackageNotInstalledError";
}

/** The dialect says which TypeORM driver types reach the database (0.3 and 1.x name some differently); the first TypeORM has wins. */
function createDataSource(typeorm: { DataSource: DataSourceClass }, config: ResolvedConfig, source: ModelSource): DataSource {
  const dialect = getDialect(config.dialect);
  const { types, options } = dialect.seedDataSource(config.url, config.schema, source.options);
  const failures: string[] = [];
  for (const type of types) {
    try {
      return new typeorm.DataSource({ ...baseOptions(source), ...options, type });
    } catch (err) {
      if (!isDriverMissing(err)) throw err;
      failures.push(`${type}: ${errorMessage(err).split("\n")[0]}`);
    }
  }
  throw new UserError(`TypeORM has no usable ${dialect.title} driver for seeding (${failures.join("; ")})`);
}

export async function connectDataSource(config: ResolvedConfig): Promise<DataSource> {
  if (!config.dataSource && config.entities.length === 0) {
    throw new UserError(
      `${config.file ?? "configuration"}: no models to seed: set "entities" (globs) or "dataSource" (a TypeORM DataSource file)`,
    );
  }
  const source = await resolveModelSource({
    baseDir: config.baseDir,
    ...(config.tsconfig ? { tsconfig: config.tsconfig } : {}),
    ...(config.cacheDir ? { cacheDir: config.cacheDir } : {}),
    ...(config.dataSource ? { dataSource: config.dataSource } : { entities: config.entities }),
  });
  const typeorm = requireFromProject(source.projectDir, "typeorm") as { DataSource?: DataSourceClass };
  if (typeof typeorm.DataSource !== "function") {
    throw new UserError(`the "typeorm" package found from ${source.projectDir} has no DataSource: seeding needs TypeORM 0.3 or later`);
  }
  const withDataSource = typeorm as { DataSource: DataSourceClass };
  const dataSource = createDataSource(withDataSource, config, source);
  try {
    await dataSource.initialize();
  } catch (err) {
    throw Object.assign(
      new UserError(`TypeORM could not connect to ${redactUrl(config.url)} for seeding: ${errorMessage(err).replace(/\s*\n\s*/g, " ")}`),
      { cause: err },
    );
  }
  return dataSource;
}
