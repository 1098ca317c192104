/**
 * Each database's lexical rules (Dialect.lexis) as the expression guard and the statement
 * splitter read them, without a database: what each database would run as a second
 * statement is refused, what its own quoting produces is accepted, raw SQL splits where
 * the server would.
 */
import { describe, expect, it } from "vitest";
import { DIALECT_NAMES, getDialect } from "../src/dialects/index.js";
import { expressionProblem } from "../src/dialects/expression-guard.js";
import { guardOps } from "../src/dialects/guarded-render.js";
import { splitStatements } from "../src/dialects/sql-lexis.js";
import type { Op } from "../src/ops/ops.js";
import { emptySchema, type DialectName } from "../src/schema/ir.js";

const lexisOf = (name: DialectName) => getDialect(name).lexis;

describe("MySQL's lexis", () => {
  const mysql = lexisOf("mysql");
  it.each([
    // A backslash escapes the quote on MySQL: a standard-SQL reader sees one string here.
    ["'\\'' ; DROP TABLE victim; -- '", /separator/],
    // # starts a comment on MySQL (an operator on PostgreSQL): the rest of the line is gone.
    ["1 #'\n; DROP TABLE victim; -- '", /comment \(#\)/],
    // Under NO_BACKSLASH_ESCAPES the first quote closes at the backslash.
    ["'x\\'); DROP TABLE victim; #'", /parenthesis|separator|comment/],
    ["1 /*! ; DROP TABLE victim */", /comment \(\/\*\)/],
    ["`a` -- \n; DROP TABLE victim", /comment \(--\)/],
    ["'unclosed", /not closed/],
  ])("refuses %j", (text, problem) => {
    expect(expressionProblem(text, mysql)).toMatch(problem);
  });

  it("accepts MySQL expressions: backtick names, 1--1, strings with escapes either way", () => {
    for (const text of ["`a;b` + 1", "1--1", "'a\\\\b'", "'it''s'", "CONCAT(`x`, ')')", "_utf8mb4'x'", "(`a` > 0)"]) {
      expect(expressionProblem(text, mysql), text).toBeUndefined();
    }
  });
});

describe.each(DIALECT_NAMES)("%s: its own quoting always passes its guard", (name) => {
  const dialect = getDialect(name);
  it.each(["plain", "it's", "C:\\", "\\'", "a'); DROP TABLE victim; -- ", "x\\'); DROP TABLE victim; #", "$$; $a$", "/* */ --", "`;`"])(
    "%j",
    (value) => {
      expect(expressionProblem(dialect.quoteLiteral(value), dialect.lexis)).toBeUndefined();
      expect(expressionProblem(dialect.quoteIdent(value), dialect.lexis)).toBeUndefined();
    },
  );
});

describe.each(DIALECT_NAMES)("%s: the guard on the shared render path", (name) => {
  const dialect = getDialect(name);
  const table = {
    name: "t",
    columns: [{ name: "id", type: "integer", nullable: false }],
    indexes: [],
    uniques: [],
    checks: [],
    foreignKeys: [],
  };
  const state = dialect.normalizeSchema({ ...emptySchema(name), tables: [table] });

  it("a view's query may end in one semicolon (PostgreSQL's catalog prints one), not hold two statements", () => {
    expect(() => guardOps([{ kind: "createView", view: { name: "v", expression: " SELECT 1 AS x;\n" } }], dialect.lexis)).not.toThrow();
    expect(() => guardOps([{ kind: "createView", view: { name: "v", expression: "SELECT 1; SELECT 2" } }], dialect.lexis)).toThrow(
      /definition of view v is not a single SQL query/,
    );
  });

  it("a size that is not a number is refused, naming the column", () => {
    const op = {
      kind: "addColumn",
      table: "t",
      column: { name: "c", type: "varchar", length: "1); DROP TABLE victim; --", nullable: true },
    };
    expect(() => dialect.renderOp(op as unknown as Op, state)).toThrow(/length of t\.c is not a number/);
  });

  it("a type is refused when it is more than one type", () => {
    const op: Op = { kind: "addColumn", table: "t", column: { name: "c", type: "int; DROP TABLE victim", nullable: true } };
    expect(() => dialect.renderOp(op, state)).toThrow(/type of t\.c is not a single SQL expression/);
  });

  it("an alterColumn's new default is checked", () => {
    const op: Op = { kind: "alterColumn", table: "t", column: "id", changes: { default: { from: null, to: "0; DROP TABLE victim" } } };
    expect(() => dialect.renderOp(op, state)).toThrow(/default of t\.id is not a single SQL expression/);
  });

  it("raw SQL is rendered one statement per entry", () => {
    const op: Op = { kind: "execute", sql: "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);\n-- done" };
    expect(dialect.renderOp(op, state)).toEqual(["INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)"]);
    expect(dialect.renderOps([op], state)).toEqual(["INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)"]);
  });
});

describe("splitting raw SQL into statements", () => {
  it("keeps ; inside strings, identifiers and comments, and drops trailing comments", () => {
    expect(splitStatements("SELECT 'a;b', \"c;d\"; -- x;\nSELECT 2 /* ; */ -- end", lexisOf("postgres"))).toEqual([
      "SELECT 'a;b', \"c;d\"",
      "SELECT 2",
    ]);
  });

  it("PostgreSQL: dollar-quoted bodies and BEGIN ATOMIC stay whole; BEGIN; is a statement", () => {
    const fn = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END $body$ LANGUAGE plpgsql";
    const atomic = "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END";
    expect(splitStatements(`${fn}; ${atomic}; BEGIN; SELECT 1; COMMIT`, lexisOf("postgres"))).toEqual([
      fn,
      atomic,
      "BEGIN",
      "SELECT 1",
      "COMMIT",
    ]);
  });

  it("SQLite: a trigger body and CASE … END stay whole", () => {
    const trigger = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET n = CASE WHEN n > 0 THEN 1 ELSE 0 END; DELETE FROM u; END";
    expect(splitStatements(`${trigger}; INSERT INTO t VALUES (1)`, lexisOf("sqlite"))).toEqual([trigger, "INSERT INTO t VALUES (1)"]);
  });

  it("MySQL: backslash-escaped quotes, # comments, BEGIN … END with END IF inside", () => {
    const trigger =
      "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN IF NEW.a < 0 THEN SET NEW.a = 0; END IF; SET NEW.b = 'x\\';y'; END";
    expect(splitStatements(`INSERT INTO t VALUES ('a\\';b'); # c;\n${trigger}; SELECT 1`, lexisOf("mysql"))).toEqual([
      "INSERT INTO t VALUES ('a\\';b')",
      trigger,
      "SELECT 1",
    ]);
  });
});
