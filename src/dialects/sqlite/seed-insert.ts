/**
 * Seeded rows into SQLite, on the better-sqlite3 Database under TypeORM's query runner
 * (TypeORM 1.x's driver, and 0.3's "better-sqlite3" one). TypeORM 0.3's "sqlite" driver
 * (the sqlite3 package) drops the rows RETURNING gives back, so it keeps save().
 *
 * Multi-row VALUES with RETURNING, prepared once per row count and shape and run again
 * for every full batch: SQLite compiles the statement once, and each batch is one call
 * into the library (a row a call costs more, and RETURNING a row a call even more).
 */
import type { SeedInsertShape, SeedInsertSupport, SeedRowWriter } from "../dialect.js";
import { quoteIdent } from "./quote.js";

/** The part of a better-sqlite3 Statement / Database the writer uses. */
interface Statement {
  raw(on: boolean): Statement;
  all(params: unknown[]): unknown[][];
  run(params: unknown[]): unknown;
}
interface Database {
  prepare(sql: string): Statement;
}

/** Under SQLite's default 32,766 bound parameters a statement. */
const MAX_PARAMETERS = 30000;
const MAX_ROWS = 1000;

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; booleans are 1/0 as TypeORM sends them. */
function bindable(value: unknown): unknown {
  return typeof value === "boolean" ? (value ? 1 : 0) : value;
}

class SqliteRowWriter implements SeedRowWriter {
  statements = 0;
  private readonly prepared = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  insert(shape: SeedInsertShape, values: readonly (readonly unknown[])[], count: number): Promise<unknown[][]> {
    try {
      return Promise.resolve(this.insertNow(shape, values, count));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  private insertNow(shape: SeedInsertShape, values: readonly (readonly unknown[])[], total: number): unknown[][] {
    const width = shape.columns.length;
    const perStatement = width === 0 ? 1 : Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / width)));
    const out: unknown[][] = [];
    for (let at = 0; at < total; at += perStatement) {
      const count = Math.min(perStatement, total - at);
      const statement = this.statement(shape, count);
      const params: unknown[] = new Array(count * width);
      let n = 0;
      for (let r = at; r < at + count; r++) {
        for (let c = 0; c < width; c++) params[n++] = bindable(values[c]![r]);
      }
      this.statements++;
      if (shape.returning.length > 0) {
        for (const returned of statement.all(params)) out.push(returned);
      } else {
        statement.run(params);
      }
    }
    return out;
  }

  private statement(shape: SeedInsertShape, rows: number): Statement {
    const table = shape.table.map(quoteIdent).join(".");
    const returning = shape.returning.length > 0 ? ` RETURNING ${shape.returning.map(quoteIdent).join(", ")}` : "";
    const key = `${table}\u0000${shape.columns.join("\u0001")}\u0000${returning}\u0000${rows}`;
    let statement = this.prepared.get(key);
    if (!statement) {
      const tuple = `(${shape.columns.map(() => "?").join(", ")})`;
      const sql =
        shape.columns.length === 0
          ? `INSERT INTO ${table} DEFAULT VALUES${returning}`
          : `INSERT INTO ${table} (${shape.columns.map(quoteIdent).join(", ")}) VALUES ${Array.from({ length: rows }, () => tuple).join(", ")}${returning}`;
      statement = this.db.prepare(sql);
      if (shape.returning.length > 0) statement.raw(true);
      this.prepared.set(key, statement);
    }
    return statement;
  }
}

export const seedInsert: SeedInsertSupport = {
  async writer(dataSource, queryRunner) {
    const driver = (dataSource as { driver?: { constructor?: { name?: string } } }).driver;
    if (driver?.constructor?.name !== "BetterSqlite3Driver") return undefined;
    const db = (await (queryRunner as { connect(): Promise<unknown> }).connect()) as Database;
    if (typeof db?.prepare !== "function") return undefined;
    return new SqliteRowWriter(db);
  },
};
