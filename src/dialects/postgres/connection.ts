/**
 * A live PostgreSQL connection: one `pg.Client`, counting every statement it sends so
 * tests can prove that introspection uses a fixed number of queries.
 *
 * Every query goes through the extended protocol (Parse/Bind/Execute), in which the
 * server refuses a text of several statements ("cannot insert multiple commands into a
 * prepared statement"): a string that slipped past the expression guard cannot run a
 * second statement. Raw SQL of several statements is cut into its statements by the
 * PostgreSQL lexis before it gets here (../guarded-render.ts, ../sql-lexis.ts).
 */
import type pg from "pg";
import { importDriver } from "../driver.js";
import { UserError, errorMessage } from "../../errors.js";
import type { DbConnection } from "../dialect.js";
import { redactUrl } from "../redact.js";
import { STANDARD_STRINGS } from "./session.js";

function checkUrl(url: string): void {
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new UserError(`not a PostgreSQL URL (expected postgres://… or postgresql://…): ${redactUrl(url)}`);
  }
  try {
    new URL(url);
  } catch {
    throw new UserError(`malformed PostgreSQL URL: ${redactUrl(url)}`);
  }
}

/** One line saying why connecting failed (Node reports refused dual-stack connects as an AggregateError with no message). */
function connectFailureReason(err: unknown): string {
  const first = err instanceof AggregateError ? err.errors[0] : err;
  const message = errorMessage(first).split("\n")[0]?.trim();
  const code = (err as { code?: string }).code ?? (first as { code?: string })?.code;
  return message || code || "connection failed";
}

/**
 * The server's DETAIL and HINT ("Key (name)=(dup) already exists.", "You might need to
 * increase max_locks_per_transaction.") are what a user needs to act; pg keeps them in
 * fields beside the message, where every one-line report would lose them. They join the
 * message, on the same line.
 */
function withServerDetails(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { detail?: unknown; hint?: unknown; detailsAdded?: boolean };
  if (e.detailsAdded) return err;
  const extra = [
    typeof e.detail === "string" && e.detail ? `DETAIL: ${e.detail}` : "",
    typeof e.hint === "string" && e.hint ? `HINT: ${e.hint}` : "",
  ].filter(Boolean);
  if (extra.length) e.message = `${e.message} (${extra.join(" ").replace(/\s*\n\s*/g, " ")})`;
  e.detailsAdded = true;
  return err;
}

/**
 * pg asks at load time whether it runs in a Cloudflare Worker: `navigator.userAgent`
 * first, else by constructing a fetch `Response`, which on Node 20 (no `navigator`)
 * loads Node's whole fetch implementation — a tenth of a warm `autogen check`. Node 21+
 * has `navigator`; on Node 20 it is stood in for while pg loads, then removed.
 */
async function importPgLikeNode21(): Promise<{ default: typeof pg }> {
  const global = globalThis as { navigator?: unknown };
  if (global.navigator !== undefined) return import("pg");
  global.navigator = { userAgent: `Node.js/${process.versions.node}` };
  try {
    return await import("pg");
  } finally {
    delete global.navigator;
  }
}

/** A query sent through the extended protocol (pg reads `queryMode` in the peer range ^8.23; @types/pg does not declare it). */
function extended(text: string, values?: unknown[]): pg.QueryConfig {
  const config: pg.QueryConfig & { queryMode: "extended" } = { text, queryMode: "extended" };
  if (values !== undefined) config.values = values;
  return config;
}

export class PgConnection implements DbConnection {
  readonly dialect = "postgres" as const;
  private count = 0;
  private closed = false;

  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PgConnection> {
    checkUrl(url);
    const { Client } = await importDriver<typeof pg>("pg", "PostgreSQL", importPgLikeNode21);
    const client = new Client({ connectionString: url });
    // An idle client whose server goes away emits 'error'; without a listener that
    // would crash the process instead of failing the next query.
    client.on("error", () => {});
    try {
      await client.connect();
      // Literals are quoted for it (session.ts says why); a database or role may default it off.
      await client.query(extended(STANDARD_STRINGS));
    } catch (err) {
      await client.end().catch(() => {});
      const reason = connectFailureReason(err);
      throw new UserError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${reason}`);
    }
    return new PgConnection(client);
  }

  get queryCount(): number {
    return this.count;
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    this.count++;
    let result: pg.QueryResult;
    try {
      result = await this.client.query(extended(sql, params));
    } catch (err) {
      throw withServerDetails(err);
    }
    return result.rows as Row[];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.end();
  }
}

export const connect = (url: string): Promise<PgConnection> => PgConnection.open(url);
