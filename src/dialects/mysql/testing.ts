/**
 * How the tests reach MySQL/MariaDB: AUTOGEN_TEST_MYSQL_URL names the server (a URL
 * without a database is given the `mysql` system database to connect to), the mysql
 * client runs scripts (it stops at the first failing statement).
 */
import type { DialectTesting } from "../dialect.js";
import { quoteIdent, quoteLiteral } from "./quote.js";

export const testing: DialectTesting = {
  serverUrl: () => {
    const url = new URL(process.env.AUTOGEN_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306");
    if (url.pathname.replace(/^\//, "") === "") url.pathname = "/mysql";
    return url.toString();
  },
  serverEnv: "AUTOGEN_TEST_MYSQL_URL",
  scriptClient: (url) => {
    const u = new URL(url);
    return {
      command: "mysql",
      args: [
        "--protocol=TCP",
        `--host=${u.hostname}`,
        `--port=${u.port || "3306"}`,
        `--user=${decodeURIComponent(u.username || "root")}`,
        ...(u.password ? [`--password=${decodeURIComponent(u.password)}`] : []),
        decodeURIComponent(u.pathname.replace(/^\//, "")),
      ],
    };
  },
  tablesQuery:
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
  scratchDatabasesQuery:
    "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'autogen\\_test\\_%' ORDER BY SCHEMA_NAME",
  // In strict mode (the default since MySQL 5.7 and MariaDB 10.2.4), as the test server runs.
  enforcesLengths: true,
  pause: (seconds) => `SELECT SLEEP(${seconds})`,
  setTableComment: (table, comment) => `ALTER TABLE ${quoteIdent(table)} COMMENT = ${quoteLiteral(comment)}`,
};
