/**
 * SQLite's "batch mode": ALTER TABLE cannot change a column, a key or a constraint, so the
 * table is rebuilt the way TypeORM's recreateTable (and SQLite's own 12-step procedure,
 * https://sqlite.org/lang_altertable.html#otheralter) does it:
 *
 *   CREATE TABLE "temporary_t" (<new definition>)
 *   INSERT INTO "temporary_t"(<kept columns>) SELECT <kept columns> FROM "t"
 *   DROP TABLE "t"
 *   ALTER TABLE "temporary_t" RENAME TO "t"
 *   CREATE INDEX … (every index of the new definition; DROP TABLE took the old ones)
 *
 * The statements must run with foreign keys OFF, which the dialect's beginTransaction
 * arranges: with them ON, DROP TABLE would delete (or cascade into) child rows. Other
 * tables' foreign keys name "t", which exists again once the rename is done, and the
 * commit checks every foreign key before it lets the transaction through.
 */
import type { ColumnIR, TableIR } from "../../schema/ir.js";
import { quoteIdent } from "./quote.js";
import { createIndexSql, createTableSql } from "./table-sql.js";

export const TEMPORARY_PREFIX = "temporary_";

/**
 * The value copied into a new column from its old self. A column that becomes NOT NULL and
 * has a default takes the default where the old value was NULL, instead of failing the copy.
 */
function copiedValue(before: ColumnIR, after: ColumnIR): string {
  const name = quoteIdent(before.name);
  if (before.nullable && !after.nullable && after.default !== undefined) return `COALESCE(${name}, ${after.default})`;
  return name;
}

export function rebuildTableSql(before: TableIR, after: TableIR): string[] {
  const temporary = `${TEMPORARY_PREFIX}${after.name}`;
  const statements = [createTableSql(after, temporary)];

  // Generated (computed) columns cannot be written; they are recomputed in the new table.
  const kept = after.columns.flatMap((column) => {
    const old = before.columns.find((c) => c.name === column.name);
    return old && !old.computed && !column.computed ? [{ old, column }] : [];
  });
  if (kept.length > 0) {
    const targets = kept.map(({ column }) => quoteIdent(column.name)).join(", ");
    const sources = kept.map(({ old, column }) => copiedValue(old, column)).join(", ");
    statements.push(`INSERT INTO ${quoteIdent(temporary)}(${targets}) SELECT ${sources} FROM ${quoteIdent(before.name)}`);
  }

  statements.push(`DROP TABLE ${quoteIdent(before.name)}`);
  statements.push(`ALTER TABLE ${quoteIdent(temporary)} RENAME TO ${quoteIdent(after.name)}`);
  for (const index of after.indexes) statements.push(createIndexSql(after.name, index, after));
  return statements;
}
