/** Drops every table of the database (for `fresh`), foreign-key checks off so the order does not matter. */
import type { SchemaIR } from "../../schema/ir.js";
import { quoteIdent } from "./quote.js";

export function dropAll(schema: SchemaIR): string[] {
  if (schema.tables.length === 0) return [];
  return [
    "SET FOREIGN_KEY_CHECKS = 0",
    ...schema.tables.map((t) => `DROP TABLE IF EXISTS ${quoteIdent(t.name)}`),
    "SET FOREIGN_KEY_CHECKS = 1",
  ];
}
