/**
 * Quoting for PostgreSQL: identifiers always in double quotes (so mixed-case TypeORM
 * names such as "firstName" survive), literals in single quotes, and the schema
 * qualification rule shared by the renderer and the version table.
 * `expression` refuses text that is not one expression (see ../expression-guard.ts).
 */

import { assertExpression } from "../expression-guard.js";
import { lexis } from "./lexis.js";

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(value: string): string {
  // With standard_conforming_strings (the default since 9.1) a backslash is literal;
  // only the quote needs doubling.
  return `'${value.replaceAll("'", "''")}'`;
}

/** `"schema"."name"`, or `"name"` when the object lives in the connection's default schema. */
export function qualified(name: string, schema?: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/** `text` unchanged when it is one expression; a one-line UserError naming `what` otherwise. */
export function expression(text: string, what: string): string {
  return assertExpression(text, what, lexis);
}
