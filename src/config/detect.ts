/**
 * What `autogen init` learns from the project before writing its config: the database
 * (from a URL it can find, the DataSource's `type`, or the installed drivers) and the
 * entities (the DataSource's globs or classes, else the `*.entity.ts` / `entities/`
 * layout). Each finding carries its reason, one line each, so the user sees why.
 * Nothing is run: package.json, `.env` and the DataSource file are read as text.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { DEFAULT_URL, dialectOfUrl, DIALECT_NAMES, getDialect, urlExamples, type DialectName } from "../dialects/index.js";
import { UserError } from "../errors.js";
import { redactUrl } from "../dialects/redact.js";
import { findDataSourceFile, readDataSourceFile, sourceFiles, sourceGlob, type DataSourceFileInfo } from "./data-source-file.js";

export interface Detected {
  dialect?: DialectName;
  /** A URL to write into the config (only one given with --url). */
  url?: string;
  /** Entity globs, or a DataSource file to load them from (relative to the project). */
  entities?: string[];
  dataSource?: string;
  /** One line per finding: what was found and why. */
  findings: string[];
}

/** `.env` in `dir`, parsed (never loaded into the process's environment). */
export function readDotEnvFile(dir: string): Record<string, string> {
  const file = path.join(dir, ".env");
  if (!existsSync(file) || !statSync(file).isFile()) return {};
  try {
    return parseEnv(readFileSync(file, "utf8")) as Record<string, string>;
  } catch {
    return {};
  }
}

/** The project's dependencies (package.json) that are also installed or declared. */
function packagesOf(dir: string): { declared: Set<string>; installed: (name: string) => boolean } {
  const declared = new Set<string>();
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
    for (const field of ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]) {
      for (const name of Object.keys(pkg[field] ?? {})) declared.add(name);
    }
  } catch {
    // no package.json: the installed packages still tell
  }
  return { declared, installed: (name) => existsSync(path.join(dir, "node_modules", name, "package.json")) };
}

/** The dialects whose drivers the project has, with the package that says so. */
function dialectsFromDrivers(dir: string): Array<{ dialect: DialectName; reason: string }> {
  const { declared, installed } = packagesOf(dir);
  const out: Array<{ dialect: DialectName; reason: string }> = [];
  for (const name of DIALECT_NAMES) {
    const pkg = getDialect(name).urls.driverPackages.find((p) => declared.has(p) || installed(p));
    if (pkg) out.push({ dialect: name, reason: `driver "${pkg}" ${declared.has(pkg) ? "in package.json" : "in node_modules"}` });
  }
  return out;
}

interface UrlFound {
  url: string;
  source: string;
}

/** The URL the project already has, in the order commands will look for it after the config. */
export function projectUrl(
  dir: string,
  env: NodeJS.ProcessEnv,
  dataSource: DataSourceFileInfo | undefined,
  dataSourceFile: string | undefined,
): UrlFound | undefined {
  if (env.AUTOGEN_DATABASE_URL) return { url: env.AUTOGEN_DATABASE_URL, source: "AUTOGEN_DATABASE_URL" };
  const dotEnv = readDotEnvFile(dir);
  if (dotEnv.AUTOGEN_DATABASE_URL) return { url: dotEnv.AUTOGEN_DATABASE_URL, source: "AUTOGEN_DATABASE_URL in .env" };
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, source: "DATABASE_URL" };
  if (dotEnv.DATABASE_URL) return { url: dotEnv.DATABASE_URL, source: "DATABASE_URL in .env" };
  if (dataSource && dataSourceFile) {
    const url = dataSourceUrl(dataSource);
    if (url) return { url, source: `the options in ${dataSourceFile}` };
  }
  return undefined;
}

/** The URL a DataSource's options give: its `url`, else its host/database options in its driver's dialect. */
export function dataSourceUrl(info: DataSourceFileInfo): string | undefined {
  if (info.url && dialectOfUrl(info.url)) return info.url;
  const dialect = info.options.type ? dialectOfTypeOrmType(info.options.type) : undefined;
  return dialect ? getDialect(dialect).urls.fromConnectionOptions(info.options) : undefined;
}

export function dialectOfTypeOrmType(type: string): DialectName | undefined {
  return DIALECT_NAMES.find((name) => getDialect(name).typeorm.family.has(type));
}

/** Globs for the entity files the layout shows: `*.entity.ts` files, else `entities/` directories. */
function entitiesFromLayout(dir: string): { globs: string[]; reason: string } | undefined {
  const named = sourceFiles(dir, (n) => /\.entity\.[cm]?ts$/.test(n));
  if (named.length) {
    const root = commonDir(named);
    return {
      globs: [`${root ? `${root}/` : ""}**/*.entity.ts`],
      reason: `${named.length} file(s) named *.entity.ts${root ? ` under ${root}/` : ""}`,
    };
  }
  const inEntityDirs = sourceFiles(dir, (n) => /\.[cm]?ts$/.test(n)).filter((f) => /(^|\/)(entities|entity)\//.test(f));
  if (inEntityDirs.length) {
    const dirs = [...new Set(inEntityDirs.map((f) => /^(.*?(?:^|\/)(?:entities|entity))\//.exec(f)![1]!))];
    return { globs: dirs.map((d) => `${d}/**/*.ts`), reason: `${inEntityDirs.length} file(s) in ${dirs.map((d) => `${d}/`).join(", ")}` };
  }
  return undefined;
}

function commonDir(files: string[]): string {
  const split = files.map((f) => f.split("/").slice(0, -1));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((p) => p[n] === first[n])) n++;
  return first.slice(0, n).join("/");
}

export interface DetectOptions {
  /** `--url`: written into the config as given. */
  url?: string;
  /** `--entities`: written as given. */
  entities?: string[];
  env: NodeJS.ProcessEnv;
}

export function detectProject(dir: string, options: DetectOptions): Detected {
  const findings: string[] = [];
  const detected: Detected = { findings };
  const dsFile = findDataSourceFile(dir);
  let ds: DataSourceFileInfo | undefined;
  if (dsFile) {
    try {
      ds = readDataSourceFile(dir, dsFile, { ...readDotEnvFile(dir), ...options.env });
    } catch {
      ds = undefined;
    }
  }

  // The database: a URL decides; else the DataSource's driver type; else the installed drivers.
  const found = options.url !== undefined ? { url: options.url, source: "--url" } : projectUrl(dir, options.env, ds, dsFile);
  const urlDialect = found ? dialectOfUrl(found.url)?.name : undefined;
  if (options.url !== undefined && !urlDialect) {
    throw new UserError(`--url: unsupported database URL "${redactUrl(options.url)}" (expected ${urlExamples()})`);
  }
  if (found && urlDialect) {
    detected.dialect = urlDialect;
    findings.push(`database: ${getDialect(urlDialect).title} (${found.source}: ${redactUrl(found.url)})`);
    if (options.url !== undefined) detected.url = options.url;
    else findings.push(`url: not written into the config; commands read it from ${found.source} when they run (--verbose says so)`);
  } else {
    if (found) findings.push(`url: ${found.source} is not a database URL autogen knows (${redactUrl(found.url)}); ignored`);
    const typeDialect = ds?.options.type ? dialectOfTypeOrmType(ds.options.type) : undefined;
    const drivers = dialectsFromDrivers(dir);
    if (typeDialect) {
      detected.dialect = typeDialect;
      findings.push(`database: ${getDialect(typeDialect).title} (type "${ds!.options.type}" in ${dsFile})`);
    } else if (drivers.length) {
      detected.dialect = drivers[0]!.dialect;
      const others = drivers.slice(1).map((d) => `${getDialect(d.dialect).title}: ${d.reason}`);
      findings.push(
        `database: ${getDialect(drivers[0]!.dialect).title} (${drivers[0]!.reason})${others.length ? `; also installed: ${others.join(", ")}` : ""}`,
      );
    }
    // No URL: a file database needs no server (the default file, as before); a server does.
    const fallback = dialectOfUrl(DEFAULT_URL)!.name;
    if (!detected.dialect || detected.dialect === fallback) {
      detected.dialect = fallback;
      detected.url = DEFAULT_URL;
      findings.push(
        `database: ${drivers.length || typeDialect ? "" : "no driver or URL found; "}url ${DEFAULT_URL} (a file next to the config)`,
      );
    } else {
      findings.push(`url: none found; set DATABASE_URL (environment or .env), AUTOGEN_DATABASE_URL, or "url" in the config`);
    }
  }

  // The entities: what the DataSource lists, else the layout.
  if (options.entities) {
    detected.entities = options.entities;
    findings.push(`entities: ${options.entities.join(", ")} (--entities)`);
  } else if (ds && dsFile && ds.entityGlobs.length && !ds.entityClasses && ds.namingOptions.length === 0) {
    detected.entities = [...new Set(ds.entityGlobs.map((g) => sourceGlob(g, dir)))];
    findings.push(`entities: ${detected.entities.join(", ")} (the entities globs of ${dsFile})`);
  } else if (ds && dsFile && (ds.entityClasses || ds.namingOptions.length > 0)) {
    detected.dataSource = dsFile;
    const what = ds.entityClasses
      ? `the classes ${dsFile} lists`
      : `the entities of ${dsFile}, named by its ${ds.namingOptions.join(", ")}`;
    findings.push(`entities: ${what} ("dataSource" in the config; autogen loads the file, it never connects through it)`);
  } else {
    const layout = entitiesFromLayout(dir);
    if (layout) {
      detected.entities = layout.globs;
      findings.push(`entities: ${layout.globs.join(", ")} (${layout.reason})`);
    }
  }
  return detected;
}
