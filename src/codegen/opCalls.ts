/**
 * One `op.*(…)` call per `Op`: the exact inverse of the OpRecorder (src/ops/recorder.ts),
 * so that recording a rendered call gives back the op it was rendered from.
 *
 * Arguments the recorder fills in by default (an index's `unique: false`, a foreign
 * key's `NO ACTION` actions, empty constraint lists of a table) are left out to keep
 * each line short; everything else is written explicitly, keys in a fixed readable order.
 */
import { UserError } from "../errors.js";
import type { CoreOpOf } from "../ops/core/index.js";
import type { ColumnChanges, CoreOp, Op } from "../ops/ops.js";
import { definitionOf, isDatabaseOp } from "../ops/registry.js";
import type { CheckIR, ColumnIR, ColumnTypeIR, EnumIR, ForeignKeyIR, IndexIR, PrimaryKeyIR, TableIR, UniqueIR } from "../schema/ir.js";
import { databaseTableAttributes } from "../schema/ir.js";
import { arrayLiteral, objectLiteral, orderedEntries, stringLiteral, valueLiteral, type Entry } from "./literals.js";
import { TYPE_KEYS } from "../schema/compare.js";

const COLUMN_KEYS = ["name", ...TYPE_KEYS, "nullable", "default", "generated", "identity", "computed", "collation", "comment"] as const;
const CHANGE_KEYS: readonly (keyof ColumnChanges)[] = ["type", "nullable", "default", "generated", "identity", "comment", "collation"];
const FOREIGN_KEY_KEYS = [
  "name",
  "columns",
  "referencedSchema",
  "referencedTable",
  "referencedColumns",
  "onDelete",
  "onUpdate",
  "deferrable",
] as const;
const INDEX_KEYS = ["name", "columns", "unique", "where", "method"] as const;
const NAMED_COLUMNS_KEYS = ["name", "columns"] as const;
const CHECK_KEYS = ["name", "expression"] as const;
const COMPUTED_KEYS = ["expression", "stored"] as const;

const names = (list: readonly string[]): string => arrayLiteral(list.map(stringLiteral));

/** `undefined` where the op has no name (the recorder maps it back to an absent `name`). */
const optionalName = (name: string | undefined): string => (name === undefined ? "undefined" : stringLiteral(name));

function columnValue(key: string, value: unknown): string {
  if (key === "computed" && value !== null && typeof value === "object") {
    return objectLiteral(orderedEntries(value as Record<string, unknown>, COMPUTED_KEYS));
  }
  return valueLiteral(value);
}

export function columnLiteral(column: ColumnIR | Omit<ColumnIR, "name">): string {
  return objectLiteral(orderedEntries(column as unknown as Record<string, unknown>, COLUMN_KEYS, columnValue));
}

function columnTypeLiteral(type: ColumnTypeIR): string {
  return objectLiteral(orderedEntries(type as unknown as Record<string, unknown>, TYPE_KEYS));
}

function changesLiteral(changes: ColumnChanges): string {
  const record = changes as Record<string, { from: unknown; to: unknown } | undefined>;
  return objectLiteral(
    orderedEntries(record, CHANGE_KEYS, (key, change) => {
      const pair = change as { from: unknown; to: unknown };
      const side = (v: unknown) => (key === "type" && v && typeof v === "object" ? columnTypeLiteral(v as ColumnTypeIR) : valueLiteral(v));
      // Both sides are always written: `{ from, to }` is required by the Change type.
      return objectLiteral([
        ["from", side(pair.from)],
        ["to", side(pair.to)],
      ]);
    }),
  );
}

const foreignKeyLiteral = (fk: ForeignKeyIR) => objectLiteral(orderedEntries(fk as unknown as Record<string, unknown>, FOREIGN_KEY_KEYS));
const indexLiteral = (index: IndexIR) => objectLiteral(orderedEntries(index as unknown as Record<string, unknown>, INDEX_KEYS));
const namedColumnsLiteral = (c: PrimaryKeyIR | UniqueIR) =>
  objectLiteral(orderedEntries(c as unknown as Record<string, unknown>, NAMED_COLUMNS_KEYS));
const checkLiteral = (check: CheckIR) => objectLiteral(orderedEntries(check as unknown as Record<string, unknown>, CHECK_KEYS));

function nonEmptyList<T>(list: readonly T[] | undefined, render: (item: T) => string): string | undefined {
  return list && list.length > 0 ? arrayLiteral(list.map(render)) : undefined;
}

/** The revision API names tables without a schema; a schema-qualified object cannot be written faithfully. */
function assertDefaultSchema(kind: string, name: string, schema: string | undefined): void {
  if (schema !== undefined) {
    throw new UserError(
      `cannot write ${kind} "${schema}.${name}" into a revision: op.* calls have no way to name a schema other than the connection's default`,
    );
  }
}

function tableDefLiteral(table: TableIR): string {
  assertDefaultSchema("table", table.name, table.schema);
  const entries: Entry[] = [
    ["columns", arrayLiteral(table.columns.map(columnLiteral))],
    ["primaryKey", table.primaryKey && namedColumnsLiteral(table.primaryKey)],
    ["foreignKeys", nonEmptyList(table.foreignKeys, foreignKeyLiteral)],
    ["uniques", nonEmptyList(table.uniques, namedColumnsLiteral)],
    ["indexes", nonEmptyList(table.indexes, indexLiteral)],
    ["checks", nonEmptyList(table.checks, checkLiteral)],
    ["comment", table.comment === undefined ? undefined : stringLiteral(table.comment)],
    ...databaseTableAttributes(table).map(([key, value]): Entry => [key, valueLiteral(value)]),
  ];
  return objectLiteral(entries);
}

function indexOptions(index: IndexIR, concurrently?: boolean): string | undefined {
  const entries: Entry[] = [
    ["unique", index.unique ? "true" : undefined],
    ["where", index.where === undefined ? undefined : stringLiteral(index.where)],
    ["method", index.method === undefined ? undefined : stringLiteral(index.method)],
    ["concurrently", concurrently ? "true" : undefined],
  ];
  return entries.some((e) => e[1] !== undefined) ? objectLiteral(entries) : undefined;
}

function foreignKeyOptions(fk: ForeignKeyIR): string | undefined {
  const action = (a: ForeignKeyIR["onDelete"]) => (a === "NO ACTION" ? undefined : stringLiteral(a));
  const entries: Entry[] = [
    ["onDelete", action(fk.onDelete)],
    ["onUpdate", action(fk.onUpdate)],
    ["deferrable", fk.deferrable === undefined ? undefined : stringLiteral(fk.deferrable)],
    ["referencedSchema", fk.referencedSchema === undefined ? undefined : stringLiteral(fk.referencedSchema)],
  ];
  return entries.some((e) => e[1] !== undefined) ? objectLiteral(entries) : undefined;
}

function enumValues(e: EnumIR): string {
  assertDefaultSchema("enum type", e.name, e.schema);
  return names(e.values);
}

function call(method: string, args: (string | undefined)[]): string {
  // Trailing optional arguments that are absent are dropped; inner ones never are.
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  return `op.${method}(${args.map((a) => a ?? "undefined").join(", ")});`;
}

/**
 * The op a revision file's call records when evaluated: drops are written by name only
 * (`renderOpCall`), so their recorded form carries no definition; the runner and
 * `--sql` fill it in from the schema state (src/runtime/hydrate.ts).
 */
export function recordedForm(op: Op): Op {
  if (op.kind === "dropTable") {
    return { kind: "dropTable", table: { name: op.table.name, columns: [], foreignKeys: [], uniques: [], indexes: [], checks: [] } };
  }
  if (op.kind === "dropColumn") return { kind: "dropColumn", table: op.table, column: { name: op.column.name } as typeof op.column };
  return op;
}

type CallOf = { readonly [K in CoreOp["kind"]]: (op: CoreOpOf<K>) => string };

const s = stringLiteral;

const primaryKeyCall = (op: CoreOpOf<"createPrimaryKey" | "dropPrimaryKey">) =>
  call(op.kind, [optionalName(op.primaryKey.name), s(op.table), names(op.primaryKey.columns)]);

const indexCall = (op: CoreOpOf<"createIndex" | "dropIndex">) =>
  call(op.kind, [s(op.index.name), s(op.table), names(op.index.columns), indexOptions(op.index, op.concurrently)]);

function foreignKeyCall(op: CoreOpOf<"createForeignKey" | "dropForeignKey">): string {
  const fk = op.foreignKey;
  return call(op.kind, [
    optionalName(fk.name),
    s(op.table),
    names(fk.columns),
    s(fk.referencedTable),
    names(fk.referencedColumns),
    foreignKeyOptions(fk),
  ]);
}

function viewCall(op: CoreOpOf<"createView" | "dropView">): string {
  assertDefaultSchema("view", op.view.name, op.view.schema);
  const options = op.view.materialized ? objectLiteral([["materialized", "true"]]) : undefined;
  return call(op.kind, [s(op.view.name), s(op.view.expression), options]);
}

/**
 * The call text of each core kind, as the writer spells its arguments (key order, defaults
 * left out); a core kind without one does not compile. A kind only one database has is
 * written from its definition's `callArgs`.
 */
const CORE_CALLS: CallOf = {
  createTable: (op) => call("createTable", [s(op.table.name), tableDefLiteral(op.table)]),
  // Named only (as Alembic's drop_table): the definition is the schema state's at that
  // point, and the op that restores the table (createTable, in the other function) has it.
  dropTable: (op) => call("dropTable", [s(op.table.name)]),
  renameTable: (op) => call("renameTable", [s(op.from), s(op.to)]),
  addColumn: (op) => call("addColumn", [s(op.table), columnLiteral(op.column)]),
  // Named only, like dropTable.
  dropColumn: (op) => call("dropColumn", [s(op.table), s(op.column.name)]),
  renameColumn: (op) => call("renameColumn", [s(op.table), s(op.from), s(op.to)]),
  alterColumn: (op) => call("alterColumn", [s(op.table), s(op.column), changesLiteral(op.changes)]),
  createPrimaryKey: primaryKeyCall,
  dropPrimaryKey: primaryKeyCall,
  createIndex: indexCall,
  dropIndex: indexCall,
  createForeignKey: foreignKeyCall,
  dropForeignKey: foreignKeyCall,
  createUnique: (op) => call("createUniqueConstraint", [optionalName(op.unique.name), s(op.table), names(op.unique.columns)]),
  dropUnique: (op) => call("dropUniqueConstraint", [optionalName(op.unique.name), s(op.table), names(op.unique.columns)]),
  createCheck: (op) => call("createCheckConstraint", [optionalName(op.check.name), s(op.table), s(op.check.expression)]),
  dropCheck: (op) => call("dropCheckConstraint", [optionalName(op.check.name), s(op.table), s(op.check.expression)]),
  createEnum: (op) => call("createEnum", [s(op.enum.name), enumValues(op.enum)]),
  dropEnum: (op) => call("dropEnum", [s(op.enum.name), enumValues(op.enum)]),
  alterEnum: (op) =>
    call("alterEnum", [
      s(op.name),
      objectLiteral([
        ["from", names(op.values.from)],
        ["to", names(op.values.to)],
        ...(op.renames ? ([["renames", objectLiteral(Object.entries(op.renames).map(([a, b]) => [a, s(b)] as Entry))]] as Entry[]) : []),
      ]),
    ]),
  createView: viewCall,
  dropView: viewCall,
  execute(op) {
    const options: Entry[] = [
      ["reverse", op.reverseSql === undefined ? undefined : s(op.reverseSql)],
      ["dialect", op.dialect === undefined ? undefined : s(op.dialect)],
    ];
    return call("execute", [s(op.sql), options.some((e) => e[1] !== undefined) ? objectLiteral(options) : undefined]);
  },
};

/** The statement that records `op`, e.g. `op.addColumn("users", { name: "role", … });`. */
export function renderOpCall(op: Op): string {
  if (isDatabaseOp(op)) {
    const definition = definitionOf(op);
    return call(definition.method, definition.callArgs(op).map(valueLiteral));
  }
  // Own keys only: a forged kind such as "toString" must not reach Object.prototype.
  const render = Object.hasOwn(CORE_CALLS, op.kind) ? (CORE_CALLS[op.kind] as (op: CoreOp) => string) : undefined;
  if (!render) throw new Error(`codegen: no op.* call for op kind "${(op as { kind: string }).kind}"`);
  return render(op);
}
