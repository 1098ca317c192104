/**
 * An SQLite connection over the `sqlite3` package's callback API, promisified, counting
 * every statement it sends (the introspection tests prove a fixed query count with it).
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type sqlite3 from "sqlite3";
import { UserError, errorMessage } from "../../errors.js";
import type { DbConnection } from "../dialect.js";
import { importDriver } from "../driver.js";
import { splitStatements } from "../sql-lexis.js";
import { hasSeveralStatements } from "./ddl/sql-tokens.js";
import { lexis } from "./lexis.js";
import { fileOfUrl, MEMORY_DATABASE } from "./url.js";

/** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 120_000;

export class SqliteConnection implements DbConnection {
  readonly dialect = "sqlite" as const;
  private count = 0;

  constructor(
    private readonly db: sqlite3.Database,
    /** The database file (or `:memory:`). */
    readonly file: string,
  ) {}

  get queryCount(): number {
    return this.count;
  }

  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    this.count += 1;
    return new Promise<Row[]>((resolve, reject) => {
      // One statement per call, as on every database: a text of several (one that slipped
      // past the expression guard) is refused before anything runs; op.execute scripts
      // arrive already cut into statements by the render path.
      if (splitStatements(sql, lexis).length > 1) {
        reject(new Error(`refused a text of several statements (autogen sends one per call): ${sql.slice(0, 80)}`));
        return;
      }
      // `all` runs only up to a string's first `;`: a statement with semicolons inside
      // (a trigger's BEGIN … END) goes through `exec`.
      if ((!params || params.length === 0) && hasSeveralStatements(sql)) {
        this.db.exec(sql, (err) => (err ? reject(err) : resolve([])));
        return;
      }
      this.db.all<Row>(sql, params ?? [], (err, rows) => (err ? reject(err) : resolve(rows ?? [])));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}

function openDatabase(driver: typeof sqlite3, file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db: sqlite3.Database = new driver.Database(file, (err) => (err ? reject(err) : resolve(db)));
  });
}

export async function connect(url: string): Promise<SqliteConnection> {
  const file = fileOfUrl(url);
  if (file !== MEMORY_DATABASE) {
    const dir = path.dirname(file);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new UserError(`Cannot open SQLite database ${file}: directory ${dir} does not exist`);
    }
  }
  // Loaded here, not at start-up: sqlite3 is an optional peer dependency.
  const driver = await importDriver<typeof sqlite3>("sqlite3", "SQLite", () => import("sqlite3"));
  let db: sqlite3.Database;
  try {
    db = await openDatabase(driver, file);
  } catch (err) {
    throw new UserError(`Cannot open SQLite database ${file}: ${errorMessage(err)}`);
  }
  // A migrating process holds the write lock for a whole revision: wait for it (a
  // concurrent `upgrade` queues behind the one running) rather than fail with SQLITE_BUSY.
  db.configure("busyTimeout", SQLITE_BUSY_TIMEOUT_MS);
  const connection = new SqliteConnection(db, file);
  try {
    // SQLite leaves foreign keys unenforced unless asked, per connection; TypeORM asks too.
    await connection.query("PRAGMA foreign_keys = ON");
    // Reading the schema fails on a file that is not a database; say so now, naming it.
    await connection.query("SELECT count(*) FROM sqlite_master");
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw new UserError(`Cannot open SQLite database ${file}: ${errorMessage(err)}`);
  }
  return connection;
}
