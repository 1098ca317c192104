/** How the tests reach SQLite: a file in a temp directory, no server; the sqlite3 shell for scripts. */
import type { DialectTesting } from "../dialect.js";
import { fileOfUrl } from "./url.js";

export const testing: DialectTesting = {
  serverUrl: () => undefined,
  scriptClient: (url) => ({ command: "sqlite3", args: ["-bail", fileOfUrl(url)] }),
  tablesQuery: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  enforcesLengths: false,
};
