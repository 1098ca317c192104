/**
 * The outside oracle: TypeORM's own schema builder, connected to the database autogen
 * migrated. If TypeORM would still run any "up" query, our migration missed something.
 */
import path from "node:path";
import { expandGlobs, loadModule, requireFromProject } from "../../src/load/typescript.js";
import { getDialect } from "../../src/dialects/index.js";
import type { DialectName } from "../../src/schema/ir.js";
import { REPO_ROOT } from "./project.js";

interface TypeOrmDataSource {
  initialize(): Promise<unknown>;
  destroy(): Promise<unknown>;
  synchronize(): Promise<void>;
  runMigrations(): Promise<unknown[]>;
  query(sql: string, params?: unknown[]): Promise<unknown>;
  driver: { createSchemaBuilder(): { log(): Promise<{ upQueries: Array<{ query: string }> }> } };
}

/** A TypeORM DataSource on `url` with the entities of `entityGlobs` (and `extra` options), not yet initialised. */
function typeormDataSource(
  dialect: DialectName,
  url: string,
  entityGlobs: string[],
  extra: Record<string, unknown> = {},
): TypeOrmDataSource {
  const typeorm = requireFromProject(REPO_ROOT, "typeorm") as {
    DataSource: new (options: Record<string, unknown>) => TypeOrmDataSource;
  };
  const entities = expandGlobs(entityGlobs, REPO_ROOT).flatMap((file) =>
    Object.values(loadModule(file)).filter((v) => typeof v === "function"),
  );
  return new typeorm.DataSource({ ...typeormOptions(dialect, url), entities, ...extra });
}

/** How TypeORM 1.x connects to each test database: a database joining the registry says here which driver its users pick. */
const TYPEORM_OPTIONS: Record<DialectName, (url: string) => Record<string, unknown>> = {
  postgres: (url) => ({ type: "postgres", url }),
  // MariaDB is the server the MySQL tests run on: TypeORM's "mariadb" driver, as its users would pick.
  mysql: (url) => ({ type: "mariadb", url: url.replace(/^mariadb:/i, "mysql:") }),
  sqlite: (url) => ({ type: "better-sqlite3", database: url.replace(/^sqlite:(\/\/)?/, "") }),
};

/** TypeORM's connection options (driver type and where) for a test database's URL. */
export const typeormOptions = (dialect: DialectName, url: string): Record<string, unknown> => TYPEORM_OPTIONS[dialect](url);

/**
 * A database as a TypeORM project builds it: `synchronize`, then `migration:run` with
 * `migrations` (which leaves their rows in TypeORM's `migrations` table), then `seed`
 * runs on the DataSource.
 */
export async function typeormBuild(
  dialect: DialectName,
  url: string,
  entityGlobs: string[],
  migrations: unknown[],
  seed: (ds: TypeOrmDataSource) => Promise<void>,
): Promise<void> {
  const ds = typeormDataSource(dialect, url, entityGlobs, { migrations });
  await ds.initialize();
  try {
    await ds.synchronize();
    await ds.runMigrations();
    await seed(ds);
  } finally {
    await ds.destroy();
  }
}

export async function typeormPendingQueries(dialect: DialectName, url: string, entityGlobs: string[]): Promise<string[]> {
  const ds = typeormDataSource(dialect, url, entityGlobs);
  await ds.initialize();
  try {
    const log = await ds.driver.createSchemaBuilder().log();
    return log.upQueries.map((q) => q.query);
  } finally {
    await ds.destroy();
  }
}

export const sqlitePath = (url: string) => path.resolve(url.replace(/^sqlite:(\/\/)?/, ""));

/**
 * A TypeORM DataSource on `url` built with `typeorm` (a project's own TypeORM), connected as
 * `autogen seed` connects: the dialect's driver types in order, the first this TypeORM has
 * a driver for (0.3 and 1.x name some differently). Not yet initialised.
 */
export function projectDataSource<T>(
  typeorm: { DataSource: new (options: Record<string, unknown>) => T },
  dialect: DialectName,
  url: string,
  extra: Record<string, unknown>,
): T {
  const { types, options } = getDialect(dialect).seedDataSource(url, undefined, {});
  const missing: string[] = [];
  for (const type of types) {
    try {
      return new typeorm.DataSource({ ...options, ...extra, type });
    } catch (err) {
      const name = (err as { name?: unknown } | null)?.name;
      if (name !== "MissingDriverError" && name !== "DriverPackageNotInstalledError") throw err;
      missing.push(type);
    }
  }
  throw new Error(`this TypeORM has none of the drivers ${missing.join(", ")}`);
}
