/**
 * Op → SQLite statements. ALTER TABLE covers RENAME TABLE, RENAME COLUMN, and ADD / DROP
 * COLUMN in their simple cases; everything else rebuilds the table (./rebuild.ts) from
 * its definition in `state` with the op applied. Enums live in their columns' inline
 * CHECK on SQLite, so enum ops write nothing (a column's value list changes through an
 * alterColumn, which rebuilds).
 */
import { UserError } from "../../errors.js";
import { SchemaState, tableAfterOp } from "../../ops/apply.js";
import { executesOn, type Op } from "../../ops/ops.js";
import { dispatchByKind, renderByKind, type ByKind, type OpMap } from "../by-kind.js";
import type { ColumnIR, SchemaIR, TableIR } from "../../schema/ir.js";
import { findTable } from "../../schema/ir.js";
import { canonicalDefault, normalizeSchema } from "./normalize.js";
import { quoteIdent } from "./quote.js";
import { rebuildTableSql } from "./ddl/rebuild.js";
import { isIdentifier, isKeyword, isPunct, tokenize, type Token } from "./ddl/sql-tokens.js";
import { columnDefinition, createIndexSql, createTableSql, dropIndexSql } from "./ddl/table-sql.js";
import { createView, dropView } from "./views.js";

function tableInState(state: SchemaIR, name: string, op: Op): TableIR {
  const table = findTable(state, name);
  if (!table) throw new UserError(`Cannot render ${op.kind} on SQLite: table "${name}" does not exist at that point`);
  return table;
}

/** The rebuild that turns `op.table` into its definition with `op` applied. */
function rebuild(op: Op & { table: string }, state: SchemaIR): string[] {
  return rebuildBetween(tableInState(state, op.table, op), tableAfterOp(state, op)!, state);
}

function rebuildBetween(before: TableIR, after: TableIR, state: SchemaIR): string[] {
  // Changes SQLite cannot hold (a comment, an index method) need no rebuild.
  const unchanged =
    JSON.stringify(normalizeSchema({ ...state, tables: [before] })) === JSON.stringify(normalizeSchema({ ...state, tables: [after] }));
  return unchanged ? [] : rebuildTableSql(before, after);
}

function tokensOf(sql: string): Token[] {
  try {
    return tokenize(sql);
  } catch {
    return [];
  }
}

/**
 * A default ADD COLUMN accepts: a literal, a signed number, NULL/TRUE/FALSE. SQLite refuses
 * CURRENT_TIMESTAMP and other non-constant expressions there ("Cannot add a column with
 * non-constant default").
 */
function isConstantDefault(expression: string): boolean {
  const tokens = tokensOf(expression).filter((t) => !isPunct(t, "(") && !isPunct(t, ")"));
  if (tokens.length === 2 && (isPunct(tokens[0], "-") || isPunct(tokens[0], "+"))) return tokens[1]!.kind === "number";
  if (tokens.length !== 1) return false;
  const only = tokens[0]!;
  return only.kind === "string" || only.kind === "number" || only.kind === "blob" || isKeyword(only, "NULL", "TRUE", "FALSE");
}

/** ADD COLUMN's limits: no key, no STORED generated column, NOT NULL only with a constant default. */
function canAddInPlace(column: ColumnIR): boolean {
  if (column.generated !== undefined) return false;
  if (column.computed) return !column.computed.stored && column.nullable;
  if (column.default !== undefined && !isConstantDefault(column.default)) return false;
  return column.nullable || canonicalDefault(column.default) !== undefined;
}

/** True when `expression` mentions `column` as an identifier. */
function mentions(expression: string | undefined, column: string): boolean {
  return expression !== undefined && tokensOf(expression).some((t) => isIdentifier(t, column));
}

/** SQLite's DROP COLUMN refuses keyed, indexed, constrained or referenced columns. */
function canDropInPlace(table: TableIR, column: string, state: SchemaIR): boolean {
  const uses = (columns: readonly string[]) => columns.some((c) => c === column || mentions(c, column));
  if (table.primaryKey && uses(table.primaryKey.columns)) return false;
  if (table.uniques.some((u) => uses(u.columns))) return false;
  if (table.indexes.some((i) => uses(i.columns) || mentions(i.where, column))) return false;
  if (table.foreignKeys.some((fk) => uses(fk.columns))) return false;
  if (table.checks.some((c) => mentions(c.expression, column))) return false;
  if (table.columns.some((c) => c.name !== column && mentions(c.computed?.expression, column))) return false;
  const referenced = state.tables.some((t) =>
    t.foreignKeys.some((fk) => fk.referencedTable === table.name && fk.referencedColumns.includes(column)),
  );
  return !referenced;
}

/** Each kind's statements, against the schema just before the op. */
const RENDERERS: OpMap<string[], [state: SchemaIR]> = {
  createTable: (op) => [createTableSql(op.table), ...op.table.indexes.map((i) => createIndexSql(op.table.name, i, op.table))],
  // Its indexes, uniques and foreign keys go with it.
  dropTable: (op) => [`DROP TABLE ${quoteIdent(op.table.name)}`],
  // SQLite (3.26+) also rewrites other tables' REFERENCES to the new name.
  renameTable: (op) => [`ALTER TABLE ${quoteIdent(op.from)} RENAME TO ${quoteIdent(op.to)}`],
  addColumn: (op, state) =>
    canAddInPlace(op.column)
      ? [`ALTER TABLE ${quoteIdent(op.table)} ADD COLUMN ${columnDefinition(op.column, op.table, false)}`]
      : rebuild(op, state),
  dropColumn: (op, state) =>
    canDropInPlace(tableInState(state, op.table, op), op.column.name, state)
      ? [`ALTER TABLE ${quoteIdent(op.table)} DROP COLUMN ${quoteIdent(op.column.name)}`]
      : rebuild(op, state),
  // Indexes, keys and CHECK expressions follow the column.
  renameColumn: (op) => [`ALTER TABLE ${quoteIdent(op.table)} RENAME COLUMN ${quoteIdent(op.from)} TO ${quoteIdent(op.to)}`],
  createIndex: (op, state) => [createIndexSql(op.table, op.index, findTable(state, op.table))],
  dropIndex: (op) => [dropIndexSql(op.index)],
  // Changes SQLite's ALTER TABLE cannot make: the table is rebuilt.
  alterColumn: rebuild,
  createPrimaryKey: rebuild,
  dropPrimaryKey: rebuild,
  createForeignKey: rebuild,
  dropForeignKey: rebuild,
  createUnique: rebuild,
  dropUnique: rebuild,
  createCheck: rebuild,
  dropCheck: rebuild,
  // SQLite has no enum types: an enum is its columns' CHECK.
  createEnum: () => [],
  dropEnum: () => [],
  alterEnum: () => [],
  createView: (op) => createView(op.view),
  dropView: (op) => dropView(op.view),
  execute: (op) => (executesOn(op, "sqlite") ? [op.sql] : []),
};

export const renderOp: (op: Op, state: SchemaIR) => string[] = renderByKind("SQLite", RENDERERS);

/** The table each kind changes by rebuilding it; undefined (and kinds not listed): the op renders otherwise. */
const REBUILT_TABLE: Partial<ByKind<Op, string | undefined, [state: SchemaIR]>> = {
  alterColumn: (op) => op.table,
  createPrimaryKey: (op) => op.table,
  dropPrimaryKey: (op) => op.table,
  createForeignKey: (op) => op.table,
  dropForeignKey: (op) => op.table,
  createUnique: (op) => op.table,
  dropUnique: (op) => op.table,
  createCheck: (op) => op.table,
  dropCheck: (op) => op.table,
  addColumn: (op) => (canAddInPlace(op.column) ? undefined : op.table),
  dropColumn: (op, state) => {
    const table = findTable(state, op.table);
    return table && canDropInPlace(table, op.column.name, state) ? undefined : op.table;
  },
};

const rebuiltTable = dispatchByKind<Op, string | undefined, [state: SchemaIR]>(REBUILT_TABLE, () => undefined);

/** Ops a rebuild in progress can take along: they change only its table's definition, and a copy by column name still fits. */
function foldsInto(op: Op, table: string): boolean {
  return (
    (op.kind === "addColumn" || op.kind === "dropColumn" || op.kind === "createIndex" || op.kind === "dropIndex") && op.table === table
  );
}

/**
 * A revision's ops (Alembic's batch mode, Atlas's ModifyTable): consecutive changes to
 * one table that need a rebuild are folded into one rebuild from the table before the
 * first to the table after the last, so the rows are copied once. A rename of a column
 * ends the fold (the copy matches columns by name), as does any op on another table.
 */
export function renderOps(ops: readonly Op[], start: SchemaIR): string[] {
  const state = new SchemaState(start);
  const out: string[] = [];
  let open: { table: string; before: TableIR; first: Op } | undefined;
  const close = () => {
    if (!open) return;
    const after = findTable(state.schema, open.table);
    if (after) out.push(...rebuildBetween(open.before, after, state.schema));
    open = undefined;
  };
  for (const op of ops) {
    const table = op.kind === "execute" ? undefined : rebuiltTable(op, state.schema);
    if (table !== undefined && open && open.table !== table) close();
    if (table !== undefined || (open && foldsInto(op, open.table))) {
      if (!open && table !== undefined) {
        open = { table, before: structuredClone(tableInState(state.schema, table, op)), first: op };
      }
      state.apply(op);
      continue;
    }
    close();
    out.push(...renderOp(op, state.schema));
    if (op.kind !== "execute") state.apply(op);
  }
  close();
  return out;
}
