/**
 * A project's TypeORM DataSource file, read as text, never run: its connection options
 * (literals, or `process.env.X` with an optional `?? "default"`) and its entities (globs,
 * or classes it imports). `autogen init` detects the project from it, and it is the last
 * place the database URL is looked for. Running the file would run the app's own code
 * (config libraries, secrets managers) only to learn what its text already says.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { ConnectionOptions } from "../dialects/dialect.js";

/** Where TypeORM projects keep their DataSource, most common first (NestJS, TypeORM's CLI docs, 0.2's ormconfig). */
const CONVENTIONAL = [
  "data-source.ts",
  "src/data-source.ts",
  "src/db/data-source.ts",
  "src/database/data-source.ts",
  "src/config/data-source.ts",
  "src/typeorm/data-source.ts",
  "typeorm.config.ts",
  "src/typeorm.config.ts",
  "ormconfig.ts",
  "ormconfig.js",
  "ormconfig.json",
  "data-source.js",
  "src/data-source.js",
];

/** Directories no project source lives in. */
export const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", "out", "coverage", ".git", "versions", "migrations"]);

/** Source files under `dir` (relative paths), breadth first, at most `limit` of them and `depth` levels down. */
export function sourceFiles(dir: string, test: (name: string) => boolean, depth = 6, limit = 5000): string[] {
  const found: string[] = [];
  let level = [""];
  for (let d = 0; d <= depth && level.length && found.length < limit; d++) {
    const next: string[] = [];
    for (const rel of level) {
      let entries;
      try {
        entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory() && !SKIPPED_DIRS.has(e.name) && !e.name.startsWith(".")) next.push(child);
        else if (e.isFile() && test(e.name) && !e.name.endsWith(".d.ts")) found.push(child);
      }
    }
    level = next;
  }
  return found.slice(0, limit);
}

/** The project's DataSource file (relative to `dir`): a conventional name, else a source file that constructs one. */
export function findDataSourceFile(dir: string): string | undefined {
  const conventional = CONVENTIONAL.find((f) => existsSync(path.join(dir, f)) && statSync(path.join(dir, f)).isFile());
  if (conventional) return conventional;
  return sourceFiles(dir, (n) => /\.[cm]?[jt]s$/.test(n)).find((f) =>
    /new\s+DataSource\s*\(/.test(readFileSync(path.join(dir, f), "utf8")),
  );
}

export interface DataSourceFileInfo {
  /** Connection options given as literals (or environment variables that are set). */
  options: ConnectionOptions;
  /** `url:` as written: a literal, or the value of the variable it reads (undefined when unset). */
  url?: string;
  /** The environment variable `url:` reads, if it reads one. */
  urlVariable?: string;
  /** Entity globs, relative to the project directory. */
  entityGlobs: string[];
  /** Entities listed as classes: only loading the file tells which. */
  entityClasses: boolean;
  /**
   * The options it sets that shape table and column names beyond the entities' own
   * (`namingStrategy`, `entityPrefix`, `metadataTableName`): globs alone would lose them.
   */
  namingOptions: string[];
}

const NAMING_OPTIONS = ["namingStrategy", "entityPrefix", "metadataTableName"] as const;

const STRING = String.raw`(?:"([^"\n]*)"|'([^'\n]*)'|\x60([^\x60$\n]*)\x60)`;

/** One option's value: a literal, or `process.env.X` / `process.env["X"]` with an optional `?? "default"` / `|| "default"`. */
function optionValue(text: string, key: string, env: NodeJS.ProcessEnv): { value?: string; variable?: string } | undefined {
  const lit = new RegExp(String.raw`\b${key}\s*:\s*(?:${STRING}|(\d+))`).exec(text);
  const envRef = new RegExp(
    String.raw`\b${key}\s*:\s*(?:Number\(|parseInt\()?\s*process\.env(?:\.(\w+)|\[\s*["'](\w+)["']\s*\])\)?(?:\s*(?:\?\?|\|\|)\s*(?:${STRING}|(\d+)))?`,
  ).exec(text);
  if (envRef && (!lit || envRef.index <= lit.index)) {
    const variable = (envRef[1] ?? envRef[2])!;
    const fallback = envRef[3] ?? envRef[4] ?? envRef[5] ?? envRef[6];
    const value = env[variable] || fallback;
    return { variable, ...(value !== undefined ? { value } : {}) };
  }
  if (lit) return { value: (lit[1] ?? lit[2] ?? lit[3] ?? lit[4])! };
  return undefined;
}

/** `__dirname + "/x"`, `path.join(__dirname, "x")`, `${__dirname}/x` or a plain string: the glob, relative to `dir`. */
function entityGlob(item: string, fileDir: string, dir: string): string | undefined {
  const trimmed = item.trim();
  const parts = [...trimmed.matchAll(new RegExp(STRING, "g"))].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
  const interpolated = /^\x60\$\{__dirname\}([^\x60]*)\x60$/.exec(trimmed);
  if (interpolated) return path.relative(dir, path.join(fileDir, interpolated[1]!)) || ".";
  if (parts.length === 0) return undefined;
  const joined = parts.join("/");
  const base = /__dirname|import\.meta\.dirname/.test(trimmed) ? fileDir : dir;
  return path.relative(dir, path.join(base, joined)).split(path.sep).join("/");
}

/** Splits the text of an array literal at its top-level commas. */
function topLevelItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      items.push(body.slice(start, i));
      start = i + 1;
    }
  }
  items.push(body.slice(start));
  return items.map((s) => s.trim()).filter(Boolean);
}

/** Reads `file` (relative to `dir`) as text; `env` resolves the variables its options read. */
export function readDataSourceFile(dir: string, file: string, env: NodeJS.ProcessEnv): DataSourceFileInfo {
  const full = path.join(dir, file);
  // Commented-out options are not options. Only whole-line comments: a `//` or `/*` inside
  // a string (a URL, a `src/**/*.ts` glob) is no comment.
  const text = readFileSync(full, "utf8").replace(/^\s*(\/\/|\*|\/\*).*$/gm, "");
  const fileDir = path.dirname(full);
  const options: ConnectionOptions = {};
  for (const key of ["type", "host", "port", "username", "password", "database"] as const) {
    const v = optionValue(text, key, env)?.value;
    if (v !== undefined) options[key] = v;
  }
  const url = optionValue(text, "url", env);
  const info: DataSourceFileInfo = {
    options,
    entityGlobs: [],
    entityClasses: false,
    // `namingStrategy: new SnakeNamingStrategy()`, or the shorthand `{ namingStrategy, … }`.
    namingOptions: NAMING_OPTIONS.filter((key) => new RegExp(String.raw`\b${key}\s*[:,}]`).test(text)),
  };
  if (url?.value !== undefined) info.url = url.value;
  if (url?.variable !== undefined) info.urlVariable = url.variable;

  const list = /\bentities\s*:\s*\[([\s\S]*?)\]/.exec(text);
  const single = /\bentities\s*:\s*([^,\n[]+)/.exec(text);
  const items = list ? topLevelItems(list[1]!) : single ? [single[1]!] : [];
  for (const item of items) {
    const glob = /["'`]/.test(item) ? entityGlob(item, fileDir, dir) : undefined;
    if (glob) info.entityGlobs.push(glob);
    else info.entityClasses = true;
  }
  return info;
}

/**
 * TypeORM globs as autogen compiles them: the TypeScript sources, not the build output
 * (`dist/**\/*.entity.js` → `src/**\/*.entity.ts` when that exists), `{.ts,.js}` as `.ts`.
 */
export function sourceGlob(glob: string, dir: string): string {
  let g = glob.replace(/\.?\{\.?ts,\s*\.?js\}$|\.?\{\.?js,\s*\.?ts\}$/, ".ts").replace(/\.\{ts,js\}$|\.\{js,ts\}$/, ".ts");
  const compiled = /^(dist|build|out)\/(.*)\.js$/.exec(g);
  if (compiled && existsSync(path.join(dir, "src"))) g = `src/${compiled[2]}.ts`;
  return g.replace(/^\.\//, "");
}
