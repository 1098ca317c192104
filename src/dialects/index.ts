/**
 * The dialect registry: every supported database, registered explicitly here (not by
 * import side effects), looked up by name or by a URL's scheme. Nothing outside
 * src/dialects/ names a database; it asks here.
 */
import type { DialectName } from "./names.js";
import type { Dialect } from "./dialect.js";
import { guarded } from "./guarded-render.js";
import { mysqlDialect } from "./mysql/index.js";
import { postgresDialect } from "./postgres/index.js";
import { sqliteDialect } from "./sqlite/index.js";
import { schemeOf } from "./url.js";

// Each through the one guarded render path: expression text checked, raw SQL split.
const DIALECTS: Record<DialectName, Dialect> = {
  postgres: guarded(postgresDialect),
  sqlite: guarded(sqliteDialect),
  mysql: guarded(mysqlDialect),
};

export function getDialect(name: DialectName): Dialect {
  return DIALECTS[name];
}

/** What `autogen init` writes without --url: a file next to the config, no server to install. */
export const DEFAULT_URL = "sqlite:./autogen.sqlite";

/** Every registered dialect name, for messages and validation. */
export { DIALECT_NAMES } from "./names.js";

export function isDialectName(name: string): name is DialectName {
  return Object.hasOwn(DIALECTS, name);
}

/** The dialect a URL's scheme names, if any. */
export function dialectOfUrl(url: string): Dialect | undefined {
  const scheme = schemeOf(url);
  if (scheme === undefined) return undefined;
  return Object.values(DIALECTS).find((d) => d.urls.schemes.includes(scheme));
}

/** "postgres://… or sqlite:<file>": what a supported URL looks like, for messages. */
export function urlExamples(): string {
  const examples = Object.values(DIALECTS).map((d) => d.urls.example);
  return examples.length > 1 ? `${examples.slice(0, -1).join(", ")} or ${examples.at(-1)}` : (examples[0] ?? "");
}

export { redactUrl } from "./redact.js";
export type { Dialect, DbConnection } from "./dialect.js";
export type { DialectName } from "./names.js";
