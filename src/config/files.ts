/**
 * Finding and reading the config file: `autogen.config.json`, or a typed
 * `autogen.config.ts` / `.mts` / `.js` / `.mjs` whose default export (usually
 * `defineConfig({...})`) is the same object. One lookup serves every form: the working
 * directory holds at most one of them, or `--config` names one.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { UserError, errorMessage } from "../errors.js";
import { loadModule } from "../load/typescript.js";
import type { ConfigFile } from "./schema.js";
import { validateConfig } from "./validate.js";

export const DEFAULT_CONFIG_FILE = "autogen.config.json";

/** Every name the lookup accepts, JSON first (the form `autogen init` writes). */
export const CONFIG_FILE_NAMES = [
  DEFAULT_CONFIG_FILE,
  "autogen.config.ts",
  "autogen.config.mts",
  "autogen.config.cts",
  "autogen.config.js",
  "autogen.config.mjs",
  "autogen.config.cjs",
] as const;

const MODULE_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]);

/** The config file in `dir`, if any; two of them is a mistake (which one wins would be a guess). */
export function findConfigFile(dir: string): string | undefined {
  const found = CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).filter((f) => existsSync(f));
  if (found.length > 1) {
    throw new UserError(
      `${dir} has several config files (${found.map((f) => path.basename(f)).join(", ")}): keep one, or pick one with --config`,
    );
  }
  return found[0];
}

export interface ConfigSource {
  config: ConfigFile;
  /** The file's text, for line numbers in later messages. */
  text: string;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = errorMessage(err);
    const pos = /position (\d+)/.exec(msg);
    const where = pos ? `:${text.slice(0, Number(pos[1])).split("\n").length}` : "";
    throw new UserError(`${file}${where}: malformed JSON: ${msg}`);
  }
}

/** A JS/TS config's exported object: `export default` (or `module.exports`), else a `config` export. */
function exportedConfig(file: string): unknown {
  const exports = loadModule(file);
  const value = exports.default ?? exports.config;
  if (value === undefined) {
    throw new UserError(`${file}: export the configuration as default (\`export default defineConfig({ ... })\`)`);
  }
  if (typeof value === "function") {
    throw new UserError(
      `${file}: the default export is a function; export the configuration object (\`export default defineConfig({ ... })\`)`,
    );
  }
  return value;
}

/** Reads and validates `file` (JSON, or a module by its extension). */
export function readConfigFile(file: string): ConfigSource {
  if (statSync(file).isDirectory()) {
    throw new UserError(`${file} is a directory; --config takes the config file (e.g. ${path.join(file, DEFAULT_CONFIG_FILE)})`);
  }
  // Some editors save files with a byte-order mark, which JSON.parse rejects.
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const raw = MODULE_EXTENSIONS.has(path.extname(file).toLowerCase()) ? exportedConfig(file) : parseJson(file, text);
  return { config: validateConfig(file, text, raw), text };
}

/**
 * Loads `<dir>/.env` into `env` without overriding what is already set (as Node's
 * `--env-file` and `process.loadEnvFile` do), before a JS/TS config is evaluated, so
 * the config and the user's DataSource see its variables. Returns the file read and
 * the names it set, or undefined when there is none.
 */
export function loadDotEnv(dir: string, env: NodeJS.ProcessEnv): { file: string; set: string[] } | undefined {
  const file = path.join(dir, ".env");
  if (!existsSync(file) || !statSync(file).isFile()) return undefined;
  const before = new Set(Object.keys(env));
  try {
    if (env === process.env) process.loadEnvFile(file);
    else for (const [k, v] of Object.entries(parseEnv(readFileSync(file, "utf8")))) if (!(k in env)) env[k] = v;
  } catch (err) {
    throw new UserError(`${file}: cannot read: ${errorMessage(err).split("\n")[0]}`);
  }
  return { file, set: Object.keys(env).filter((k) => !before.has(k)) };
}
