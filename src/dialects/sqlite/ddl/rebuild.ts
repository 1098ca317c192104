/**
 * SQLite's "batch mode": ALTER TABLE cannot change a column, a key or a constraint, so the
 * table is rebuilt the way TypeORM's recreateTable (and SQLite's own 12-step procedure,
 * https://sqlite.org/lang_altertable.html#otheralter) does it:
 *
 *   CREATE TABLE "temporary_t" (<new definition>)
 *   INSERT INTO "temporary_t"(<kept columns>) SELECT <kept columns> FROM "t"
 *   (AUTOINCREMENT only) carry "t"'s sqlite_sequence counter over to "temporary_t"
 *   DROP TABLE "t"
 *   PRAGMA legacy_alter_table = ON
 *   ALTER TABLE "temporary_t" RENAME TO "t"
 *   PRAGMA legacy_alter_table = OFF
 *   CREATE INDEX … (every index of the new definition; DROP TABLE took the old ones)
 *   CREATE TRIGGER … (the table's triggers, which DROP TABLE took too)
 *
 * The counter: copying the rows only raises the new table's counter to the highest id
 * still there, so ids of deleted rows at the end would be handed out again, which
 * AUTOINCREMENT exists to prevent. DROP TABLE deletes "t"'s sqlite_sequence row and the
 * rename moves the temporary table's row to "t", so the old value is copied before the drop.
 *
 * The rename: since SQLite 3.26 a rename re-checks every view and trigger of the schema,
 * and one that selects from "t" fails it, "t" being gone at that moment. The legacy mode
 * renames without looking at them; once "t" exists again they read from the new table.
 * The pragma takes effect inside a transaction (unlike foreign_keys) and is per connection,
 * so it is switched back off right away. State holds no views, so this is how the
 * statements stay right without a database to ask (offline SQL).
 *
 * The statements must run with foreign keys OFF, which the dialect's beginTransaction
 * arranges: with them ON, DROP TABLE would delete (or cascade into) child rows. Other
 * tables' foreign keys name "t", which exists again once the rename is done, and the
 * commit checks every foreign key before it lets the transaction through.
 */
import type { ColumnIR, TableIR } from "../../../schema/ir.js";
import { quoteIdent, quoteLiteral } from "../quote.js";
import { createIndexSql, createTableSql } from "./table-sql.js";

export const TEMPORARY_PREFIX = "temporary_";

/**
 * The value copied into a new column from its old self: the value itself. A column that
 * becomes NOT NULL while rows hold NULL fails the copy and the revision rolls back, as
 * `SET NOT NULL` does on PostgreSQL, even when the column has a default: filling the NULLs
 * is a data change the revision must make visibly (an `op.execute("UPDATE …")` first).
 */
function copiedValue(before: ColumnIR): string {
  return quoteIdent(before.name);
}

/**
 * Raises the temporary table's AUTOINCREMENT counter to the old table's. sqlite_sequence
 * has no key, so the temporary table's row (present when rows were copied) is updated and
 * only added where missing; a counter already higher is left alone.
 */
function carrySequenceSql(table: string, temporary: string): string[] {
  const oldSeq = `(SELECT max("seq") FROM "sqlite_sequence" WHERE "name" = ${quoteLiteral(table)})`;
  const temporaryName = quoteLiteral(temporary);
  return [
    `UPDATE "sqlite_sequence" SET "seq" = ${oldSeq} WHERE "name" = ${temporaryName} AND "seq" < ${oldSeq}`,
    `INSERT INTO "sqlite_sequence" ("name", "seq") SELECT ${temporaryName}, "seq" FROM "sqlite_sequence" ` +
      `WHERE "name" = ${quoteLiteral(table)} AND NOT EXISTS (SELECT 1 FROM "sqlite_sequence" WHERE "name" = ${temporaryName})`,
  ];
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
    const sources = kept.map(({ old }) => copiedValue(old)).join(", ");
    statements.push(`INSERT INTO ${quoteIdent(temporary)}(${targets}) SELECT ${sources} FROM ${quoteIdent(before.name)}`);
  }

  if (after.columns.some((c) => c.generated === "increment")) statements.push(...carrySequenceSql(before.name, temporary));
  statements.push(`DROP TABLE ${quoteIdent(before.name)}`);
  statements.push(
    "PRAGMA legacy_alter_table = ON",
    `ALTER TABLE ${quoteIdent(temporary)} RENAME TO ${quoteIdent(after.name)}`,
    "PRAGMA legacy_alter_table = OFF",
  );
  for (const index of after.indexes) statements.push(createIndexSql(after.name, index, after));
  // DROP TABLE took the table's triggers along; they are created again as they were
  // (the database's own text). Offline, only triggers the state knows of can be.
  for (const trigger of before.triggers ?? []) statements.push(trigger.sql);
  return statements;
}
