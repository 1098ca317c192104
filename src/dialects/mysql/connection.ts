/**
 * A live MySQL/MariaDB connection: one `mysql2` connection, counting every statement it
 * sends so tests can prove that introspection uses a fixed number of queries. Dates and
 * big numbers come back as strings, so values read are values written.
 */
import type { Connection, ConnectionOptions } from "mysql2/promise";
import { UserError, errorMessage } from "../../errors.js";
import type { DbConnection } from "../dialect.js";
import { importDriver } from "../driver.js";
import { redactUrl } from "../redact.js";
import { GENERIC_SERVER, serverTraits, type ServerTraits } from "./server.js";
import { databaseOfUrl } from "./url.js";

type Mysql2 = { createConnection(options: ConnectionOptions): Promise<Connection> };

export class MysqlConnection implements DbConnection {
  readonly dialect = "mysql" as const;
  private count = 0;
  private closed = false;

  constructor(
    private readonly connection: Connection,
    /** What the server is (MariaDB or MySQL, which version): the SQL written for it depends on it. */
    readonly server: ServerTraits = GENERIC_SERVER,
  ) {}

  get queryCount(): number {
    return this.count;
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    this.count++;
    // `query` (not `execute`): DDL cannot be prepared. One statement per call: a script
    // (an op.execute) arrives already split into its statements by the render path.
    const [result] = await this.connection.query({ sql, values: params ?? [] });
    return (Array.isArray(result) ? result : []) as Row[];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.end().catch(() => this.connection.destroy());
  }
}

export async function connect(url: string): Promise<MysqlConnection> {
  const mysql = await importDriver<Mysql2>("mysql2", "MySQL", () => import("mysql2/promise") as Promise<{ default: Mysql2 }>);
  const parsed = new URL(url);
  if (!databaseOfUrl(url))
    throw new UserError(`MySQL URL ${redactUrl(url)} names no database (expected mysql://user@host:3306/<database>)`);
  let connection: Connection;
  try {
    connection = await mysql.createConnection({
      uri: `mysql://${parsed.host}${parsed.pathname}${parsed.search}`,
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      // Never several statements per call: text that smuggles a second one fails instead of running it.
      multipleStatements: false,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
    });
  } catch (err) {
    const first = err instanceof AggregateError ? err.errors[0] : err;
    const reason = errorMessage(first).split("\n")[0]?.trim() || (first as { code?: string })?.code || "connection failed";
    throw new UserError(`cannot connect to MySQL at ${redactUrl(url)}: ${reason}`);
  }
  // An idle connection whose server goes away emits 'error'; without a listener that
  // would crash the process instead of failing the next query.
  connection.on("error", () => {});
  const [rows] = await connection.query("SELECT VERSION() AS v, @@collation_database AS c, @@character_set_database AS s");
  const [server] = rows as Array<{ v?: string; c?: string | null; s?: string | null }>;
  return new MysqlConnection(connection, serverTraits(server?.v ?? "", server?.c ?? undefined, server?.s ?? undefined));
}
