/**
 * A throwaway database on the configured PostgreSQL server, for `autogen test`: created
 * from the configured URL's connection, dropped (with its sessions) afterwards.
 */
import { randomBytes } from "node:crypto";
import type { ScratchDatabase } from "../dialect.js";
import { PgConnection } from "./connection.js";
import { quoteIdent } from "./quote.js";

export async function createPostgresScratch(url: string): Promise<ScratchDatabase> {
  const name = `autogen_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = await PgConnection.open(url);
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await admin.close();
  }
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    name,
    drop: async () => {
      const conn = await PgConnection.open(url);
      try {
        await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      } finally {
        await conn.close();
      }
    },
  };
}
