/**
 * A fleet's connections: never more than `size` open at once, however many tenants run.
 * A connection released in good order waits idle for the next tenant on the same URL
 * (every schema of one database shares them), so a tenant costs its statements, not a
 * connect; one released after a failure is closed, since it may be in any state.
 */
import type { DbConnection, Dialect } from "../dialects/dialect.js";
import type { ConnectionSource } from "../api/workspace.js";

interface Idle {
  conn: DbConnection;
  url: string;
  /** A session statement (search_path) ran on it: only a tenant that sets its own may reuse it. */
  dirty: boolean;
}

export class ConnectionPool implements ConnectionSource {
  private readonly idle: Idle[] = [];
  private readonly busy = new Map<DbConnection, { url: string; dirty: boolean }>();
  private opening = 0;
  private waiters: Array<() => void> = [];
  /** The most connections open at one moment. */
  peak = 0;
  /** Connections opened in all. */
  opened = 0;

  constructor(
    private readonly size: number,
    /** false: close every released connection (seeding opens TypeORM's own beside it). */
    private readonly keepIdle = true,
  ) {}

  private get open(): number {
    return this.idle.length + this.busy.size + this.opening;
  }

  async acquire(url: string, dialect: Dialect, session: readonly string[]): Promise<DbConnection> {
    const setsSession = session.length > 0;
    for (;;) {
      const i = this.idle.findIndex((e) => e.url === url && (setsSession || !e.dirty));
      if (i >= 0) {
        const [entry] = this.idle.splice(i, 1);
        this.busy.set(entry!.conn, { url, dirty: entry!.dirty || setsSession });
        return entry!.conn;
      }
      if (this.open < this.size) break;
      const evicted = this.idle.shift();
      if (evicted) {
        await evicted.conn.close().catch(() => undefined);
        continue;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.opening++;
    this.peak = Math.max(this.peak, this.open);
    let conn: DbConnection;
    try {
      conn = await dialect.connect(url);
    } catch (err) {
      this.opening--;
      this.wake();
      throw err;
    }
    this.opening--;
    this.opened++;
    this.busy.set(conn, { url, dirty: setsSession });
    return conn;
  }

  async release(conn: DbConnection, failed: boolean): Promise<void> {
    const entry = this.busy.get(conn);
    this.busy.delete(conn);
    if (entry && !failed && this.keepIdle) this.idle.push({ conn, ...entry });
    else await conn.close().catch(() => undefined);
    this.wake();
  }

  /**
   * Closes the idle connections to `url`: no tenant left needs it, and a session may
   * still hold what only closing releases (MySQL's nested GET_LOCKs).
   */
  async retire(url: string): Promise<void> {
    const leaving = this.idle.filter((e) => e.url === url);
    if (leaving.length === 0) return;
    for (const e of leaving) this.idle.splice(this.idle.indexOf(e), 1);
    await Promise.all(leaving.map((e) => e.conn.close().catch(() => undefined)));
    this.wake();
  }

  /** Closes the idle connections (the fleet is done). */
  async close(): Promise<void> {
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((e) => e.conn.close().catch(() => undefined)));
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}
