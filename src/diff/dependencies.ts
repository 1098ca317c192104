/**
 * Foreign-key dependency order among tables created (or dropped) in one diff.
 *
 * Tables are placed referenced-first; ties are broken by name so the output is
 * deterministic. A cycle is broken at its smallest-named table; the foreign keys that
 * then point "forward" (at a table placed later) cannot be inline in CREATE TABLE and
 * are created separately after all tables (and, mirrored, dropped before any table).
 */
import type { ForeignKeyIR, TableIR } from "../schema/ir.js";

const byName = (a: TableIR, b: TableIR): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function creationOrder(tables: readonly TableIR[]): TableIR[] {
  const names = new Set(tables.map((t) => t.name));
  const remaining = [...tables].sort(byName);
  const placed = new Set<string>();
  const order: TableIR[] = [];
  const ready = (t: TableIR) =>
    t.foreignKeys.every((fk) => fk.referencedTable === t.name || !names.has(fk.referencedTable) || placed.has(fk.referencedTable));
  while (remaining.length) {
    const at = Math.max(0, remaining.findIndex(ready));
    const [next] = remaining.splice(at, 1);
    order.push(next!);
    placed.add(next!.name);
  }
  return order;
}

/** Split each table's foreign keys into those that can be inline and those pointing forward in `order`. */
export function forwardForeignKeys(order: readonly TableIR[]): Map<string, { inline: ForeignKeyIR[]; forward: ForeignKeyIR[] }> {
  const position = new Map(order.map((t, i) => [t.name, i]));
  const split = new Map<string, { inline: ForeignKeyIR[]; forward: ForeignKeyIR[] }>();
  order.forEach((table, i) => {
    const inline: ForeignKeyIR[] = [];
    const forward: ForeignKeyIR[] = [];
    for (const fk of table.foreignKeys) {
      const at = position.get(fk.referencedTable);
      (at !== undefined && at > i ? forward : inline).push(fk);
    }
    split.set(table.name, { inline, forward });
  });
  return split;
}
