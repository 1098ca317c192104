/**
 * The run lock on MySQL/MariaDB: the named lock (GET_LOCK) of version-table.ts, taken
 * with a zero wait so that a waiting run can say who holds it: IS_USED_LOCK gives the
 * holder's connection id, the process list its user, host and state.
 */
import type { DbConnection, RunLock } from "../dialect.js";
import { lockName } from "./version-table.js";

interface ProcessRow {
  user: string | null;
  host: string | null;
  command: string | null;
  seconds: number | string | null;
  state: string | null;
}

export function runLock(table: string): RunLock {
  const name = lockName(table);
  return {
    async tryAcquire(conn: DbConnection) {
      // 1 taken, 0 held by another connection, NULL an error (treated as not taken).
      const rows = await conn.query<{ locked: unknown }>(`SELECT GET_LOCK(${name}, 0) AS locked`);
      return String(rows[0]?.locked ?? "") === "1";
    },
    async release(conn: DbConnection) {
      await conn.query(`SELECT RELEASE_LOCK(${name}) AS released`);
    },
    async holder(conn: DbConnection) {
      const id = (await conn.query<{ id: unknown }>(`SELECT IS_USED_LOCK(${name}) AS id`))[0]?.id;
      if (id === null || id === undefined) return undefined;
      // Without the PROCESS privilege another user's connection is not listed: the id is all there is.
      const rows = await conn.query<ProcessRow>(
        `SELECT USER AS user, HOST AS host, COMMAND AS command, TIME AS seconds, STATE AS state FROM information_schema.PROCESSLIST WHERE ID = ${Number(id)}`,
      );
      const row = rows[0];
      if (!row) return `connection id ${String(id)}`;
      const state = row.state ? `, ${row.state}` : "";
      return `connection id ${String(id)} (user ${row.user ?? "unknown"}@${row.host ?? "unknown"}, ${row.command ?? "unknown"} for ${String(row.seconds ?? "?")} s${state})`;
    },
  };
}
