/** PostgreSQL URLs: `postgres://` or `postgresql://`, passed to `pg` as given. */
import type { DialectUrls } from "../dialect.js";
import { checkServerUrl } from "../url.js";

export const urls: DialectUrls = {
  schemes: ["postgres", "postgresql"],
  example: "postgres://…",
  resolve: (url) => checkServerUrl(url, "PostgreSQL"),
};
