/** SQLite quoting: identifiers in double quotes, literals in single quotes, each doubled inside. */
import { assertExpression } from "../expression-guard.js";
import { lexis } from "./lexis.js";

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `text` unchanged when it is one expression; a one-line UserError naming `what` otherwise. */
export function expression(text: string, what: string): string {
  return assertExpression(text, what, lexis);
}
