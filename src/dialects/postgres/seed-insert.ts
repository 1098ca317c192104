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
 *
 * PostgreSQL does not promise RETURNING's rows in the order the SELECT gave them, so a
 * statement that reads values back numbers its source rows (WITH ORDINALITY, or a number
 * in each VALUES row), inserts them from a CTE, joins what was inserted back to the
 * source rows on the primary key and returns them ORDER BY that number:
 *   WITH s AS MATERIALIZED (SELECT nextval('t_id_seq') AS k1, u.* FROM unnest(…) WITH ORDINALITY AS u(c1, …, o)),
 *        i AS (INSERT INTO t (id, a, …) OVERRIDING SYSTEM VALUE SELECT k1, c1, … FROM s RETURNING …, id AS j1)
 *   SELECT i.… FROM i JOIN s ON i.j1 = s.k1 ORDER BY s.o
 * A key the rows do not give is drawn from its own sequence (serial or identity) in the
 * CTE, so that it is known on both sides of the join. A key that is neither given nor
 * from a sequence leaves nothing to join on: then such rows go one a statement.
 */
import type { SeedInsertShape, SeedInsertSupport, SeedRowWriter } from "../dialect.js";
import { quoteIdent } from "./quote.js";

/** The part of pg's Client the writer uses. */
interface PgClient {
  query(config: { text: string; values?: unknown[]; rowMode?: "array"; queryMode?: "extended" }): Promise<{ rows: unknown[][] }>;
}

/** PostgreSQL's bound-parameter limit per statement (a 16-bit count in the protocol). */
const MAX_PARAMETERS = 65535;
/** VALUES rows per statement: the planner's cost grows with the list; past ~1,000 rows nothing is gained. */
const MAX_VALUES_ROWS = 1000;

/**
 * Each column's array type (`"pg_catalog"."_varchar"`, null where unnest cannot carry the
 * column), its own type, whether it is in the primary key, and its sequence if any.
 */
const COLUMNS_SQL = `SELECT a.attname,
  CASE WHEN t.typcategory = 'A' OR arr.oid IS NULL THEN NULL
       ELSE quote_ident(n.nspname) || '.' || quote_ident(arr.typname) END,
  format_type(a.atttypid, a.atttypmod),
  EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)),
  pg_get_serial_sequence($1::text, a.attname)
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type arr ON arr.oid = t.typarray
LEFT JOIN pg_namespace n ON n.oid = arr.typnamespace
WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped`;

/** What the writer knows of one column of a table. */
interface ColumnFacts {
  /** Its array type for unnest, null where unnest cannot carry it. */
  arrayType: string | null;
  /** Its own type, to cast VALUES parameters to. */
  type: string;
  primaryKey: boolean;
  /** The (quoted, qualified) sequence its values come from, serial or identity. */
  sequence: string | null;
}
type TableFacts = Map<string, ColumnFacts>;

/** A string as an SQL literal. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The parts of a statement that reads values back in the order rows were written, or
 * undefined when the primary key cannot be joined on (a key neither given nor from a sequence).
 */
function orderedParts(table: string, shape: SeedInsertShape, facts: TableFacts): { head: (source: string) => string } | undefined {
  const keys = [...facts].filter(([, f]) => f.primaryKey).map(([name]) => name);
  if (keys.length === 0) return undefined;
  const drawn: string[] = [];
  const joins: string[] = [];
  for (const [j, key] of keys.entries()) {
    const given = shape.columns.indexOf(key);
    if (given >= 0) {
      joins.push(`i."j${j + 1}" = s."c${given + 1}"`);
      continue;
    }
    const sequence = facts.get(key)!.sequence;
    if (sequence === null) return undefined;
    drawn.push(key);
    joins.push(`i."j${j + 1}" = s."k${drawn.length}"`);
  }
  const keyValues = drawn.map((key, k) => `nextval(${literal(facts.get(key)!.sequence!)}::regclass) AS "k${k + 1}"`);
  const insertColumns = [...drawn, ...shape.columns].map(quoteIdent).join(", ");
  const selected = [...drawn.map((_, k) => `"k${k + 1}"`), ...shape.columns.map((_, c) => `"c${c + 1}"`)].join(", ");
  const returned = [
    ...shape.returning.map((c, r) => `${quoteIdent(c)} AS "r${r + 1}"`),
    ...keys.map((k, j) => `${quoteIdent(k)} AS "j${j + 1}"`),
  ].join(", ");
  const overriding = drawn.length > 0 ? " OVERRIDING SYSTEM VALUE" : "";
  const result = shape.returning.map((_, r) => `i."r${r + 1}"`).join(", ");
  return {
    head: (source) =>
      `WITH s AS MATERIALIZED (SELECT ${[...keyValues, "u.*"].join(", ")} FROM ${source}), ` +
      `i AS (INSERT INTO ${table} (${insertColumns})${overriding} SELECT ${selected} FROM s RETURNING ${returned}) ` +
      `SELECT ${result} FROM i JOIN s ON ${joins.join(" AND ")} ORDER BY s."o"`,
  };
}

/** `u`'s column list: one name a given column, then the row's number. */
function sourceColumns(width: number): string {
  return `u(${Array.from({ length: width }, (_, c) => `"c${c + 1}"`).join(", ")}, "o")`;
}

class PgRowWriter implements SeedRowWriter {
  statements = 0;
  private readonly arrayTypes = new Map<string, Promise<TableFacts>>();
  private readonly loadedTypes = new Map<string, TableFacts>();

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
    const facts = this.loadedTypes.get(table) ?? (await this.arrayTypesOf(table));
    const arrayTypes = shape.columns.map((c) => facts.get(c)?.arrayType ?? null);
    const plainHead = `INSERT INTO ${table} (${columnList}) VALUES `;
    if (shape.returning.length === 0 || count === 1) {
      // Nothing read back, or one row: nothing whose order could go wrong.
      if (arrayTypes.every((t) => t !== null)) {
        const casts = arrayTypes.map((type, i) => `$${i + 1}::${type}`);
        return this.run(`INSERT INTO ${table} (${columnList}) SELECT * FROM unnest(${casts.join(", ")})${returning}`, values as unknown[]);
      }
      return this.insertValues((tuples) => `${plainHead}${tuples}${returning}`, values, count, MAX_VALUES_ROWS, false);
    }
    const ordered = orderedParts(table, shape, facts);
    if (!ordered) return this.insertValues((tuples) => `${plainHead}${tuples}${returning}`, values, count, 1, false);
    if (arrayTypes.every((t) => t !== null)) {
      const casts = arrayTypes.map((type, i) => `$${i + 1}::${type}`);
      return this.run(ordered.head(`unnest(${casts.join(", ")}) WITH ORDINALITY AS ${sourceColumns(casts.length)}`), values as unknown[]);
    }
    const types = shape.columns.map((c) => facts.get(c)?.type ?? "text");
    return this.insertValues(
      (tuples) => ordered.head(`(VALUES ${tuples}) AS ${sourceColumns(types.length)}`),
      values,
      count,
      MAX_VALUES_ROWS,
      true,
      types,
    );
  }

  /**
   * Rows as multi-row VALUES, `maxRows` a statement under the parameter limit. `numbered`:
   * each row also carries its number and every parameter is cast to its column's type
   * (`types`), for a VALUES list that is a CTE's source rather than the INSERT's own.
   */
  private async insertValues(
    statement: (tuples: string) => string,
    values: readonly (readonly unknown[])[],
    count: number,
    maxRows: number,
    numbered: boolean,
    types?: readonly string[],
  ): Promise<unknown[][]> {
    const width = values.length;
    const perStatement = Math.max(1, Math.min(maxRows, Math.floor(MAX_PARAMETERS / width)));
    const out: unknown[][] = [];
    for (let at = 0; at < count; at += perStatement) {
      const rows = Math.min(perStatement, count - at);
      const tuples: string[] = [];
      const params: unknown[] = [];
      for (let r = at; r < at + rows; r++) {
        const marks: string[] = [];
        for (let c = 0; c < width; c++)
          marks.push(numbered ? `$${params.push(values[c]![r])}::${types![c]!}` : `$${params.push(values[c]![r])}`);
        if (numbered) marks.push(String(r - at + 1));
        tuples.push(`(${marks.join(", ")})`);
      }
      for (const row of await this.run(statement(tuples.join(", ")), params)) out.push(row);
    }
    return out;
  }

  private async run(text: string, values: unknown[]): Promise<unknown[][]> {
    this.statements++;
    // Extended protocol, one statement (as every autogen query on PostgreSQL: ./connection.ts).
    return (await this.client.query({ text, values, rowMode: "array", queryMode: "extended" })).rows;
  }

  prepare(table: readonly string[]): void {
    // The rejection is kept for the first insert, which awaits the same promise.
    this.arrayTypesOf(table.map(quoteIdent).join(".")).catch(() => undefined);
  }

  private arrayTypesOf(table: string): Promise<TableFacts> {
    let types = this.arrayTypes.get(table);
    if (!types) {
      types = this.run(COLUMNS_SQL, [table]).then((rows) => {
        const loaded: TableFacts = new Map(
          rows.map(([name, arrayType, type, primaryKey, sequence]) => [
            String(name),
            {
              arrayType: arrayType === null ? null : String(arrayType),
              type: String(type),
              primaryKey: primaryKey === true,
              sequence: sequence === null ? null : String(sequence),
            },
          ]),
        );
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
