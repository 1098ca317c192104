/**
 * The one description of autogen's config file. Three things come from it:
 * - the JSON Schema shipped as `schemas/autogen.config.schema.json` (editors complete and
 *   validate autogen.config.json through its `$schema`); test/config-sources.test.ts fails,
 *   printing the JSON to write, whenever the file and this object differ;
 * - run-time validation (ajv, in ./validate.ts) of the JSON file and of the object an
 *   `autogen.config.ts`/`.js`/`.mjs` exports;
 * - the `ConfigFile` type `defineConfig` takes, derived below, so a field added here is
 *   typed, validated and completed everywhere at once.
 * The property order is the order "known fields" are listed in error messages.
 */
import { DIALECT_NAMES, type DialectName } from "../dialects/names.js";

const stringList = (description: string) => ({ type: "array", items: { type: "string" }, description }) as const;

export const CONFIG_DIALECTS = DIALECT_NAMES;

/** `{ "<key>": [names] }` or `{ "<key>": { "query": "select ..." } }`, run on the configured database. */
function tenantListOf<K extends string>(key: K, what: string) {
  return {
    type: "object",
    additionalProperties: false,
    required: [key],
    properties: {
      [key]: {
        oneOf: [
          { type: "array", items: { type: "string", minLength: 1 }, description: `The ${what}.` },
          {
            type: "object",
            additionalProperties: false,
            required: ["query"],
            properties: { query: { type: "string", minLength: 1, description: `A query on "url" returning the ${what} (first column).` } },
          },
        ],
      },
    },
  } as const;
}

const tenantModule = {
  type: "object",
  additionalProperties: false,
  required: ["module"],
  properties: { module: { type: "string", minLength: 1, description: "A module whose default export returns the tenants." } },
} as const;

export const configSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "autogen configuration",
  description: "autogen.config.json: where the models are, which database, where revisions live. Relative paths are relative to this file.",
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { type: "string", description: "The JSON Schema this file follows (for editors)." },
    dialect: {
      type: "string",
      enum: CONFIG_DIALECTS,
      description: 'The database kind; follows "url" when omitted and must agree with it.',
    },
    url: {
      type: "string",
      description:
        "Database URL: postgres://user@host:5432/db, or sqlite:./file.sqlite (relative to this file). --url and AUTOGEN_DATABASE_URL (also read from .env) take precedence; without it, the app's own DATABASE_URL (environment or .env), then its DataSource file's connection options.",
    },
    entities: stringList('Glob patterns of entity files (.ts or compiled .js), relative to this file. Not with "dataSource".'),
    dataSource: {
      type: "string",
      description:
        'Instead of "entities": a module exporting a TypeORM DataSource; its entities and naming strategy are used, it is never connected.',
    },
    versionsDir: { type: "string", description: 'Where new revisions are written (default "versions").' },
    versionLocations: stringList("More directories revisions are read from."),
    versionTable: {
      type: "string",
      pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
      description: 'The version table, a plain identifier (default "autogen_version").',
    },
    schema: { type: "string", description: "PostgreSQL schema to manage (default public). Not for SQLite." },
    excludeTables: stringList("Tables autogen never reports, creates or drops."),
    template: { type: "string", description: "The revision template (default versions/script.ts.tmpl if present)." },
    seedsDir: { type: "string", description: 'Seeder files and factories/ for `seed` (default "seeds").' },
    tsconfig: { type: "string", description: "The tsconfig the entities compile with (default: the nearest one to this file)." },
    cache: { type: "string", description: "Directory of the compiled-entities cache (default: node_modules/.cache/autogen)." },
    tenants: {
      type: "object",
      description:
        'The tenants `--all-tenants` and `--tenant NAME` run on: { "schemas": [...] } or { "schemas": { "query": "select ..." } } (PostgreSQL schemas of "url"), { "databases": ["postgres://...", "sqlite:..."] } or { "databases": { "query": "select url, name ..." } } (one database each), or { "module": "./autogen.tenants.ts" } (its default export returns either list; in autogen.config.ts also a function).',
      oneOf: [tenantListOf("schemas", "schema names"), tenantListOf("databases", "database URLs"), tenantModule],
    },
    lockTimeout: {
      type: "string",
      pattern: "^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$",
      description:
        'How long upgrade/downgrade wait for another run\'s migration lock before giving up ("30s", "2m"; default: as long as it takes). --lock-timeout wins.',
    },
    online: {
      type: "boolean",
      description:
        "Autogenerate online revisions (as --online does): the lock-safe form of each change (PostgreSQL; MySQL/MariaDB: ALGORITHM=INPLACE, LOCK=NONE).",
    },
    onlineLockTimeout: {
      type: "string",
      pattern: "^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$",
      description: 'Online revisions: how long a statement waits for a table lock before it gives up and is retried (default "500ms").',
    },
    onlineRetries: {
      type: "integer",
      minimum: 0,
      description: "Online revisions: retries of a step whose lock was not available (default 10).",
    },
    onlineRetryDelay: {
      type: "string",
      pattern: "^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$",
      description: 'Online revisions: the pause before the first retry, doubling for each next one (default "200ms").',
    },
  },
} as const;

type Properties = typeof configSchema.properties;
type ValueOf<P> = P extends { enum: readonly (infer E)[] }
  ? E
  : P extends { type: "boolean" }
    ? boolean
    : P extends { type: "integer" }
      ? number
      : P extends { type: "array"; items: { type: "string" } }
        ? string[]
        : P extends { type: "string" }
          ? string
          : never;

/** What a tenants module (or a `tenants` function in autogen.config.ts) returns. */
export type TenantList = { schemas: string[] } | { databases: Array<string | { url: string; name?: string }> };

/** The `tenants` field (src/fleet/tenants.ts reads it). */
export type TenantsConfig =
  | { schemas: string[] | { query: string } }
  | { databases: string[] | { query: string } }
  | { module: string }
  | (() => TenantList | Promise<TenantList>);

/** The config file as the user writes it (every field optional). */
export type ConfigFile = { -readonly [K in Exclude<keyof Properties, "tenants">]?: ValueOf<Properties[K]> } & { tenants?: TenantsConfig };

/** Names of the fields, in the schema's order. */
export type ConfigField = keyof Properties;

// The schema's dialects and the IR's must be the same set: adding a dialect to one
// without the other is a compile error here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const dialectsAgree: Same<(typeof CONFIG_DIALECTS)[number], DialectName> = true;
void dialectsAgree;

/**
 * Typed identity for `autogen.config.ts` / `.js` / `.mjs`:
 *
 * ```ts
 * import { defineConfig } from "autogen";
 * export default defineConfig({ url: process.env.DATABASE_URL, entities: ["src/entities/*.ts"] });
 * ```
 *
 * The exported object is validated at run time against the same schema as the JSON file.
 */
export function defineConfig(config: ConfigFile): ConfigFile {
  return config;
}
