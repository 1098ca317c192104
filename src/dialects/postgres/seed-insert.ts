/**
 * Seeded rows into PostgreSQL, on the pg client under TypeORM's query runner.
 *
 * One statement per batch whatever its width:
 *   INSERT INTO t (a, b) SELECT * FROM unnest($1::a_type[], $2::b_type[]) RETURNING id, …
 * binds one array per column, so the statement text and the parameter count do not grow
 * with the rows (no 65,535-parameter cap, nothing for the server to parse per row).
 * The array types come from the catalog, once per table and seed run, so every column
 * type works that has an array type (enums and domains included). Where a column's
 * values are arrays themselves (unnest would flatten them) or its type has no array
 * type, the batch goes as multi-row VALUES instead, sized under the parameter limit.
 */
import type { SeedInsertShape, SeedInsertSupport, SeedRowWriter } from "../dialect.js";
import { quoteIdent } from "./quote.js";

/** The part of pg's Client the writer uses. */
interface PgClient {
  query(config: { text: string; values?: unknown[]; rowMode?: "array" }): Promise<{ rows: unknown[][] }>;
}

/** PostgreSQL's bound-parameter limit per statement (a 16-bit count in the protocol). */
const MAX_PARAMETERS = 65535;
/** VALUES rows per statement: the planner's cost grows with the list; past ~1,000 rows nothing is gained. */
const MAX_VALUES_ROWS = 1000;

/** Each column's array type (`"pg_catalog"."_varchar"`), null where unnest cannot carry the column. */
const ARRAY_TYPES_SQL = `SELECT a.attname,
  CASE WHEN t.typcategory = 'A' OR arr.oid IS NULL THEN NULL
       ELSE quote_ident(n.nspname) || '.' || quote_ident(arr.typname) END
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type arr ON arr.oid = t.typarray
LEFT JOIN pg_namespace n ON n.oid = arr.typnamespace
WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`;

class PgRowWriter implements SeedRowWriter {
  statements = 0;
  private readonly arrayTypes = new Map<string, Promise<Map<string, string | null>>>();
  private readonly loadedTypes = new Map<string, Map<string, string | null>>();

  constructor(private readonly client: PgClient) {}

  async insert(shape: SeedInsertShape, values: readonly (readonly unknown[])[], count: number): Promise<unknown[][]> {
    if (count === 0) return [];
    const table = shape.table.map(quoteIdent).join(".");
    const returning = shape.returning.length > 0 ? ` RETURNING ${shape.returning.map(quoteIdent).join(", ")}` : "";
    if (shape.columns.length === 0) {
      // Nothing given: every column takes its default, one row a statement.
      const out: unknown[][] = [];
      for (let i = 0; i < count; i++) out.push(...(await this.run(`INSERT INTO ${table} DEFAULT VALUES${returning}`, [])));
      return out;
    }
    const columnList = shape.columns.map(quoteIdent).join(", ");
    // Read once per table; after that no await comes before the statement is sent.
    const types = this.loadedTypes.get(table) ?? (await this.arrayTypesOf(table));
    const arrayTypes = shape.columns.map((c) => types.get(c) ?? null);
    if (arrayTypes.every((t) => t !== null)) {
      const casts = arrayTypes.map((type, i) => `$${i + 1}::${type}`);
      return this.run(`INSERT INTO ${table} (${columnList}) SELECT * FROM unnest(${casts.join(", ")})${returning}`, values as unknown[]);
    }
    return this.insertValues(`INSERT INTO ${table} (${columnList}) VALUES `, returning, values, count);
  }

  private async insertValues(head: string, returning: string, values: readonly (readonly unknown[])[], count: number): Promise<unknown[][]> {
    const width = values.length;
    const perStatement = Math.max(1, Math.min(MAX_VALUES_ROWS, Math.floor(MAX_PARAMETERS / width)));
    const out: unknown[][] = [];
    for (let at = 0; at < count; at += perStatement) {
      const rows = Math.min(perStatement, count - at);
      const tuples: string[] = [];
      const params: unknown[] = [];
      for (let r = at; r < at + rows; r++) {
        const marks: string[] = [];
        for (let c = 0; c < width; c++) marks.push(`$${params.push(values[c]![r])}`);
        tuples.push(`(${marks.join(", ")})`);
      }
      for (const row of await this.run(`${head}${tuples.join(", ")}${returning}`, params)) out.push(row);
    }
    return out;
  }

  private async run(text: string, values: unknown[]): Promise<unknown[][]> {
    this.statements++;
    return (await this.client.query({ text, values, rowMode: "array" })).rows;
  }

  prepare(table: readonly string[]): void {
    // The rejection is kept for the first insert, which awaits the same promise.
    this.arrayTypesOf(table.map(quoteIdent).join(".")).catch(() => undefined);
  }

  private arrayTypesOf(table: string): Promise<Map<string, string | null>> {
    let types = this.arrayTypes.get(table);
    if (!types) {
      types = this.run(ARRAY_TYPES_SQL, [table]).then((rows) => {
        const loaded = new Map(rows.map(([name, type]) => [String(name), type === null ? null : String(type)]));
        this.loadedTypes.set(table, loaded);
        return loaded;
      });
      this.arrayTypes.set(table, types);
    }
    return types;
  }
}

/** TypeORM's query runner and driver, as far as the writer looks at them. */
interface TypeOrmRunner {
  connect(): Promise<unknown>;
}

export const seedInsert: SeedInsertSupport = {
  async writer(dataSource, queryRunner) {
    const driver = (dataSource as { driver?: { constructor?: { name?: string } } }).driver;
    // Aurora Data API and CockroachDB drivers reach other servers through other clients: save() for them.
    if (driver?.constructor?.name !== "PostgresDriver") return undefined;
    const client = (await (queryRunner as TypeOrmRunner).connect()) as PgClient;
    if (typeof client?.query !== "function") return undefined;
    return new PgRowWriter(client);
  },
};
