/** Drops every table (CASCADE takes foreign keys from outside the set along) and enum type, for `fresh`. */
import type { SchemaIR } from "../../schema/ir.js";
import { qualified } from "./quote.js";

export function dropAll(schema: SchemaIR): string[] {
  return [
    ...schema.tables.map((t) => `DROP TABLE IF EXISTS ${qualified(t.name, t.schema)} CASCADE`),
    ...schema.enums.map((e) => `DROP TYPE IF EXISTS ${qualified(e.name, e.schema)} CASCADE`),
  ];
}
