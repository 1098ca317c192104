/**
 * autogen.config.json: where the models are, which database, where revisions live.
 *
 * Precedence for the database URL: `--url` flag, then AUTOGEN_DATABASE_URL, then the
 * config file. The dialect follows the effective URL's scheme, so pointing an SQLite
 * project at PostgreSQL is one flag. Relative paths are relative to the config file.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { DialectName } from "../schema/ir.js";
import { UserError } from "../errors.js";

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
}

/** The resolved configuration every command works from. */
export interface ResolvedConfig {
  /** Absolute path of the config file, or undefined when running from flags alone. */
  file?: string;
  /** Directory relative paths were resolved against. */
  baseDir: string;
  dialect: DialectName;
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
};

const DIALECTS: readonly DialectName[] = ["postgres", "sqlite"];

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
  if (config.dialect !== undefined && !DIALECTS.includes(config.dialect)) {
    throw new UserError(
      `${file}:${lineOf(text, "dialect") ?? 1}: unknown dialect "${config.dialect}" (expected one of: ${DIALECTS.join(", ")})`,
    );
  }
  return config;
}

export function dialectOfUrl(url: string): DialectName | undefined {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgres";
  if (/^sqlite:/i.test(url)) return "sqlite";
  return undefined;
}

/** Makes a relative `sqlite:` path absolute against `baseDir`; other URLs pass through. */
export function resolveSqliteUrl(url: string, baseDir: string): string {
  const m = /^sqlite:(?:\/\/)?(.*)$/i.exec(url);
  if (!m) return url;
  const target = m[1] ?? "";
  if (target === ":memory:" || path.isAbsolute(target)) return `sqlite:${target}`;
  return `sqlite:${path.resolve(baseDir, target)}`;
}

/** Password-free form of a URL, safe to print. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

export function loadConfig(overrides: ConfigOverrides = {}): ResolvedConfig {
  const cwd = overrides.cwd ?? process.cwd();
  const env = overrides.env ?? process.env;
  const explicit = overrides.config !== undefined;
  const file = path.resolve(cwd, overrides.config ?? DEFAULT_CONFIG_FILE);

  let config: ConfigFile = {};
  let configText = "";
  let found = false;
  if (existsSync(file)) {
    configText = readFileSync(file, "utf8");
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
  if (!rawUrl) {
    throw new UserError(
      found
        ? `${file}: no database "url" (set it, pass --url, or set AUTOGEN_DATABASE_URL)`
        : `no ${DEFAULT_CONFIG_FILE} in ${cwd} and no --url or AUTOGEN_DATABASE_URL given (run \`autogen init\` to create one)`,
    );
  }
  const urlDialect = dialectOfUrl(rawUrl);
  if (!urlDialect) {
    throw new UserError(
      `${overrides.url ? "--url" : envUrl ? "AUTOGEN_DATABASE_URL" : where}: unsupported database URL "${redactUrl(rawUrl)}" (expected postgres://… or sqlite:<file>)`,
    );
  }
  const urlFromConfig = !overrides.url && !envUrl;
  if (urlFromConfig && config.dialect && config.dialect !== urlDialect) {
    throw new UserError(
      `${file}:${lineOf(configText, "dialect") ?? 1}: field "dialect" is "${config.dialect}" but "url" is a ${urlDialect} URL`,
    );
  }
  // A URL from --url or the environment is resolved against the working directory,
  // one from the file against the file's directory.
  const url = resolveSqliteUrl(rawUrl, urlFromConfig ? baseDir : cwd);

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
    dialect: urlDialect,
    url,
    entities: config.entities ?? [],
    versionsDir,
    versionLocations,
    versionTable,
    excludeTables: config.excludeTables ?? [],
    seedsDir: path.resolve(baseDir, config.seedsDir ?? "seeds"),
  };
  if (found) resolved.file = file;
  if (config.dataSource) resolved.dataSource = path.resolve(baseDir, config.dataSource);
  if (config.schema) resolved.schema = config.schema;
  if (config.template) resolved.template = path.resolve(baseDir, config.template);
  return resolved;
}

/** The config `autogen init` writes. */
export function defaultConfigFile(options: { entities?: string[]; url?: string } = {}): ConfigFile {
  return {
    dialect: "sqlite",
    url: options.url ?? "sqlite:./autogen.sqlite",
    entities: options.entities ?? ["src/entities/**/*.ts"],
    versionsDir: "versions",
    versionTable: DEFAULT_VERSION_TABLE,
  };
}
