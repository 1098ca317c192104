/**
 * autogen.config.json: where the models are, which database, where revisions live.
 *
 * Precedence for the database URL: `--url` flag, then AUTOGEN_DATABASE_URL, then the
 * config file. The dialect follows the effective URL's scheme, so pointing an SQLite
 * project at PostgreSQL is one flag. Relative paths are relative to the config file.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { DEFAULT_URL, DIALECT_NAMES, dialectOfUrl, getDialect, isDialectName, urlExamples, type DialectName } from "../dialects/index.js";
import { UsageError, UserError } from "../errors.js";
import { redactUrl } from "../dialects/redact.js";

/** Password-free form of a URL, safe to print: the dialect layer's one redaction. */
export { redactUrl };

export const DEFAULT_CONFIG_FILE = "autogen.config.json";
export const DEFAULT_VERSION_TABLE = "autogen_version";

/** The file as the user writes it. */
export interface ConfigFile {
  $schema?: string;
  dialect?: DialectName;
  url?: string;
  entities?: string[];
  dataSource?: string;
  versionsDir?: string;
  versionLocations?: string[];
  versionTable?: string;
  schema?: string;
  excludeTables?: string[];
  template?: string;
  seedsDir?: string;
  /** The tsconfig the entities compile with (default: the nearest one to this file). */
  tsconfig?: string;
  /** Directory of the compiled-entities cache (default: node_modules/.cache/autogen). */
  cache?: string;
}

/** The resolved configuration every command works from. */
export interface ResolvedConfig {
  /** Absolute path of the config file, or undefined when running from flags alone. */
  file?: string;
  /** Directory relative paths were resolved against. */
  baseDir: string;
  dialect: DialectName;
  /** Empty when none was given and the command does not connect (see `DatabaseNeed`). */
  url: string;
  /** Glob patterns, relative to baseDir. */
  entities: string[];
  /** Absolute path of a module exporting a TypeORM DataSource. */
  dataSource?: string;
  /** Absolute path where new revisions are written. */
  versionsDir: string;
  /** Every directory revisions are read from (versionsDir first). */
  versionLocations: string[];
  versionTable: string;
  schema?: string;
  excludeTables: string[];
  /** Absolute path of a custom revision template, if any. */
  template?: string;
  /** Absolute path of the seeders directory (`seed`, `fresh --seed`). */
  seedsDir: string;
  /** Absolute path of the tsconfig the entities compile with, when the config names one. */
  tsconfig?: string;
  /** Absolute path of the compiled-entities cache, when the config names one. */
  cacheDir?: string;
}

const KNOWN_FIELDS: Record<keyof ConfigFile, "string" | "string[]"> = {
  $schema: "string",
  dialect: "string",
  url: "string",
  entities: "string[]",
  dataSource: "string",
  versionsDir: "string",
  versionLocations: "string[]",
  versionTable: "string",
  schema: "string",
  excludeTables: "string[]",
  template: "string",
  seedsDir: "string",
  tsconfig: "string",
  cache: "string",
};

export interface ConfigOverrides {
  /** Path to the config file (`--config`). */
  config?: string;
  /** Database URL (`--url`). */
  url?: string;
  /** Working directory used to find the default config file. */
  cwd?: string;
  /** Environment to read AUTOGEN_DATABASE_URL from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * What a command needs from the database settings: a URL to connect to, only the
 * dialect (offline `--sql` renders without connecting), or nothing (commands that only
 * read the revision files, such as `heads`).
 */
export type DatabaseNeed = "connection" | "dialect" | "none";

/** Line (1-based) of the first occurrence of `"field"` in the file, for error messages. */
function lineOf(text: string, field: string): number | undefined {
  const at = text.indexOf(`"${field}"`);
  if (at < 0) return undefined;
  return text.slice(0, at).split("\n").length;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(msg);
    const where = pos ? `:${text.slice(0, Number(pos[1])).split("\n").length}` : "";
    throw new UserError(`${file}${where}: malformed JSON: ${msg}`);
  }
}

function validate(file: string, text: string, raw: unknown): ConfigFile {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new UserError(`${file}: expected a JSON object at the top level`);
  }
  for (const [key, value] of Object.entries(raw)) {
    const at = lineOf(text, key);
    const where = at ? `${file}:${at}` : file;
    const kind = KNOWN_FIELDS[key as keyof ConfigFile];
    if (!kind) {
      throw new UserError(
        `${where}: unknown field "${key}" (known fields: ${Object.keys(KNOWN_FIELDS).filter((k) => k !== "$schema").join(", ")})`,
      );
    }
    const ok =
      kind === "string"
        ? typeof value === "string"
        : Array.isArray(value) && value.every((v) => typeof v === "string");
    if (!ok) throw new UserError(`${where}: field "${key}" must be ${kind === "string" ? "a string" : "an array of strings"}`);
  }
  const config = raw as ConfigFile;
  if (config.dialect !== undefined && !isDialectName(config.dialect)) {
    throw new UserError(
      `${file}:${lineOf(text, "dialect") ?? 1}: unknown dialect "${config.dialect}" (expected one of: ${DIALECT_NAMES.join(", ")})`,
    );
  }
  return config;
}

/** The dialect's name for a URL, or undefined when no registered dialect claims its scheme. */
export function dialectNameOfUrl(url: string): DialectName | undefined {
  return dialectOfUrl(url)?.name;
}

/** The URL its dialect will connect with: a relative file path made absolute against `baseDir`; other URLs as given. */
export function resolveUrl(url: string, baseDir: string): string {
  const dialect = dialectOfUrl(url);
  return dialect ? dialect.urls.resolve(url, baseDir) : url;
}

export function loadConfig(overrides: ConfigOverrides = {}, need: DatabaseNeed = "connection"): ResolvedConfig {
  // `--config` / `--url` given without a value arrive as "".
  if (overrides.config === "") throw new UsageError("--config needs the path of a config file");
  if (overrides.url === "") throw new UsageError("--url needs a database URL");
  const cwd = overrides.cwd ?? process.cwd();
  const env = overrides.env ?? process.env;
  const explicit = overrides.config !== undefined;
  const file = path.resolve(cwd, overrides.config ?? DEFAULT_CONFIG_FILE);

  let config: ConfigFile = {};
  let configText = "";
  let found = false;
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) {
      throw new UserError(`${file} is a directory; --config takes the config file (e.g. ${path.join(file, DEFAULT_CONFIG_FILE)})`);
    }
    // Some editors save JSON with a byte-order mark, which JSON.parse rejects.
    configText = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    config = validate(file, configText, parseJson(file, configText));
    found = true;
  } else if (explicit) {
    throw new UserError(`config file not found: ${file}`);
  }
  const baseDir = found ? path.dirname(file) : cwd;
  const where = found ? file : "command line";

  // An empty variable counts as unset, as shells commonly leave it.
  const envUrl = env.AUTOGEN_DATABASE_URL || undefined;
  const rawUrl = overrides.url ?? envUrl ?? config.url;
  if (!found && !rawUrl) {
    throw new UserError(
      `no ${DEFAULT_CONFIG_FILE} in ${cwd} and no --url or AUTOGEN_DATABASE_URL given (run \`autogen init\` to create one)`,
    );
  }
  if (!rawUrl) {
    if (need === "connection") throw missingUrlError(file);
    if (need === "dialect" && !config.dialect) {
      throw new UserError(
        `${file}: offline mode needs to know the database: set "dialect" (${DIALECT_NAMES.map((d) => `"${d}"`).join(", ")}), a "url", --url or AUTOGEN_DATABASE_URL`,
      );
    }
    // No URL: `url` stays empty and Workspace.connect() refuses. Commands that only read
    // revision files never look at the dialect; the first registered one merely fills the field.
    return resolvePaths(found, file, configText, config, { baseDir, dialect: config.dialect ?? DIALECT_NAMES[0]!, url: "" });
  }
  const urlSource = overrides.url ? "--url" : envUrl ? "AUTOGEN_DATABASE_URL" : where;
  const urlDialect = dialectNameOfUrl(rawUrl);
  if (!urlDialect) {
    throw new UserError(`${urlSource}: unsupported database URL "${redactUrl(rawUrl)}" (expected ${urlExamples()})`);
  }
  const urlFromConfig = !overrides.url && !envUrl;
  if (urlFromConfig && config.dialect && config.dialect !== urlDialect) {
    throw new UserError(
      `${file}:${lineOf(configText, "dialect") ?? 1}: field "dialect" is "${config.dialect}" but "url" is a ${urlDialect} URL`,
    );
  }
  // A URL from --url or the environment is resolved against the working directory,
  // one from the file against the file's directory.
  let url: string;
  try {
    url = resolveUrl(rawUrl, urlFromConfig ? baseDir : cwd);
  } catch (err) {
    throw new UserError(`${urlSource}: ${(err as Error).message}`);
  }
  // "schema" applies where the database has schemas; elsewhere only its one default
  // schema may be named. Wrong in the file's own pairing; ignored when --url/the
  // environment points a project at a database without schemas.
  const target = getDialect(urlDialect);
  const schemaAppliesToUrl = target.capabilities.schemas || !config.schema || config.schema === target.defaultSchema;
  if (!schemaAppliesToUrl && urlFromConfig) {
    throw new UserError(
      `${file}:${lineOf(configText, "schema") ?? 1}: field "schema" is "${config.schema}", but a ${target.name} database only has "${target.defaultSchema}"; remove the field`,
    );
  }

  return resolvePaths(found, file, configText, config, {
    baseDir,
    dialect: urlDialect,
    url,
    ...(config.schema && schemaAppliesToUrl ? { schema: config.schema } : {}),
  });
}

/** The error for a command that must connect but has no URL. */
export function missingUrlError(file: string): UserError {
  return new UserError(`${file}: no database "url" (set it, pass --url, or set AUTOGEN_DATABASE_URL)`);
}

/** The rest of the config, once the database side is settled. */
function resolvePaths(
  found: boolean,
  file: string,
  configText: string,
  config: ConfigFile,
  database: { baseDir: string; dialect: DialectName; url: string; schema?: string },
): ResolvedConfig {
  const { baseDir } = database;
  if (config.entities && config.dataSource) {
    throw new UserError(`${file}: give either "entities" or "dataSource", not both`);
  }
  const versionsDir = path.resolve(baseDir, config.versionsDir ?? "versions");
  const extraLocations = (config.versionLocations ?? []).map((p) => path.resolve(baseDir, p));
  const versionLocations = [versionsDir, ...extraLocations.filter((p) => p !== versionsDir)];
  const versionTable = config.versionTable ?? DEFAULT_VERSION_TABLE;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(versionTable)) {
    throw new UserError(`${file}:${lineOf(configText, "versionTable") ?? 1}: field "versionTable" must be a plain identifier, got "${versionTable}"`);
  }

  const resolved: ResolvedConfig = {
    baseDir,
    dialect: database.dialect,
    url: database.url,
    entities: config.entities ?? [],
    versionsDir,
    versionLocations,
    versionTable,
    excludeTables: config.excludeTables ?? [],
    seedsDir: path.resolve(baseDir, config.seedsDir ?? "seeds"),
  };
  if (found) resolved.file = file;
  if (config.dataSource) resolved.dataSource = path.resolve(baseDir, config.dataSource);
  const schema = database.url ? database.schema : config.schema;
  if (schema) resolved.schema = schema;
  if (config.template) resolved.template = path.resolve(baseDir, config.template);
  if (config.tsconfig) resolved.tsconfig = path.resolve(baseDir, config.tsconfig);
  if (config.cache) resolved.cacheDir = path.resolve(baseDir, config.cache);
  return resolved;
}

/** The config `autogen init` writes; its dialect follows the URL. */
export function defaultConfigFile(options: { entities?: string[]; url?: string } = {}): ConfigFile {
  const url = options.url ?? DEFAULT_URL;
  const dialect = dialectNameOfUrl(url);
  if (!dialect) throw new UserError(`--url: unsupported database URL "${redactUrl(url)}" (expected ${urlExamples()})`);
  return {
    dialect,
    url,
    entities: options.entities ?? ["src/entities/**/*.ts"],
    versionsDir: "versions",
    versionTable: DEFAULT_VERSION_TABLE,
  };
}
