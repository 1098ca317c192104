/**
 * The one render path every registered database goes through (index.ts wraps each
 * dialect with `guarded`): before a dialect's `renderOp` / `renderOps` sees an op, every
 * piece of expression text in it — a column's default, type and computed expression, a
 * CHECK, an index's WHERE and expression terms, a view's query, any other named object
 * with an `expression` (a constraint kind only one database has) — is read
 * with the database's lexical rules (`Dialect.lexis`) and refused unless it is one
 * expression; and raw SQL (`op.execute`) is cut into its statements, one per call. A
 * database cannot skip either: it only declares how its SQL lexes.
 *
 * Fields are found by their IR names, not by op kind, so an op kind defined in a
 * database's own folder is covered as long as it carries IR objects.
 */
import { UserError } from "../errors.js";
import type { ExecuteOp, Op } from "../ops/ops.js";
import { isExpressionTerm, type SchemaIR } from "../schema/ir.js";
import type { Dialect } from "./dialect.js";
import { assertExpression, type ExpressionKind } from "./expression-guard.js";
import { splitStatements, type SqlLexis } from "./sql-lexis.js";

type Check = (text: unknown, what: string, kind?: ExpressionKind) => void;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const each = (v: unknown): Obj[] => (Array.isArray(v) ? v : [v]).filter(isObj);
const named = (v: unknown): string => (typeof v === "string" && v !== "" ? ` ${v}` : "");

function checkNumber(value: unknown, what: string): void {
  if (value !== undefined && value !== null && !(typeof value === "number" && Number.isFinite(value))) {
    throw new UserError(`${what} is not a number: ${String(value).slice(0, 80)}`);
  }
}

function checkType(type: Obj, where: string, check: Check): void {
  check(type["type"], `type of ${where}`);
  for (const field of ["length", "precision", "scale"]) checkNumber(type[field], `${field} of ${where}`);
}

function checkColumn(column: Obj, table: string, check: Check): void {
  const where = `${table}.${String(column["name"])}`;
  checkType(column, where, check);
  check(column["default"], `default of ${where}`);
  if (isObj(column["computed"])) check(column["computed"]["expression"], `generated column ${where}`);
}

function checkIndex(index: Obj, table: string, check: Check): void {
  const what = `index${named(index["name"])} on ${table}`;
  check(index["where"], `WHERE of ${what}`);
  const terms = Array.isArray(index["columns"]) ? index["columns"] : [];
  for (const term of terms) if (typeof term === "string" && isExpressionTerm(term)) check(term, `term of ${what}`);
}

/** `checks` -> `check`: a list's key names one of its items. */
function singular(key: string): string {
  return key.endsWith("s") ? key.slice(0, -1) : key;
}

/** Visits the expression text in one op's payload. */
function visitOp(op: Op, check: Check): void {
  const payload = op as unknown as Obj;
  const table = isObj(payload["table"]) ? payload["table"] : undefined;
  const tableName = String(table ? table["name"] : (payload["table"] ?? ""));
  for (const scope of table ? [payload, table] : [payload]) {
    for (const [key, value] of Object.entries(scope)) {
      if (key === "column" || key === "columns") for (const c of each(value)) checkColumn(c, tableName, check);
      else if (key === "check" || key === "checks")
        for (const c of each(value)) check(c["expression"], `check${named(c["name"])} on ${tableName}`);
      else if (key === "index" || key === "indexes") for (const i of each(value)) checkIndex(i, tableName, check);
      else if (key === "view") for (const v of each(value)) check(v["expression"], `definition of view ${String(v["name"])}`, "query");
      else if (key === "changes" && isObj(value)) {
        const where = `${tableName}.${String(payload["column"])}`;
        for (const side of ["from", "to"]) {
          if (isObj(value["default"])) check(value["default"][side], `default of ${where}`);
          if (isObj(value["type"]) && isObj(value["type"][side])) checkType(value["type"][side] as Obj, where, check);
        }
      }
      // A constraint kind only one database has (its own ir.ts / op-kinds.ts) is guarded
      // all the same: any named object carrying an expression, under its key's name.
      else
        for (const o of each(value)) if ("expression" in o) check(o["expression"], `${singular(key)}${named(o["name"])} on ${tableName}`);
    }
  }
}

/**
 * Throws a one-line UserError naming the object whose expression text is not one
 * expression under `lexis` (or whose size is not a number). Raw SQL is not checked: it is
 * the revision author's own.
 */
export function guardOps(ops: readonly Op[], lexis: SqlLexis): void {
  const check: Check = (text, what, kind = "expression") => {
    if (text === undefined || text === null) return;
    if (typeof text !== "string") throw new UserError(`${what} is not text: ${JSON.stringify(text)?.slice(0, 80)}`);
    assertExpression(text, what, lexis, kind);
  };
  for (const op of ops) if (op.kind !== "execute") visitOp(op, check);
}

/** An `op.execute` as one op per statement it holds (the same dialect filter and no reverse: it is rendered, never reversed). */
function splitExecute(op: Op, lexis: SqlLexis): Op[] {
  if (op.kind !== "execute" || typeof op.sql !== "string") return [op];
  const statements = splitStatements(op.sql, lexis);
  if (statements.length <= 1) return [op];
  return statements.map((sql): ExecuteOp => ({ kind: "execute", sql, ...(op.dialect ? { dialect: op.dialect } : {}) }));
}

/** `dialect` with every render going through the guard and raw SQL split into statements. */
export function guarded(dialect: Dialect): Dialect {
  const { lexis } = dialect;
  return {
    ...dialect,
    renderOp(op: Op, state: SchemaIR, later?: readonly Op[]): string[] {
      guardOps([op], lexis);
      return splitExecute(op, lexis).flatMap((one) => dialect.renderOp(one, state, later));
    },
    renderOps(ops: readonly Op[], state: SchemaIR, following?: readonly Op[]): string[] {
      guardOps(ops, lexis);
      return dialect.renderOps(
        ops.flatMap((op) => splitExecute(op, lexis)),
        state,
        following,
      );
    },
    ...(dialect.forServer ? { forServer: (conn) => guarded(dialect.forServer!(conn)) } : {}),
    ...(dialect.forReplayedSchema ? { forReplayedSchema: (schema) => guarded(dialect.forReplayedSchema!(schema)) } : {}),
  };
}
