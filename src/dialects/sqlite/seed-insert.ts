/**
 * Seeded rows into SQLite, on the better-sqlite3 Database under TypeORM's query runner
 * (TypeORM 1.x's driver, and 0.3's "better-sqlite3" one). TypeORM 0.3's "sqlite" driver
 * (the sqlite3 package) drops the rows RETURNING gives back, so it keeps save().
 *
 * Multi-row VALUES with RETURNING, prepared once per row count and shape and run again
 * for every full batch: SQLite compiles the statement once, and each batch is one call
 * into the library (a row a call costs more, and RETURNING a row a call even more).
 *
 * SQLite does not promise RETURNING's rows in the order the VALUES were written, but rows
 * one statement inserts into a rowid table get consecutive rowids in VALUES order (each is
 * the largest so far plus one). So every statement also returns the rowid (the generated
 * integer key is its alias), and its rows are put in rowid order before they are handed
 * back. Where the rowid says nothing about the order (a WITHOUT ROWID table, or rows that
 * give the rowid alias themselves) rows that read values back go one a statement.
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

/** What the writer knows of a table: how to name its rowid (undefined: no usable rowid) and its alias column. */
interface TableRowid {
  /** `rowid`, `_rowid_` or `oid`, whichever no column of the table shadows; undefined for a WITHOUT ROWID table. */
  name: string | undefined;
  /** The INTEGER PRIMARY KEY column that is the rowid's alias, if any. */
  alias: string | undefined;
}

/** The table's rowid facts, in one read of the schema. */
const TABLE_ROWID_SQL = `SELECT
  (SELECT wr FROM pragma_table_list(?) WHERE schema = ?) AS wr,
  (SELECT json_group_array(json_array(name, type, pk)) FROM pragma_table_info(?, ?)) AS columns`;

/**
 * `rows` (one statement's RETURNING rows, the rowid last) in the order their VALUES were
 * written, without the rowid. Throws when the rowids are not consecutive: then something
 * else took rowids meanwhile (a trigger, a table at the largest rowid) and the order is unknown.
 */
export function inRowidOrder(rows: readonly unknown[][], table: string): unknown[][] {
  const key = (row: readonly unknown[]): bigint => BigInt(row[row.length - 1] as number | bigint);
  const keyed = rows.map((row) => ({ row, rowid: key(row) }));
  keyed.sort((a, b) => (a.rowid < b.rowid ? -1 : a.rowid > b.rowid ? 1 : 0));
  for (let i = 1; i < keyed.length; i++) {
    if (keyed[i]!.rowid !== keyed[i - 1]!.rowid + 1n) {
      throw new Error(
        `${table}: the inserted rows did not get consecutive rowids, so the values read back cannot be matched to the rows written`,
      );
    }
  }
  return keyed.map(({ row }) => row.slice(0, -1));
}

class SqliteRowWriter implements SeedRowWriter {
  statements = 0;
  private readonly prepared = new Map<string, Statement>();
  private readonly rowids = new Map<string, TableRowid>();

  constructor(private readonly db: Database) {}

  private rowidOf(table: readonly string[]): TableRowid {
    const key = table.join("\u0000");
    let known = this.rowids.get(key);
    if (!known) {
      const name = table[table.length - 1]!;
      const schema = table.length > 1 ? table[0]! : "main";
      this.statements++;
      const [wr, columnsJson] = this.db.prepare(TABLE_ROWID_SQL).raw(true).all([name, schema, name, schema])[0] as [unknown, string];
      const columns = JSON.parse(columnsJson) as Array<[string, string, number]>;
      const names = new Set(columns.map(([n]) => n.toLowerCase()));
      const keys = columns.filter(([, , pk]) => pk > 0);
      known = {
        name: Number(wr) === 1 ? undefined : ["rowid", "_rowid_", "oid"].find((n) => !names.has(n)),
        alias: Number(wr) !== 1 && keys.length === 1 && keys[0]![1].toUpperCase() === "INTEGER" ? keys[0]![0] : undefined,
      };
      this.rowids.set(key, known);
    }
    return known;
  }

  insert(shape: SeedInsertShape, values: readonly (readonly unknown[])[], count: number): Promise<unknown[][]> {
    try {
      return Promise.resolve(this.insertNow(shape, values, count));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  private insertNow(shape: SeedInsertShape, values: readonly (readonly unknown[])[], total: number): unknown[][] {
    const width = shape.columns.length;
    const reading = shape.returning.length > 0;
    // The rowid to put returned rows in order by; without one, a row a statement (nothing to order).
    let rowid: string | undefined;
    if (reading && total > 1) {
      const table = this.rowidOf(shape.table);
      const aliasGiven = table.alias !== undefined && shape.columns.some((c) => c.toLowerCase() === table.alias!.toLowerCase());
      rowid = aliasGiven ? undefined : table.name;
    }
    const perStatement =
      width === 0 || (reading && rowid === undefined) ? 1 : Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / width)));
    const tableName = shape.table.join(".");
    const out: unknown[][] = [];
    for (let at = 0; at < total; at += perStatement) {
      const count = Math.min(perStatement, total - at);
      const statement = this.statement(shape, count, count > 1 ? rowid : undefined);
      const params: unknown[] = new Array(count * width);
      let n = 0;
      for (let r = at; r < at + count; r++) {
        for (let c = 0; c < width; c++) params[n++] = bindable(values[c]![r]);
      }
      this.statements++;
      if (reading) {
        const returned = statement.all(params);
        for (const row of count > 1 ? inRowidOrder(returned, tableName) : returned) out.push(row);
      } else {
        statement.run(params);
      }
    }
    return out;
  }

  /** The prepared statement for `rows` rows of `shape`, returning `rowid` last when given. */
  private statement(shape: SeedInsertShape, rows: number, rowid: string | undefined): Statement {
    const table = shape.table.map(quoteIdent).join(".");
    const read = rowid === undefined ? shape.returning : [...shape.returning, rowid];
    const returning = shape.returning.length > 0 ? ` RETURNING ${read.map(quoteIdent).join(", ")}` : "";
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
