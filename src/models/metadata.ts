/**
 * TypeORM's own EntityMetadata, built without a database connection: a DataSource of
 * the target dialect's driver type is constructed with the user's entities and its
 * (protected) `buildMetadatas()` is called — what `initialize()` does after connecting,
 * minus the connection. The driver package is replaced by an inert stub, so no database
 * driver (nor a native module) is needed to read models.
 *
 * `typeorm` is loaded from the user's project, so the DataSource, the decorators that
 * filled the metadata-args storage and the classes here are one TypeORM (0.3 or 1.x).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { UserError, errorMessage } from "../errors.js";
import { fastInheritance, indexStorage } from "./indexed-storage.js";
import { requireFromProject } from "../load/typescript.js";
import type { Dialect } from "../dialects/dialect.js";
import { modelOptions, type ModelSource } from "./sources.js";
import type { TypeOrmEntityMetadata, TypeOrmNamingStrategy, TypeOrmTable } from "./tables.js";

/** What this module needs from the user's `typeorm` package. */
export interface TypeOrmPackage {
  DataSource: new (options: Record<string, unknown>) => MetadataDataSource;
  getMetadataArgsStorage?: () => Record<string, unknown>;
  Table: { create(metadata: TypeOrmEntityMetadata, driver: unknown): TypeOrmTable };
}

export interface MetadataDataSource {
  options: Record<string, unknown>;
  driver: { uuidGenerator?: string };
  namingStrategy: TypeOrmNamingStrategy;
  entityMetadatas: TypeOrmEntityMetadata[];
}

export interface BuiltMetadata {
  typeorm: TypeOrmPackage;
  dataSource: MetadataDataSource;
  metadatas: TypeOrmEntityMetadata[];
}

/**
 * Stands in for the database driver module. Reading models never connects;
 * if something tried, it would fail here with a message that says why.
 */
const OFFLINE_DRIVER = Object.freeze({
  Pool: class {
    constructor() {
      throw new Error("autogen builds TypeORM metadata without connecting; no database driver is loaded");
    }
  },
});

function driverOptions(dialect: Dialect, source: ModelSource, type: string): Record<string, unknown> {
  const { options } = source;
  // Options of another database's DataSource do not carry over (its `schema`, its `database` file).
  const sameFamily = options.type === undefined || dialect.typeorm.family.has(options.type);
  return {
    ...modelOptions(source),
    driver: OFFLINE_DRIVER,
    ...dialect.typeorm.requiredMetadataOptions,
    ...(sameFamily ? dialect.typeorm.metadataOptions(options) : {}),
    type,
  };
}

function loadTypeOrm(projectDir: string): TypeOrmPackage {
  const typeorm = requireFromProject(projectDir, "typeorm") as Partial<TypeOrmPackage>;
  if (typeof typeorm.DataSource !== "function" || typeof typeorm.Table?.create !== "function") {
    throw new UserError(`the "typeorm" package found from ${projectDir} has no DataSource: autogen needs TypeORM 0.3 or later`);
  }
  return typeorm as TypeOrmPackage;
}

function createDataSource(typeorm: TypeOrmPackage, dialect: Dialect, source: ModelSource): MetadataDataSource {
  let lastError: unknown;
  for (const type of dialect.typeorm.metadataTypes) {
    try {
      return new typeorm.DataSource(driverOptions(dialect, source, type));
    } catch (err) {
      lastError = err;
      if ((err as { name?: string }).name !== "MissingDriverError") break;
    }
  }
  throw new UserError(`${source.label}: TypeORM could not set up a ${dialect.name} DataSource: ${errorMessage(lastError)}`);
}

/** How many decorator records TypeORM holds: grows while deferred decorators still run. */
function recordedDecorators(typeorm: TypeOrmPackage): number {
  const storage = typeorm.getMetadataArgsStorage?.() ?? {};
  let count = 0;
  for (const value of Object.values(storage)) if (Array.isArray(value)) count += value.length;
  return count;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const afterTimers = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
/** Bounds the wait for a decorator that keeps rescheduling itself forever. */
const MAX_TURNS = 20;

/**
 * Lets deferred work the entity files scheduled (promises, `setImmediate`, zero
 * timers: decorators that register columns or relations late) finish before the
 * metadata is built. TypeORM's `initialize()` gets the same for free: it connects
 * first, which takes several turns of the event loop. We turn the loop until the
 * decorator records stop growing.
 */
export async function settleDeferredDecorators(typeorm: TypeOrmPackage): Promise<void> {
  let before = recordedDecorators(typeorm);
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    await nextTurn();
    await afterTimers();
    const now = recordedDecorators(typeorm);
    if (now === before) return;
    before = now;
  }
}

export async function buildEntityMetadata(source: ModelSource, dialect: Dialect): Promise<BuiltMetadata> {
  const typeorm = loadTypeOrm(source.projectDir);
  await settleDeferredDecorators(typeorm);
  const dataSource = createDataSource(typeorm, dialect, source);
  const restore = indexTypeOrmLookups(typeorm);
  try {
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  } catch (err) {
    throw Object.assign(new UserError(`${source.label}: TypeORM rejected the entities: ${errorMessage(err).replace(/\s*\n\s*/g, " ")}`), {
      cause: err,
    });
  } finally {
    restore();
  }
  return { typeorm, dataSource, metadatas: dataSource.entityMetadatas };
}

/**
 * Linear lookups for TypeORM's metadata builder (indexed-storage.ts), on this very
 * TypeORM: its decorator storage, and the MetadataUtils module next to its entry point.
 */
function indexTypeOrmLookups(typeorm: TypeOrmPackage): () => void {
  const storage = typeorm.getMetadataArgsStorage?.();
  if (!storage) return () => {};
  const restoreStorage = indexStorage(storage);
  const cache = createRequire(import.meta.url).cache;
  const entry = Object.values(cache).find((m) => m?.exports === typeorm);
  const utils = entry
    ? (
        cache[path.join(path.dirname(entry.filename), "metadata-builder", "MetadataUtils.js")]?.exports as
          { MetadataUtils?: unknown } | undefined
      )?.MetadataUtils
    : undefined;
  const tables = Array.isArray(storage.tables) ? (storage.tables as Array<{ target?: unknown }>).map((t) => t.target) : [];
  const restoreUtils =
    utils && typeof (utils as { isInherited?: unknown }).isInherited === "function"
      ? fastInheritance(utils as { isInherited(a: unknown, b: unknown): boolean }, tables)
      : () => {};
  return () => {
    restoreUtils();
    restoreStorage();
  };
}
