/** How the tests reach PostgreSQL: AUTOGEN_TEST_PG_URL (a database to make others next to), psql for scripts. */
import type { DialectTesting } from "../dialect.js";
import { quoteIdent, quoteLiteral } from "./quote.js";

export const testing: DialectTesting = {
  serverUrl: () => process.env.AUTOGEN_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  serverEnv: "AUTOGEN_TEST_PG_URL",
  scriptClient: (url) => ({ command: "psql", args: ["-v", "ON_ERROR_STOP=1", "-q", "-d", url] }),
  tablesQuery: "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  scratchDatabasesQuery: "SELECT datname AS name FROM pg_database WHERE datname LIKE 'autogen\\_test\\_%' ORDER BY datname",
  enforcesLengths: true,
  pause: (seconds) => `SELECT pg_sleep(${seconds})`,
  setTableComment: (table, comment) => `COMMENT ON TABLE ${quoteIdent(table)} IS ${quoteLiteral(comment)}`,
};
