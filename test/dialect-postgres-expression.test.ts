/**
 * Canonical expressions: what PostgreSQL deparses from its catalog and what a user
 * writes in a TypeORM decorator must come out the same (no database needed).
 */
import { describe, expect, it } from "vitest";
import { normalizeExclusion } from "../src/dialects/postgres/normalize.js";
import { normalizeExpression, typeormDefaultSpelling } from "../src/dialects/postgres/catalog/expression.js";

const SAME: [string, string, string][] = [
  // [what PostgreSQL reports, what a user writes, canonical]
  ["'x'::character varying", "'x'", "'x'"],
  ["'{}'::character varying[]", "'{}'", "'{}'"],
  ["'a'::st", "'a'", "'a'"],
  ["CURRENT_TIMESTAMP", "now()", "now()"],
  ["CURRENT_DATE", "('now'::text)::date", "current_date"],
  ["LOCALTIMESTAMP", "('now'::text)::timestamp without time zone", "localtimestamp"],
  ["CURRENT_TIMESTAMP(3)", "('now'::text)::timestamp(3) with time zone", "current_timestamp(3)"],
  ["((m)::text <> ''::text)", "\"m\" <> ''", "m <> ''"],
  ["(n > (0)::numeric)", "n > 0", "n > 0"],
  ["((o)::text = ANY ((ARRAY['x'::character varying, 'y'::character varying])::text[]))", "o IN ('x', 'y')", "o in ('x', 'y')"],
  ["((o)::text <> ALL ((ARRAY['x'::character varying, 'y'::character varying])::text[]))", "o NOT IN ('x','y')", "o not in ('x', 'y')"],
  [
    '(("firstName")::text || \' \'::text) || ("lastName")::text',
    '"firstName" || \' \' || "lastName"',
    '"firstName" || \' \' || "lastName"',
  ],
  ["((a > 0) AND (d IS NOT NULL))", "a > 0 and d is not null", "a > 0 and d is not null"],
  ['("deletedAt" IS NULL)', '"deletedAt" IS NULL', '"deletedAt" is null'],
  ["((price >= (0)::numeric) AND (price < (1000)::numeric))", '"price" >= 0 AND "price" < 1000', "price >= 0 and price < 1000"],
  ["((a + b) > 10)", "a + b > 10", "a + b > 10"],
  ["lower(d::text)", "lower(d)", "lower(d)"],
  ["(((a > 0) AND (b > 0)) OR (c > 0))", "a > 0 and b > 0 or c > 0", "a > 0 and b > 0 or c > 0"],
  ["nextval('foo_seq'::regclass)", "nextval('foo_seq')", "nextval('foo_seq')"],
  ["'-1'::integer", "-1", "-1"],
  ['("order" > 0)', '"order" > 0', '"order" > 0'],
  ["((a >= 1) AND (a <= 5))", "a BETWEEN 1 AND 5", "a >= 1 and a <= 5"],
  ["((a < 1) OR (a > 5))", "a NOT BETWEEN 1 AND 5", "a < 1 or a > 5"],
  ["((b > 0) AND ((a >= '-1'::integer) AND (a <= 5)))", "b > 0 AND a BETWEEN -1 AND 5", "b > 0 and a >= -1 and a <= 5"],
  ["(COALESCE(a, 0) > '-1'::integer)", "coalesce(a, 0) > -1", "coalesce(a, 0) > -1"],
  ["((name)::text ~~* 'x%'::text)", "name ILIKE 'x%'", "name ilike 'x%'"],
  ["((name)::text !~~ 'y%'::text)", "name NOT LIKE 'y%'", "name not like 'y%'"],
  ["(((a)::numeric / (2)::numeric) > (1)::numeric)", "a::numeric / 2 > 1", "a::numeric / 2 > 1"],
  ["(NOT ((a > 1) AND (a < 3)))", "NOT (a > 1 AND a < 3)", "not (a > 1 and a < 3)"],
  ["((a % 2) = 0)", "a % 2 = 0", "a % 2 = 0"],
  ["((name)::text = lower((name)::text))", "name = lower(name)", "name = lower(name)"],
  ["((a > 0) IS TRUE)", "a > 0 IS TRUE", "a > 0 is true"],
  ["(d < (now() + '1 day'::interval))", "d < now() + interval '1 day'", "d < now() + '1 day'"],
  ["(e = ANY (ARRAY['a'::st, 'b'::st]))", "e IN ('a', 'b')", "e in ('a', 'b')"],
  ["(a = ANY (ARRAY[1, 2]))", "a in (1, 2)", "a in (1, 2)"],
  [
    "\nCASE\n    WHEN (a > 0) THEN true\n    ELSE false\nEND",
    "CASE WHEN a > 0 THEN true ELSE false END",
    "case when a > 0 then true else false end",
  ],
];

const KEPT: [string, string][] = [
  // parentheses and casts that carry meaning stay
  ["(a OR b) AND c", "(a or b) and c"],
  ["a - (b - c)", "a - (b - c)"],
  ["(a + b)::integer", "(a + b)::integer"],
  ["lower(name)::text", "lower(name)::text"],
  ["x::integer > 0", "x::integer > 0"],
  ["NOT (a AND b)", "not (a and b)"],
  ["(a * (b + c))", "a * (b + c)"],
  ["-1", "-1"],
  ["a = -1", "a = -1"],
  ["uuid_generate_v4()", "uuid_generate_v4()"],
  ["'it''s'", "'it''s'"],
  ["a + b BETWEEN 1 AND 2", "a + b between 1 and 2"],
  ["NOT a BETWEEN 1 AND 2", "not (a >= 1 and a <= 2)"],
  ["(a > 0) = (b > 0)", "(a > 0) = (b > 0)"],
];

describe("normalizeExpression", () => {
  it.each(SAME)("%s == %s", (fromCatalog, fromUser, canonical) => {
    expect(normalizeExpression(fromCatalog)).toBe(canonical);
    expect(normalizeExpression(fromUser)).toBe(canonical);
  });

  it.each(KEPT)("keeps the meaning of %s", (input, canonical) => {
    expect(normalizeExpression(input)).toBe(canonical);
  });

  it("is idempotent", () => {
    for (const [a, b, c] of SAME)
      for (const x of [a, b, c]) expect(normalizeExpression(normalizeExpression(x))).toBe(normalizeExpression(x));
    for (const [a] of KEPT) expect(normalizeExpression(normalizeExpression(a))).toBe(normalizeExpression(a));
  });

  it("leaves text it cannot tokenize as it was, with whitespace collapsed", () => {
    expect(normalizeExpression("a  -- comment")).toBe("a -- comment");
  });
});

describe("typeormDefaultSpelling", () => {
  // A datetime default is written as TypeORM writes it, so TypeORM's schema builder,
  // comparing stored text, agrees; and it normalises back to the same canonical keyword.
  const CASES: [string, string][] = [
    ["current_timestamp(6)", "('now'::text)::timestamp(6) with time zone"],
    ["now()", "now()"],
    ["current_date", "('now'::text)::date"],
    ["localtimestamp(3)", "('now'::text)::timestamp(3) without time zone"],
    ["localtimestamp", "('now'::text)::timestamp without time zone"],
    ["current_time(6)", "('now'::text)::time(6) with time zone"],
    ["localtime", "('now'::text)::time without time zone"],
    ["'x'", "'x'"],
    ["current_date + 1", "current_date + 1"],
  ];
  it.each(CASES)("%s is written as %s and reads back the same", (canonical, ddl) => {
    expect(typeormDefaultSpelling(canonical)).toBe(ddl);
    expect(normalizeExpression(ddl)).toBe(canonical);
  });
});

describe("normalizeExclusion", () => {
  // [what pg_get_constraintdef reports, what a user writes in @Exclusion, canonical]
  const CASES: [string, string, string][] = [
    [
      "EXCLUDE USING gist (room WITH =, during WITH &&)",
      `USING gist ("room" WITH =, "during" WITH &&)`,
      "USING gist (room WITH =, during WITH &&)",
    ],
    [
      "EXCLUDE USING gist (during WITH &&) WHERE ((cancelled = false))",
      `USING GIST ("during" WITH &&) WHERE ("cancelled" = false)`,
      "USING gist (during WITH &&) WHERE (cancelled = false)",
    ],
    ["EXCLUDE USING btree (code WITH =)", `("code" WITH =)`, "USING btree (code WITH =)"],
    ["EXCLUDE USING gist (lower((name)::text) WITH =)", `USING gist (lower("name") WITH =)`, "USING gist (lower(name) WITH =)"],
  ];
  it.each(CASES)("%s and %s both read as %s", (catalog, decorator, canonical) => {
    expect(normalizeExclusion(catalog)).toBe(canonical);
    expect(normalizeExclusion(decorator)).toBe(canonical);
    expect(normalizeExclusion(canonical)).toBe(canonical);
  });
});
