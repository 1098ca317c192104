/**
 * A throwaway database on the configured server, for `autogen test`: named uniquely,
 * created through a connection to the configured URL, reached by the same URL with its
 * own database name, and dropped afterwards. Each dialect gives its connection and its
 * CREATE / DROP statements (scratch.ts in its folder).
 */
import { randomBytes } from "node:crypto";
import type { DbConnection, ScratchDatabase } from "./dialect.js";

export interface ScratchStatements {
  /** The CREATE DATABASE statement for `name`, asked on the admin connection. */
  create(admin: DbConnection, name: string): Promise<string>;
  /** The DROP DATABASE statement for `name`. */
  drop(name: string): string;
}

export async function createScratchDatabase(
  url: string,
  open: (url: string) => Promise<DbConnection>,
  sql: ScratchStatements,
  /** Tests name theirs apart from `autogen test`'s, which they count on the server. */
  prefix = "autogen_test",
): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`.toLowerCase();
  const onAdmin = async (run: (conn: DbConnection) => Promise<void>) => {
    const conn = await open(url);
    try {
      await run(conn);
    } finally {
      await conn.close();
    }
  };
  const create = () => onAdmin(async (admin) => void (await admin.query(await sql.create(admin, name))));
  const drop = () => onAdmin(async (conn) => void (await conn.query(sql.drop(name))));
  await create();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    name,
    reset: async () => {
      await drop();
      await create();
    },
    drop,
  };
}
