/**
 * autogen.config.json: where the models are, which database, where revisions live.
 *
 * Precedence for the database URL: `--url` flag, then AUTOGEN_DATABASE_URL, then the
 * config file, then the app's own DATABASE_URL (environment or `.env`), then the
 * connection options in its DataSource file (read as text). The dialect follows the
 * effective URL's scheme, so pointing an SQLite project at PostgreSQL is one flag.
 * Relative paths are relative to the config file.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { DEFAULT_URL, DIALECT_NAMES, dialectOfUrl, getDialect, urlExamples, type DialectName } from "../dialects/index.js";
import { UsageError, UserError } from "../errors.js";
import { redactUrl } from "../dialects/redact.js";
import { DEFAULT_CONFIG_FILE, findConfigFile, loadDotEnv, readConfigFile } from "./files.js";
import { findDataSourceFile, readDataSourceFile } from "./data-source-file.js";
import { dataSourceUrl } from "./detect.js";
import type { ConfigFile, TenantsConfig } from "./schema.js";
import { lineOf } from "./validate.js";
import { parseDuration } from "./duration.js";

/** Password-free form of a URL, safe to print: the dialect layer's one redaction. */
export { redactUrl };

export { DEFAULT_CONFIG_FILE } from "./files.js";
export { defineConfig, type ConfigFile, type TenantList, type TenantsConfig } from "./schema.js";
export const DEFAULT_VERSION_TABLE = "autogen_version";
/**
 * `$schema` as `autogen init` writes it: the schema shipped in the installed package,
 * relative to the config file (editors resolve it from there, offline).
 */
export const CONFIG_SCHEMA_REFERENCE = "./node_modules/autogen/schemas/autogen.config.schema.json";

/** The resolved configuration every command works from. */
export interface ResolvedConfig {
  /** Absolute path of the config file, or undefined when running from flags alone. */
  file?: string;
  /** Directory relative paths were resolved against. */
  baseDir: string;
  dialect: DialectName;
  /** Empty when none was given and the command does not connect (see `DatabaseNeed`). */
  url: string;
  /** Why an app URL found (DATABASE_URL, the DataSource's options) was not taken, for the "no url" error. */
  urlPassedOver?: string[];
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
  /** The tenants `--all-tenants` runs on, as the config gives them (src/fleet/tenants.ts lists them). */
  tenants?: TenantsConfig;
  /** How long a run waits for another run's migration lock (`--lock-timeout`, config "lockTimeout"); undefined: as long as it takes. */
  lockTimeoutMs?: number;
  /** Autogenerate online revisions (`--online` does it for one revision). */
  online: boolean;
  /** How the statements of online revisions wait for table locks ("onlineLockTimeout", "onlineRetries", "onlineRetryDelay"). */
  onlineLock: { timeoutMs: number; retries: number; retryDelayMs: number };
}

export const DEFAULT_ONLINE_LOCK = { timeoutMs: 500, retries: 10, retryDelayMs: 200 } as const;

export interface ConfigOverrides {
  /** Path to the config file (`--config`). */
  config?: string;
  /** Database URL (`--url`). */
  url?: string;
  /** Working directory used to find the default config file. */
  cwd?: string;
  /** Environment to read AUTOGEN_DATABASE_URL from (default process.env); `.env` fills its gaps. */
  env?: NodeJS.ProcessEnv;
  /** Where `--verbose` notes go: which config file, `.env` and URL source were used. */
  notice?: (line: string) => void;
  /** `--lock-timeout`: a duration ("30s", "2m"); wins over the config's "lockTimeout". */
  lockTimeout?: string;
}

/**
 * What a command needs from the database settings: a URL to connect to, only the
 * dialect (offline `--sql` renders without connecting), or nothing (commands that only
 * read the revision files, such as `heads`).
 */
export type DatabaseNeed = "connection" | "dialect" | "none";

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
  const passedOver: string[] = [];
  const notice = overrides.notice ?? (() => {});
  const explicit = overrides.config !== undefined;
  const file = explicit ? path.resolve(cwd, overrides.config!) : (findConfigFile(cwd) ?? path.resolve(cwd, DEFAULT_CONFIG_FILE));
  const found = existsSync(file);
  if (!found && explicit) throw new UserError(`config file not found: ${file}`);
  const baseDir = found ? path.dirname(file) : cwd;
  // Before the config is evaluated: an autogen.config.ts may read these variables.
  const dotEnv = loadDotEnv(baseDir, env);
  if (dotEnv) notice(`read ${dotEnv.file}: ${dotEnv.set.length ? dotEnv.set.join(", ") : "nothing new (all already set)"}`);
  const { config, text: configText } = found ? readConfigFile(file) : { config: {} as ConfigFile, text: "" };
  notice(found ? `config: ${file}` : `config: none (no ${DEFAULT_CONFIG_FILE} in ${cwd})`);
  const where = found ? file : "command line";

  // An empty variable counts as unset, as shells commonly leave it.
  const envUrl = env.AUTOGEN_DATABASE_URL || undefined;
  // The app's own URL comes last, and only for a project set up for autogen.
  const appUrl =
    found && !overrides.url && !envUrl && !config.url
      ? appDatabaseUrl(baseDir, env, dotEnv?.set ?? [], config, (line) => {
          passedOver.push(line);
          notice(line);
        })
      : undefined;
  const rawUrl = overrides.url ?? envUrl ?? config.url ?? appUrl?.url;
  if (!found && !rawUrl) {
    throw new UserError(
      `no ${DEFAULT_CONFIG_FILE} in ${cwd} and no --url or AUTOGEN_DATABASE_URL given (run \`autogen init\` to create one)`,
    );
  }
  if (!rawUrl) {
    if (need === "connection") throw missingUrlError(file, passedOver);
    if (need === "dialect" && !config.dialect) {
      throw new UserError(
        `${file}: offline mode needs to know the database: set "dialect" (${DIALECT_NAMES.map((d) => `"${d}"`).join(", ")}), a "url", --url or AUTOGEN_DATABASE_URL`,
      );
    }
    // No URL: `url` stays empty and Workspace.connect() refuses. Commands that only read
    // revision files never look at the dialect; the first registered one merely fills the field.
    return withLockTimeout(
      {
        ...resolvePaths(found, file, configText, config, { baseDir, dialect: config.dialect ?? DIALECT_NAMES[0]!, url: "" }),
        ...(passedOver.length > 0 ? { urlPassedOver: passedOver } : {}),
      },
      overrides.lockTimeout,
      config.lockTimeout,
      `${file}:${lineOf(configText, "lockTimeout") ?? 1}`,
    );
  }
  const envUrlFromDotEnv = envUrl !== undefined && dotEnv?.set.includes("AUTOGEN_DATABASE_URL");
  const urlSource = overrides.url
    ? "--url"
    : envUrl
      ? envUrlFromDotEnv
        ? `AUTOGEN_DATABASE_URL (from ${dotEnv!.file})`
        : "AUTOGEN_DATABASE_URL"
      : (appUrl?.source ?? where);
  notice(`database URL from ${urlSource}: ${redactUrl(rawUrl)}`);
  const urlDialect = dialectNameOfUrl(rawUrl);
  if (!urlDialect) {
    throw new UserError(`${urlSource}: unsupported database URL "${redactUrl(rawUrl)}" (expected ${urlExamples()})`);
  }
  const urlFromConfig = !overrides.url && !envUrl && !appUrl;
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

  return withLockTimeout(
    resolvePaths(found, file, configText, config, {
      baseDir,
      dialect: urlDialect,
      url,
      ...(config.schema && schemaAppliesToUrl ? { schema: config.schema } : {}),
    }),
    overrides.lockTimeout,
    config.lockTimeout,
    `${file}:${lineOf(configText, "lockTimeout") ?? 1}`,
  );
}

/** A duration field of the config file ("500ms", "2s"), or a one-line error naming its line. */
function durationField(file: string, configText: string, field: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new UserError(
      `${file}:${lineOf(configText, field) ?? 1}: field "${field}" is "${text}"; expected a duration such as 500ms or 2s`,
    );
  }
  return ms;
}

/** The lock timeout from `--lock-timeout` or else the config's "lockTimeout"; a malformed one names where it came from. */
function withLockTimeout(resolved: ResolvedConfig, flag: string | undefined, field: string | undefined, fieldAt: string): ResolvedConfig {
  const text = flag ?? field;
  if (text === undefined) return resolved;
  const ms = parseDuration(text);
  if (ms === undefined) {
    const example = "a duration such as 30s, 500ms, 2m or 1h";
    if (flag !== undefined) throw new UsageError(`--lock-timeout ${flag}: expected ${example}`);
    throw new UserError(`${fieldAt}: field "lockTimeout" is "${text}"; expected ${example}`);
  }
  return { ...resolved, lockTimeoutMs: ms };
}

/**
 * The URL the app itself connects with: DATABASE_URL (environment or `.env`), else the
 * connection options of its DataSource file (the configured one, or the one the project
 * layout shows), read as text. One the config's "dialect" does not take is passed over
 * (a shell's DATABASE_URL may belong to another project).
 */
function appDatabaseUrl(
  baseDir: string,
  env: NodeJS.ProcessEnv,
  fromDotEnv: readonly string[],
  config: ConfigFile,
  notice: (line: string) => void,
): { url: string; source: string } | undefined {
  const fits = (url: string, source: string) => {
    const dialect = dialectNameOfUrl(url);
    if (dialect && (!config.dialect || config.dialect === dialect)) return true;
    notice(
      `${source} (${redactUrl(url)}) passed over: ${dialect ? `a ${dialect} URL, the config says "${config.dialect}"` : "not a database URL autogen knows"}`,
    );
    return false;
  };
  if (env.DATABASE_URL) {
    const source = fromDotEnv.includes("DATABASE_URL") ? `DATABASE_URL (from ${path.join(baseDir, ".env")})` : "DATABASE_URL";
    if (fits(env.DATABASE_URL, source)) return { url: env.DATABASE_URL, source };
  }
  const file = config.dataSource ?? findDataSourceFile(baseDir);
  if (!file) return undefined;
  let url: string | undefined;
  try {
    url = dataSourceUrl(readDataSourceFile(baseDir, file, env));
  } catch {
    return undefined;
  }
  const source = `the connection options in ${file}`;
  return url && fits(url, source) ? { url, source } : undefined;
}

/** The error for a command that must connect but has no URL. */
export function missingUrlError(file: string, passedOver: readonly string[] = []): UserError {
  const why = passedOver.length > 0 ? `; ${passedOver.join("; ")}` : "";
  return new UserError(`${file}: no database "url" (set it, pass --url, or set AUTOGEN_DATABASE_URL or DATABASE_URL)${why}`);
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
    throw new UserError(
      `${file}:${lineOf(configText, "versionTable") ?? 1}: field "versionTable" must be a plain identifier, got "${versionTable}"`,
    );
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
    online: config.online ?? false,
    onlineLock: {
      timeoutMs: durationField(file, configText, "onlineLockTimeout", config.onlineLockTimeout) ?? DEFAULT_ONLINE_LOCK.timeoutMs,
      retries: config.onlineRetries ?? DEFAULT_ONLINE_LOCK.retries,
      retryDelayMs: durationField(file, configText, "onlineRetryDelay", config.onlineRetryDelay) ?? DEFAULT_ONLINE_LOCK.retryDelayMs,
    },
  };
  if (found) resolved.file = file;
  if (config.dataSource) resolved.dataSource = path.resolve(baseDir, config.dataSource);
  const schema = database.url ? database.schema : config.schema;
  if (schema) resolved.schema = schema;
  if (config.template) resolved.template = path.resolve(baseDir, config.template);
  if (config.tsconfig) resolved.tsconfig = path.resolve(baseDir, config.tsconfig);
  if (config.cache) resolved.cacheDir = path.resolve(baseDir, config.cache);
  if (config.tenants) resolved.tenants = config.tenants;
  return resolved;
}

/**
 * The config `autogen init` writes; its dialect follows the URL. Without a URL, only the
 * dialect: commands then read the app's own DATABASE_URL (or DataSource) when they run.
 */
export function defaultConfigFile(
  options: { entities?: string[]; dataSource?: string; url?: string; dialect?: DialectName } = {},
): ConfigFile {
  const url = options.url ?? (options.dialect ? undefined : DEFAULT_URL);
  const dialect = url ? dialectNameOfUrl(url) : options.dialect;
  if (!dialect) throw new UserError(`--url: unsupported database URL "${redactUrl(url ?? "")}" (expected ${urlExamples()})`);
  return {
    // First: editors offer completion and validation from the shipped schema.
    $schema: CONFIG_SCHEMA_REFERENCE,
    dialect,
    ...(url ? { url } : {}),
    ...(options.dataSource ? { dataSource: options.dataSource } : { entities: options.entities ?? ["src/entities/**/*.ts"] }),
    versionsDir: "versions",
    versionTable: DEFAULT_VERSION_TABLE,
  };
}
