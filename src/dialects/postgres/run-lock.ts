/**
 * The run lock on PostgreSQL: a session advisory lock, one key per database, schema and
 * version table. Taken with pg_try_advisory_lock so that a waiting run can read who
 * holds it from pg_locks and pg_stat_activity (closing the session releases it, so a
 * killed run never leaves it behind; a session left open by a hung client does).
 */
import type { DbConnection, RunLock } from "../dialect.js";
import { quoteLiteral } from "./quote.js";

/** The first half of autogen's advisory lock keys ("ag" in ASCII), apart from other applications' keys. */
export const ADVISORY_NAMESPACE = 0x6167;

/** The second half: the key of one database, schema and version table. */
export const advisoryKey = (table: string) => `hashtext(current_database() || '.' || current_schema() || '.' || ${quoteLiteral(table)})`;

interface HolderRow {
  pid: number;
  application: string | null;
  usename: string | null;
  client: string | null;
  backend_start: Date | string | null;
  state: string | null;
}

const when = (value: Date | string | null) => (value instanceof Date ? value.toISOString() : (value ?? "an unknown time"));

export function runLock(table: string): RunLock {
  const key = advisoryKey(table);
  return {
    async tryAcquire(conn: DbConnection) {
      const rows = await conn.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${ADVISORY_NAMESPACE}, ${key}) AS locked`);
      return rows[0]?.locked === true;
    },
    async release(conn: DbConnection) {
      await conn.query(`SELECT pg_advisory_unlock(${ADVISORY_NAMESPACE}, ${key})`);
    },
    async holder(conn: DbConnection) {
      // A two-key advisory lock shows its keys as classid / objid (an oid: the int4 key's
      // bits read unsigned) with objsubid 2.
      const rows = await conn.query<HolderRow>(
        `SELECT a.pid, a.application_name AS application, a.usename, host(a.client_addr) AS client, a.backend_start, a.state
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND l.classid = ${ADVISORY_NAMESPACE} AND l.objid = ((${key})::bigint & 4294967295)::oid
          LIMIT 1`,
      );
      const row = rows[0];
      if (!row) return undefined;
      const application = row.application ? `application "${row.application}"` : "no application_name";
      const from = row.client ? ` from ${row.client}` : "";
      return `PostgreSQL backend pid ${row.pid} (${application}, user ${row.usename ?? "unknown"}${from}, connected since ${when(row.backend_start)}, ${row.state ?? "state unknown"})`;
    },
  };
}
