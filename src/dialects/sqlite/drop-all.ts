/**
 * Drops every table of a schema (for `fresh`). The statements run inside the dialect's
 * beginTransaction, which turns foreign keys off before BEGIN; a `PRAGMA foreign_keys`
 * here would be a no-op, since inside a transaction it cannot change. Children still go
 * before the tables they reference, so the drops also succeed where foreign keys are
 * enforced; tables in a reference cycle follow in name order, which relies on the
 * transaction's foreign keys being off when they hold rows.
 */
import type { SchemaIR } from "../../schema/ir.js";
import { quoteIdent } from "./quote.js";

/** Table names ordered so that each comes before every table it references. */
export function childrenFirst(schema: SchemaIR): string[] {
  const remaining = new Map(schema.tables.map((t) => [t.name, t]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const referencedByRemaining = new Set<string>();
    for (const table of remaining.values()) {
      for (const fk of table.foreignKeys) if (fk.referencedTable !== table.name) referencedByRemaining.add(fk.referencedTable);
    }
    const free = [...remaining.keys()].filter((name) => !referencedByRemaining.has(name)).sort();
    // A cycle: nothing is free, so take the tables in name order.
    const next = free.length > 0 ? free : [...remaining.keys()].sort();
    for (const name of next) {
      order.push(name);
      remaining.delete(name);
    }
  }
  return order;
}

export function dropAll(schema: SchemaIR): string[] {
  return childrenFirst(schema).map((name) => `DROP TABLE IF EXISTS ${quoteIdent(name)}`);
}
