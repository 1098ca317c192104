/**
 * A throwaway database on the configured PostgreSQL server, for `autogen test`: created
 * from the configured URL's connection, dropped (with its sessions) afterwards.
 */
import type { ScratchDatabase } from "../dialect.js";
import { createScratchDatabase } from "../scratch.js";
import { PgConnection } from "./connection.js";
import { quoteIdent } from "./quote.js";

export function createPostgresScratch(url: string, prefix?: string): Promise<ScratchDatabase> {
  return createScratchDatabase(
    url,
    (u) => PgConnection.open(u),
    {
      create: async (_admin, name) => `CREATE DATABASE ${quoteIdent(name)}`,
      drop: (name) => `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`,
    },
    prefix,
  );
}
