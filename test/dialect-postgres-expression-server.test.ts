/**
 * Expression canonicalisation measured against PostgreSQL itself.
 *
 * Each fixture is two spellings of a default or a check: `db` is what a database was
 * created with (PostgreSQL stores it and reports it back through pg_get_expr), `model`
 * is what the entity says now. Autogenerate must find "same" pairs equal (else a
 * spurious alter) and "different" pairs unequal (else a missed change). Three ways of
 * deciding are measured on the same server:
 *   (a) autogen's hand-written canonical form (dialects/postgres/catalog/expression.ts,
 *       reached through the dialect's normalizeSchema, as autogenerate does);
 *   (b) the real parser's canonical form: parse + deparse with pgsql-parser
 *       (libpg-query WASM). Not a dependency: measured only when AUTOGEN_PGSQL_PARSER
 *       names an installed copy's entry file, skipped otherwise;
 *   (c) the server's own canonical form: the model spelling stored in a scratch table
 *       and read back with pg_get_expr, compared with what the database reports.
 * The assertions hold (a) to zero spurious diffs and zero misses, and check it against
 * (c): what the server stores identically, (a) must call equal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbConnection } from "../src/dialects/dialect.js";
import { postgresDialect as pg } from "../src/dialects/postgres/index.js";
import type { SchemaIR } from "../src/schema/ir.js";
import { createPgDatabase, pgAvailable, type TestPgDatabase } from "./helpers/databases.js";

interface Fixture {
  label: string;
  kind: "default" | "check";
  /** Column type, for defaults. */
  type?: string;
  db: string;
  model: string;
  same: boolean;
}

const d = (label: string, type: string, db: string, model: string, same = true): Fixture => ({
  label,
  kind: "default",
  type,
  db,
  model,
  same,
});
const c = (label: string, db: string, model: string, same = true): Fixture => ({ label, kind: "check", db, model, same });

/** Columns every check fixture may use. */
const CHECK_COLUMNS = "a integer, b integer, name varchar(50), price numeric(10,2), o varchar, d timestamptz, tags text[], doc jsonb";

const FIXTURES: Fixture[] = [
  // Datetime defaults: TypeORM's spellings, the SQL keywords, the function.
  d(
    "CURRENT_TIMESTAMP(6) on timestamptz, TypeORM's cast spelling in the database",
    "timestamptz(6)",
    "('now'::text)::timestamp(6) with time zone",
    "CURRENT_TIMESTAMP(6)",
  ),
  d("CURRENT_TIMESTAMP(6) on timestamptz, keyword both sides", "timestamptz(6)", "CURRENT_TIMESTAMP(6)", "CURRENT_TIMESTAMP(6)"),
  d("now() vs CURRENT_TIMESTAMP", "timestamptz", "CURRENT_TIMESTAMP", "now()"),
  d("now() vs TypeORM's now()", "timestamptz", "now()", "now()"),
  d("LOCALTIMESTAMP vs TypeORM's cast", "timestamp", "LOCALTIMESTAMP", "('now'::text)::timestamp without time zone"),
  d("CURRENT_DATE", "date", "CURRENT_DATE", "CURRENT_DATE"),
  d("now() + interval", "timestamptz", "now() + interval '1 day'", "(now() + '1 day'::interval)"),
  // Casts and literals.
  d("'{}'::jsonb vs '{}'", "jsonb", "'{}'::jsonb", "'{}'"),
  d("'[]'::json", "json", "'[]'", "'[]'::json"),
  d("'x' vs 'x'::varchar", "varchar(20)", "'x'::character varying", "'x'"),
  d("'5'::bigint vs 5", "bigint", "'5'::bigint", "5"),
  d("-1 on integer", "integer", "-1", "-1"),
  d("numeric literal", "numeric(10,2)", "0", "0"),
  d("boolean", "boolean", "false", "false"),
  d("interval literal", "interval", "interval '1 day'", "'1 day'"),
  // Arrays.
  d("empty text[]: '{}' vs '{}'::text[]", "text[]", "'{}'::text[]", "'{}'"),
  d("text[] literal", "text[]", "'{a,b}'::text[]", "'{a,b}'"),
  d("ARRAY[] constructor", "integer[]", "ARRAY[1, 2]", "ARRAY[1,2]"),
  // Function calls, nested.
  d("nested function calls", "text", "lower(upper('X'::text))", "lower(upper('X'))"),
  d("md5(random()::text)", "text", "md5((random())::text)", "md5(random()::text)"),
  d("gen_random_uuid()", "uuid", "gen_random_uuid()", "gen_random_uuid()"),
  // Checks.
  c("AND of comparisons", "(a > 0) AND (b > 0)", "a > 0 AND b > 0"),
  c("IN list on varchar", "name IN ('x', 'y')", "\"name\" IN ('x','y')"),
  c("BETWEEN", "price BETWEEN 0 AND 10", "price >= 0 AND price <= 10"),
  c("nested functions in a check", "length(lower(name)) > 2", 'length(lower("name")) > 2'),
  c("array comparison", "tags <> '{}'", "tags <> '{}'::text[]"),
  c("array_length", "array_length(tags, 1) > 0", 'array_length("tags", 1) > 0'),
  c("timestamp arithmetic", "d < now() + interval '1 day'", "d < (now() + '1 day'::interval)"),
  c("coalesce with negative", "coalesce(a, 0) > -1", "COALESCE(a, 0) > -1"),
  c("jsonb operator", "doc ? 'k'", "(doc ? 'k'::text)"),
  // Real changes: these must compare unequal.
  d("6 vs 3 fractional digits", "timestamptz(6)", "CURRENT_TIMESTAMP(6)", "CURRENT_TIMESTAMP(3)", false),
  d("now() vs CURRENT_DATE", "timestamptz", "now()", "CURRENT_DATE", false),
  d("'{}' vs '[]' jsonb", "jsonb", "'{}'::jsonb", "'[]'::jsonb", false),
  d("'x' vs 'y'", "varchar(20)", "'x'", "'y'", false),
  d("function order", "text", "lower(upper('X'))", "upper(lower('X'))", false),
  d("array contents", "integer[]", "ARRAY[1, 2]", "ARRAY[2, 1]", false),
  c("> vs >=", "a > 0", "a >= 0", false),
  c("AND vs OR", "a > 0 AND b > 0", "a > 0 OR b > 0", false),
  c("IN list contents", "name IN ('x', 'y')", "name IN ('x', 'z')", false),
  c("grouping", "(a > 0 OR b > 0) AND a < 5", "a > 0 OR (b > 0 AND a < 5)", false),
];

const PG = await pgAvailable();

interface Row {
  label: string;
  same: boolean;
  stored: string;
  a: boolean;
  b?: boolean;
  c: boolean;
}

type Deparse = (sql: string) => Promise<string>;

/** pgsql-parser from AUTOGEN_PGSQL_PARSER (an entry file path), when given. */
async function loadParser(): Promise<Deparse | undefined> {
  const entry = process.env.AUTOGEN_PGSQL_PARSER;
  if (!entry) return undefined;
  const mod = (await import(entry)) as { parse(sql: string): Promise<unknown>; deparse(ast: unknown): Promise<string> };
  return async (expr) => (await mod.deparse(await mod.parse(`SELECT ${expr}`))).replace(/^SELECT\s+/, "").replace(/\s+/g, " ");
}

describe.skipIf(!PG)("expression canonicalisation against PostgreSQL", () => {
  let db: TestPgDatabase;
  let conn: DbConnection;
  const rows: Row[] = [];

  beforeAll(async () => {
    db = await createPgDatabase("autogen_eco_expr");
    conn = await pg.connect(db.url);
    const defaults = FIXTURES.map((f, i) =>
      f.kind === "default" ? [`l${i} ${f.type} DEFAULT ${f.db}`, `r${i} ${f.type} DEFAULT ${f.model}`] : [],
    );
    const checks = FIXTURES.map((f, i) =>
      f.kind === "check" ? [`CONSTRAINT l${i} CHECK (${f.db})`, `CONSTRAINT r${i} CHECK (${f.model})`] : [],
    );
    await conn.query(`CREATE TABLE fx (${[CHECK_COLUMNS, ...defaults.flat(), ...checks.flat()].join(", ")})`);
    // (c): what the server stores for each spelling.
    const stored = new Map<string, string>();
    for (const r of await conn.query<{ k: string; e: string }>(
      `SELECT a.attname AS k, pg_get_expr(d.adbin, d.adrelid) AS e FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'fx'::regclass
       UNION ALL SELECT conname, pg_get_expr(conbin, conrelid) FROM pg_constraint WHERE conrelid = 'fx'::regclass AND contype = 'c'`,
    ))
      stored.set(r.k, r.e);
    // (a): the database as autogen introspects it, and the model spelling on the same column.
    const current = pg.normalizeSchema(await pg.introspect(conn, { versionTable: "autogen_version", excludeTables: [] }));
    const table = current.tables.find((t) => t.name === "fx")!;
    const target: SchemaIR = pg.normalizeSchema({
      ...current,
      tables: [
        {
          ...table,
          columns: table.columns.map((col) => {
            const m = /^l(\d+)$/.exec(col.name);
            return m ? { ...col, default: FIXTURES[Number(m[1])]!.model } : col;
          }),
          checks: table.checks.map((ck) => {
            const m = /^l(\d+)$/.exec(ck.name ?? "");
            return m ? { ...ck, expression: FIXTURES[Number(m[1])]!.model } : ck;
          }),
        },
      ],
    });
    const targetTable = target.tables[0]!;
    const deparse = await loadParser();
    for (const [i, f] of FIXTURES.entries()) {
      const dbText = stored.get(`l${i}`)!;
      const serverModel = stored.get(`r${i}`)!;
      const canonical = (t: typeof table, name: string) =>
        f.kind === "default" ? t.columns.find((col) => col.name === name)?.default : t.checks.find((ck) => ck.name === name)?.expression;
      const row: Row = {
        label: `${f.kind} ${f.label}`,
        same: f.same,
        stored: dbText,
        a: canonical(table, `l${i}`) === canonical(targetTable, `l${i}`),
        c: dbText === serverModel,
      };
      if (deparse) row.b = (await deparse(dbText)) === (await deparse(f.model));
      rows.push(row);
    }
    // The comparison, for the README's design notes (vitest prints it with the run).
    const score = (k: "a" | "b" | "c") => {
      if (rows.some((r) => r[k] === undefined)) return "not measured (set AUTOGEN_PGSQL_PARSER)";
      const spurious = rows.filter((r) => r.same && !r[k]).length;
      const missed = rows.filter((r) => !r.same && r[k]).length;
      return `${spurious} spurious diffs of ${rows.filter((r) => r.same).length}, ${missed} misses of ${rows.filter((r) => !r.same).length}`;
    };
    console.log(
      [
        "expression canonicalisation:",
        `  (a) hand-written: ${score("a")}`,
        `  (b) parse+deparse: ${score("b")}`,
        `  (c) server pg_get_expr: ${score("c")}`,
        ...rows
          .filter((r) => r.a !== r.same || (r.b !== undefined && r.b !== r.same) || r.c !== r.same)
          .map((r) => `  ${r.same ? "same" : "diff"} ${r.label}: a=${r.a} b=${r.b ?? "-"} c=${r.c}  (stored: ${r.stored})`),
      ].join("\n"),
    );
  }, 120_000);

  afterAll(async () => {
    await conn?.close();
    await db?.drop();
  });

  it.each(FIXTURES.map((f, i) => [f.kind, f.label, i] as const))("%s %s: the hand-written form agrees with the server", (_k, _l, i) => {
    const row = rows[i]!;
    const f = FIXTURES[i]!;
    expect(row.a, `${row.label} (stored: ${row.stored})`).toBe(f.same);
    // The server as oracle, one way: spellings it stores identically are never a
    // difference, and a real change never comes back identical. (It keeps the family of
    // a spelling — CURRENT_TIMESTAMP stays CURRENT_TIMESTAMP, now() stays now() — so it
    // cannot say the converse: see the README's design notes.)
    if (row.c) expect(row.a, `${row.label}: stored identically, so the same`).toBe(true);
    if (!f.same) expect(row.c, `${row.label} on the server`).toBe(false);
  });
});
