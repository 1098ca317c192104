/** PostgreSQL URLs: `postgres://` or `postgresql://`, passed to `pg` as given. */
import type { DialectUrls } from "../dialect.js";
import { checkServerUrl, serverUrl } from "../url.js";

export const urls: DialectUrls = {
  schemes: ["postgres", "postgresql"],
  example: "postgres://…",
  resolve: (url) => checkServerUrl(url, "PostgreSQL"),
  driverPackages: ["pg"],
  fromConnectionOptions: (options) => serverUrl("postgres", options),
};
