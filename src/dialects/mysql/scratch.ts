/**
 * A throwaway database on the configured MySQL/MariaDB server, for `autogen test`:
 * created through the configured URL's connection with that database's character set
 * and collation (a table's collation is compared with its database's default), and
 * dropped afterwards.
 */
import type { ScratchDatabase } from "../dialect.js";
import { createScratchDatabase } from "../scratch.js";
import { connect } from "./connection.js";
import { plainName } from "./names.js";
import { quoteIdent } from "./quote.js";

export function createMysqlScratch(url: string, prefix?: string): Promise<ScratchDatabase> {
  return createScratchDatabase(
    url,
    connect,
    {
      create: async (admin, name) => {
        const [defaults] = await admin.query<{ charset: string; collation: string }>(
          "SELECT @@character_set_database AS charset, @@collation_database AS collation",
        );
        // The server's own answers, checked all the same: they are written into DDL unquoted.
        const options = defaults
          ? ` DEFAULT CHARACTER SET ${plainName("character set", name, defaults.charset)} COLLATE ${plainName("collation", name, defaults.collation)}`
          : "";
        return `CREATE DATABASE ${quoteIdent(name)}${options}`;
      },
      drop: (name) => `DROP DATABASE IF EXISTS ${quoteIdent(name)}`,
    },
    prefix,
  );
}
