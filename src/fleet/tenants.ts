/**
 * The tenants of a fleet, from the config's `tenants`: PostgreSQL schemas of the
 * configured database (listed, or found by a query at each command), one database per
 * tenant (listed, or found by a query), or a module (`autogen.tenants.ts` next to the
 * config, `{ "module": … }`, or a function in autogen.config.ts) returning either list.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { resolveUrl, type ResolvedConfig, type TenantList } from "../config/config.js";
import type { Dialect } from "../dialects/dialect.js";
import { dialectOfUrl, getDialect } from "../dialects/index.js";
import { redactUrl } from "../dialects/redact.js";
import { UsageError, UserError, categorize, errorMessage } from "../errors.js";
import { loadModule } from "../load/typescript.js";

export interface Tenant {
  /** The schema, the database's name, or the name the list gave. */
  name: string;
  url: string;
  schema?: string;
}

/** Looked for next to the config when it has no `tenants`. */
export const TENANT_MODULES = ["autogen.tenants.ts", "autogen.tenants.mts", "autogen.tenants.js", "autogen.tenants.mjs"];

const configName = (config: ResolvedConfig) => config.file ?? "configuration";

/** A database URL's database name: its last path segment, or a file's name without its extension. */
export function databaseNameOf(url: string): string {
  const server = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*\/([^?#]*)/.exec(url);
  const raw = server ? server[1]! : url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/)?/, "").replace(/[?#].*$/, "");
  let name = raw.split("/").filter(Boolean).pop() ?? "";
  try {
    name = decodeURIComponent(name);
  } catch {
    // kept as written
  }
  // A file database (no server part) is named without its extension: tenant.db -> tenant.
  return server ? name : name.replace(/\.[A-Za-z0-9]+$/, "");
}

/** Runs `sql` on the configured database; each row's values in column order. */
async function queryRows(config: ResolvedConfig, dialect: Dialect, sql: string, field: string): Promise<unknown[][]> {
  if (!config.url)
    throw categorize(new UserError(`${configName(config)}: "tenants.${field}.query" needs the database "url" to run on`), "config");
  let conn;
  try {
    conn = await dialect.connect(config.url);
  } catch (err) {
    throw categorize(err, "connect");
  }
  try {
    return (await conn.query(sql)).map((row) => Object.values(row));
  } catch (err) {
    throw categorize(
      new UserError(
        `${configName(config)}: "tenants.${field}.query" failed on ${redactUrl(config.url)}: ${errorMessage(err).split("\n")[0]}`,
      ),
      "config",
    );
  } finally {
    await conn.close();
  }
}

function schemaTenants(config: ResolvedConfig, dialect: Dialect, names: readonly unknown[], where: string): Tenant[] {
  if (!config.url)
    throw categorize(new UserError(`${configName(config)}: "tenants.schemas" needs the database "url" they live in`), "config");
  if (!dialect.capabilities.schemas) {
    throw categorize(
      new UserError(
        `${where}: tenants as schemas need a database with schemas; ${dialect.title} has none (use "tenants": { "databases": [...] })`,
      ),
      "config",
    );
  }
  return names.map((value, i) => {
    if (typeof value !== "string" || value === "")
      throw categorize(new UserError(`${where}: schema #${i + 1} is not a name: ${String(value)}`), "config");
    return { name: value, url: config.url, schema: value };
  });
}

function databaseTenants(config: ResolvedConfig, entries: ReadonlyArray<{ url: unknown; name?: unknown }>, where: string): Tenant[] {
  return entries.map(({ url, name }, i) => {
    if (typeof url !== "string" || url === "") throw categorize(new UserError(`${where}: database #${i + 1} has no URL`), "config");
    const dialect = dialectOfUrl(url);
    if (!dialect) throw categorize(new UserError(`${where}: database #${i + 1}: unsupported database URL "${redactUrl(url)}"`), "config");
    let resolved: string;
    try {
      resolved = resolveUrl(url, config.baseDir);
    } catch (err) {
      throw categorize(new UserError(`${where}: database #${i + 1}: ${errorMessage(err)}`), "config");
    }
    // The configured schema applies on a database that has schemas, as it does without tenants.
    const schema = config.schema && getDialect(dialect.name).capabilities.schemas ? config.schema : undefined;
    const label = name === undefined || name === null || name === "" ? databaseNameOf(resolved) : String(name);
    return { name: label, url: resolved, ...(schema ? { schema } : {}) };
  });
}

/** The list a module or a config function returned. */
function fromList(config: ResolvedConfig, dialect: Dialect, list: unknown, where: string): Tenant[] {
  if (Array.isArray((list as { schemas?: unknown })?.schemas))
    return schemaTenants(config, dialect, (list as { schemas: unknown[] }).schemas, where);
  if (Array.isArray((list as { databases?: unknown })?.databases)) {
    const entries = (list as { databases: unknown[] }).databases.map((d) =>
      typeof d === "string" ? { url: d } : ((d ?? {}) as { url: unknown; name?: unknown }),
    );
    return databaseTenants(config, entries, where);
  }
  throw categorize(
    new UserError(`${where}: expected { schemas: [...] } or { databases: [...] }, got ${JSON.stringify(list)?.slice(0, 80)}`),
    "config",
  );
}

async function fromModule(config: ResolvedConfig, dialect: Dialect, file: string): Promise<Tenant[]> {
  if (!existsSync(file)) throw categorize(new UserError(`${configName(config)}: tenants module not found: ${file}`), "config");
  let exported: unknown;
  try {
    const mod = loadModule(file);
    exported = mod.default ?? mod.tenants;
    if (typeof exported === "function") exported = await (exported as () => unknown)();
  } catch (err) {
    throw categorize(
      err instanceof UserError ? err : new UserError(`${file}: listing the tenants failed: ${errorMessage(err).split("\n")[0]}`),
      "config",
    );
  }
  return fromList(config, dialect, exported, file);
}

/** Every tenant, in the order the config lists them (or the query returns them). */
export async function listTenants(config: ResolvedConfig, dialect: Dialect): Promise<Tenant[]> {
  const spec = config.tenants;
  const where = `${configName(config)}: "tenants"`;
  let tenants: Tenant[];
  if (spec === undefined) {
    const module = TENANT_MODULES.map((name) => path.join(config.baseDir, name)).find((f) => existsSync(f));
    if (!module) {
      throw categorize(
        new UserError(
          `${configName(config)}: no tenants configured: add "tenants": { "schemas": [...] } or { "databases": [...] }, or an autogen.tenants.ts next to it`,
        ),
        "config",
      );
    }
    tenants = await fromModule(config, dialect, module);
  } else if (typeof spec === "function") {
    let list: unknown;
    try {
      list = await spec();
    } catch (err) {
      throw categorize(new UserError(`${where}: the function failed: ${errorMessage(err).split("\n")[0]}`), "config");
    }
    tenants = fromList(config, dialect, list, where);
  } else if ("module" in spec) {
    tenants = await fromModule(config, dialect, path.resolve(config.baseDir, spec.module));
  } else if ("schemas" in spec) {
    const names = Array.isArray(spec.schemas)
      ? spec.schemas
      : (await queryRows(config, dialect, spec.schemas.query, "schemas")).map((r) => r[0]);
    tenants = schemaTenants(config, dialect, names, where);
  } else {
    const entries = Array.isArray(spec.databases)
      ? spec.databases.map((url) => ({ url }))
      : (await queryRows(config, dialect, spec.databases.query, "databases")).map((r) => ({ url: r[0], name: r[1] }));
    tenants = databaseTenants(config, entries, where);
  }
  const seen = new Map<string, Tenant>();
  for (const t of tenants) {
    const other = seen.get(t.name);
    if (other) {
      throw categorize(
        new UserError(
          `${where}: two tenants are named "${t.name}" (${redactUrl(other.url)} and ${redactUrl(t.url)}); give them names (a second query column, or { url, name })`,
        ),
        "config",
      );
    }
    seen.set(t.name, t);
  }
  return tenants;
}

/** The tenants `--all-tenants` / `--tenant NAME` (repeatable) pick, in list order. */
export function selectTenants(all: readonly Tenant[], names: readonly string[]): Tenant[] {
  if (names.length === 0) return [...all];
  const known = new Set(all.map((t) => t.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) {
    const sample = all.slice(0, 8).map((t) => t.name);
    throw new UsageError(
      `--tenant ${unknown[0]}: no such tenant (${all.length} configured${sample.length ? `: ${sample.join(", ")}${all.length > sample.length ? ", …" : ""}` : ""})`,
    );
  }
  const wanted = new Set(names);
  return all.filter((t) => wanted.has(t.name));
}

/** `TenantList` is what a tenants module returns. */
export type { TenantList };
