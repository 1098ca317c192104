/**
 * Where the models come from: entity files matched by `entities` globs, or a module
 * exporting a TypeORM DataSource (what the TypeORM CLI's `-d` takes). Either way the
 * result is a list of entity classes / EntitySchemas plus the few DataSource options
 * that shape metadata (naming strategy, entity prefix, schema).
 */
import path from "node:path";
import { UserError } from "../errors.js";
import { expandGlobs } from "../load/glob.js";
import { prepareProgram } from "../load/program.js";
import { loadModule, loadModules, requireFromProject } from "../load/typescript.js";

/** Entity file formats TypeORM's own directory loader accepts (`.d.ts` excluded). */
const ENTITY_FILE = /\.(js|mjs|cjs|ts|mts|cts)$/;

/** DataSource options that change what the metadata looks like. */
export interface MetadataOptions {
  /** The user's driver type, when read from a DataSource file. */
  type?: string;
  namingStrategy?: unknown;
  entityPrefix?: string;
  schema?: string;
  uuidExtension?: string;
  database?: string;
  /** TypeORM's own bookkeeping tables, when the DataSource renames them. */
  migrationsTableName?: string;
  metadataTableName?: string;
}

export interface ModelSource {
  /** Entity classes and EntitySchema objects. */
  entities: unknown[];
  /** Directory the user's packages (typeorm, reflect-metadata) resolve from. */
  projectDir: string;
  options: MetadataOptions;
  /** Names the models' origin in error messages (glob list or DataSource file). */
  label: string;
}

/**
 * The options every DataSource autogen builds from the user's models carries: the
 * entities and what shapes their table and constraint names. No subscribers or
 * migrations, no logging.
 */
export function modelOptions(source: ModelSource): Record<string, unknown> {
  const options: Record<string, unknown> = { entities: source.entities, subscribers: [], migrations: [], logging: false };
  if (source.options.namingStrategy) options.namingStrategy = source.options.namingStrategy;
  if (source.options.entityPrefix) options.entityPrefix = source.options.entityPrefix;
  return options;
}

function hasInstanceTag(value: unknown, name: string): boolean {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    (value as Record<string, unknown>)["@instanceof"] === Symbol.for(name)
  );
}

export function isDataSource(value: unknown): boolean {
  return hasInstanceTag(value, "DataSource");
}

function isPlainContainer(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Classes and EntitySchemas a module exports, as TypeORM's directory loader collects
 * them (non-entity classes are harmless: the metadata builder ignores them). Arrays and
 * plain objects are looked into one level deep, not arbitrary instances.
 */
function exportedEntityCandidates(exports: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (typeof value === "function" || hasInstanceTag(value, "EntitySchema")) found.push(value);
    else if (depth > 0 && Array.isArray(value)) value.forEach((v) => visit(v, depth - 1));
    else if (depth > 0 && isPlainContainer(value)) Object.values(value).forEach((v) => visit(v, depth - 1));
  };
  Object.values(exports).forEach((v) => visit(v, 1));
  return found;
}

function entityFiles(files: string[]): string[] {
  return files.filter((f) => ENTITY_FILE.test(f) && !f.endsWith(".d.ts"));
}

/** The entity files `patterns` name, as TypeORM's directory loader picks them (relative to `baseDir`). */
export function entityFilesMatching(patterns: string[], baseDir: string): string[] {
  return entityFiles(expandGlobs(patterns, baseDir));
}

/** Entities and decorators need `Reflect.getMetadata` before the first entity file runs. */
function loadReflectMetadata(projectDir: string): void {
  try {
    requireFromProject(projectDir, "reflect-metadata");
  } catch {
    // Without it TypeORM still works for entities that give every column type explicitly.
  }
}

/** How the user's TypeScript is compiled: the config's directory and its `tsconfig` field. */
export interface CompileOptions {
  /** Directory of the autogen config (the nearest tsconfig is looked up from here). */
  baseDir: string;
  tsconfig?: string;
}

function loadEntityFiles(files: string[], projectDir: string, compile: CompileOptions, prepared = false): unknown[] {
  loadReflectMetadata(projectDir);
  // One whole-program emit for all of them, so imported types reach decorator metadata.
  if (!prepared) prepareProgram(files, compile);
  const entities: unknown[] = [];
  for (const exports of loadModules(files)) {
    for (const candidate of exportedEntityCandidates(exports)) {
      if (!entities.includes(candidate)) entities.push(candidate);
    }
  }
  return entities;
}

/** The entity files `patterns` match (relative to `baseDir`); none is an error naming the patterns. */
export function matchEntityFiles(patterns: string[], baseDir: string): string[] {
  const files = entityFiles(expandGlobs(patterns, baseDir));
  if (files.length === 0) {
    throw new UserError(`entities ${globsLabel(patterns)}: no entity files match (relative to ${baseDir})`);
  }
  return files;
}

const globsLabel = (patterns: string[]) => patterns.map((p) => `"${p}"`).join(", ");

/**
 * The entities of `files` (what `patterns` matched). `prepared`: their program was
 * compiled already (prepareProgram), as the models cache does before looking up.
 */
export function sourceFromFiles(files: string[], patterns: string[], compile: CompileOptions, prepared = false): ModelSource {
  const projectDir = path.dirname(files[0] as string);
  return {
    entities: loadEntityFiles(files, projectDir, compile, prepared),
    projectDir,
    options: {},
    label: `entities ${globsLabel(patterns)}`,
  };
}

/** Entity files matched by `patterns` (relative to `baseDir`). */
export function sourceFromGlobs(patterns: string[], baseDir: string, compile: CompileOptions = { baseDir }): ModelSource {
  return sourceFromFiles(matchEntityFiles(patterns, baseDir), patterns, compile);
}

async function findDataSource(file: string, exports: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (isDataSource(exports)) return exports;
  const found: Array<{ key: string; value: Record<string, unknown> }> = [];
  for (const [key, value] of Object.entries(exports)) {
    // TypeORM's CLI awaits each export, so `export default Promise<DataSource>` works too.
    const awaited: unknown = await value;
    if (isDataSource(awaited) && !found.some((f) => f.value === awaited)) {
      found.push({ key, value: awaited as Record<string, unknown> });
    }
  }
  if (found.length === 0) {
    throw new UserError(`${file}: exports no TypeORM DataSource (export one as default or by name)`);
  }
  if (found.length > 1) {
    throw new UserError(`${file}: exports ${found.length} DataSources (${found.map((f) => f.key).join(", ")}); keep one per file`);
  }
  return (found[0] as { value: Record<string, unknown> }).value;
}

/** Entity list of a DataSource's options: classes, schemas and glob strings mixed. */
function entitiesOfOptions(file: string, listed: unknown, projectDir: string, compile: CompileOptions): unknown[] {
  const items: unknown[] =
    listed === undefined || listed === null
      ? []
      : Array.isArray(listed)
        ? listed
        : typeof listed === "object"
          ? Object.values(listed)
          : [listed];
  const direct = items.filter((i) => typeof i !== "string");
  const patterns = items.filter((i): i is string => typeof i === "string");
  if (patterns.length === 0) return direct;
  // TypeORM resolves these against the working directory; a pattern written relative
  // to the DataSource file is accepted too.
  let files = entityFiles(expandGlobs(patterns, process.cwd()));
  if (files.length === 0) files = entityFiles(expandGlobs(patterns, projectDir));
  if (files.length === 0 && direct.length === 0) {
    throw new UserError(
      `${file}: entities ${patterns.map((p) => `"${p}"`).join(", ")} match no files (relative to ${process.cwd()} or ${projectDir})`,
    );
  }
  const loaded = loadEntityFiles(files, projectDir, compile);
  return [...direct, ...loaded.filter((e) => !direct.includes(e))];
}

/** A module exporting a TypeORM DataSource; it is never initialised. */
export async function sourceFromDataSourceFile(
  dataSourceFile: string,
  baseDir: string,
  compile: CompileOptions = { baseDir },
): Promise<ModelSource> {
  const file = path.resolve(baseDir, dataSourceFile);
  const projectDir = path.dirname(file);
  loadReflectMetadata(projectDir);
  // The DataSource file and the entity classes it imports; `entities` globs come second.
  prepareProgram([file], compile);
  const dataSource = await findDataSource(file, loadModule(file));
  const options = (dataSource.options ?? {}) as Record<string, unknown>;
  const entities = entitiesOfOptions(file, options.entities, projectDir, compile);
  const metadataOptions: MetadataOptions = {};
  if (typeof options.type === "string") metadataOptions.type = options.type;
  if (options.namingStrategy) metadataOptions.namingStrategy = options.namingStrategy;
  if (typeof options.entityPrefix === "string") metadataOptions.entityPrefix = options.entityPrefix;
  if (typeof options.schema === "string") metadataOptions.schema = options.schema;
  if (typeof options.uuidExtension === "string") metadataOptions.uuidExtension = options.uuidExtension;
  if (typeof options.database === "string") metadataOptions.database = options.database;
  if (typeof options.migrationsTableName === "string") metadataOptions.migrationsTableName = options.migrationsTableName;
  if (typeof options.metadataTableName === "string") metadataOptions.metadataTableName = options.metadataTableName;
  return { entities, projectDir, options: metadataOptions, label: file };
}
