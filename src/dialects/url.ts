/**
 * What URL handling every dialect shares: the scheme of a URL, and checking that a
 * server URL parses (redaction is ./redact.ts, one function for every dialect).
 */
import type { ConnectionOptions } from "./dialect.js";
import { redactUrl } from "./redact.js";

/** The lower-case scheme of a URL (`postgres` for `postgres://…`, `sqlite` for `sqlite:x`), or undefined. */
export function schemeOf(url: string): string | undefined {
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url.trim())?.[1]?.toLowerCase();
}

/** `scheme://user:password@host:port/database` from a DataSource's options; undefined without a host or database. */
export function serverUrl(scheme: string, o: ConnectionOptions): string | undefined {
  if (!o.host && !o.database) return undefined;
  const user = o.username ? `${encodeURIComponent(o.username)}${o.password ? `:${encodeURIComponent(o.password)}` : ""}@` : "";
  return `${scheme}://${user}${o.host ?? "localhost"}${o.port ? `:${o.port}` : ""}/${encodeURIComponent(o.database ?? "")}`;
}

/** Checks that a server URL parses; the reason is one line naming the URL without its password. */
export function checkServerUrl(url: string, title: string): string {
  try {
    new URL(url);
  } catch {
    throw new Error(`malformed ${title} URL "${redactUrl(url)}"`);
  }
  return url;
}
