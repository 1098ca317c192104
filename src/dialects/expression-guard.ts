/**
 * The last line of defence against SQL injection through expression text (a default, a
 * CHECK, an index's WHERE, a computed column, a view's query): such text is spliced into
 * DDL, so it must be one expression (or one query) — no statement separator, no comment
 * that swallows the rest of the statement, no parenthesis that closes the surrounding
 * clause, no quote left open. Values are quoted where they enter the IR (the dialect's
 * `quoteLiteral`); this catches what slips past that (a hand-written revision, a model
 * whose text is SQL) before it reaches the database.
 *
 * The text is read with the database's lexical rules (`Dialect.lexis`, ./sql-lexis.ts),
 * under every reading its server settings allow, so no dialect name is tested here. The
 * one shared render path (./guarded-render.ts) applies it to every op.
 */
import { UserError } from "../errors.js";
import { lex, readings, type SqlLexis } from "./sql-lexis.js";

/** An expression (a default, a CHECK) or a whole query (a view's SELECT, which may end in one `;`). */
export type ExpressionKind = "expression" | "query";

function problemUnder(text: string, lexis: SqlLexis, kind: ExpressionKind): string | undefined {
  let depth = 0;
  const body = kind === "query" ? text.replace(/[\s;]*$/, (tail) => tail.replaceAll(";", " ")) : text;
  for (const piece of lex(body, lexis)) {
    if (piece.unclosed) {
      return piece.kind === "comment"
        ? "it contains a comment (/*)"
        : piece.opener === "'" || piece.opener?.startsWith("$")
          ? "a string literal is not closed"
          : "a quoted string or identifier is not closed";
    }
    if (piece.kind === "comment") return `it contains a comment (${piece.opener})`;
    if (piece.kind !== "code") continue;
    for (let i = piece.start; i < piece.end; i++) {
      const c = body[i];
      if (c === ";") return "it contains a statement separator (;)";
      if (c === "(") depth += 1;
      else if (c === ")" && --depth < 0) return "it closes a parenthesis it did not open";
    }
  }
  return depth === 0 ? undefined : "a parenthesis is not closed";
}

/** Why `text` is not one expression under every reading of `lexis`, or undefined when it is. */
export function expressionProblem(text: string, lexis: SqlLexis, kind: ExpressionKind = "expression"): string | undefined {
  for (const reading of readings(lexis)) {
    const problem = problemUnder(text, reading, kind);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Throws a one-line UserError naming `what` (e.g. `default of users.name`) unless `text`
 * is a single SQL expression. A string value meant as a literal must be quoted first
 * (`'Don''t know'`); a default given as a function in the model stays an expression.
 */
export function assertExpression(text: string, what: string, lexis: SqlLexis, kind: ExpressionKind = "expression"): string {
  const problem = expressionProblem(text, lexis, kind);
  if (problem !== undefined) {
    const flat = text.replace(/\s+/g, " ");
    const shown = flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
    const hint = kind === "query" ? "a view is one query" : "a text value must be a quoted literal";
    throw new UserError(`${what} is not a single SQL ${kind} (${problem}): ${shown}; ${hint}`);
  }
  return text;
}
