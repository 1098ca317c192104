/**
 * MySQL and MariaDB URLs: `mysql://user:password@host:port/database` or the same with
 * `mariadb://`. The database is the URL's path; autogen works in that one database
 * (MySQL's "schema"), so a URL without one is refused.
 */
import type { DialectUrls } from "../dialect.js";
import { redactUrl } from "../redact.js";
import { checkServerUrl, serverUrl } from "../url.js";

export const urls: DialectUrls = {
  schemes: ["mysql", "mariadb"],
  example: "mysql://…",
  resolve: (url) => {
    checkServerUrl(url, "MySQL");
    if (!databaseOfUrl(url))
      throw new Error(`MySQL URL "${redactUrl(url)}" names no database (expected mysql://user@host:3306/<database>)`);
    return url;
  },
  driverPackages: ["mysql2", "mysql", "mariadb"],
  fromConnectionOptions: (options) => serverUrl(options.type === "mariadb" ? "mariadb" : "mysql", options),
};

/** The database a URL names (its path, decoded), or "" when it names none. */
export function databaseOfUrl(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

/** True for a `mariadb://` URL (TypeORM has a driver type of that name). */
export function isMariaDbUrl(url: string): boolean {
  return /^mariadb:/i.test(url.trim());
}
