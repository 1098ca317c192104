/**
 * A throwaway database on the configured MySQL/MariaDB server, for `autogen test`:
 * created through the configured URL's connection with that database's character set
 * and collation (a table's collation is compared with its database's default), and
 * dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import type { ScratchDatabase } from "../dialect.js";
import { connect } from "./connection.js";
import { plainName } from "./names.js";
import { quoteIdent } from "./quote.js";

export async function createMysqlScratch(url: string): Promise<ScratchDatabase> {
  const name = `autogen_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = await connect(url);
  try {
    const [defaults] = await admin.query<{ charset: string; collation: string }>(
      "SELECT @@character_set_database AS charset, @@collation_database AS collation",
    );
    // The server's own answers, checked all the same: they are written into DDL unquoted.
    const options = defaults
      ? ` DEFAULT CHARACTER SET ${plainName("character set", name, defaults.charset)} COLLATE ${plainName("collation", name, defaults.collation)}`
      : "";
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}${options}`);
  } finally {
    await admin.close();
  }
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    name,
    drop: async () => {
      const conn = await connect(url);
      try {
        await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      } finally {
        await conn.close();
      }
    },
  };
}
