/** SQLite quoting: identifiers in double quotes, literals in single quotes, each doubled inside. */
import { assertExpression } from "../expression-guard.js";

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** SQLite's quoting rules for the expression guard. */
const SQLITE_LEXIS = { bracketIdentifiers: true } as const;

/** `text` unchanged when it is one expression; a one-line UserError naming `what` otherwise. */
export function expression(text: string, what: string): string {
  return assertExpression(text, what, SQLITE_LEXIS);
}
