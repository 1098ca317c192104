/**
 * What one op kind is, in one place: how a revision file records it, how it is written
 * back into one, what undoes it, how it changes the schema state, what reports and lint
 * say of it. A kind only one database has (PostgreSQL's extensions, MySQL's table
 * options) is defined in that database's folder with this shape and listed in
 * ../dialects/op-kinds.ts; shared code reaches it through ./registry.ts, never by name.
 *
 * Adding such a kind: declare its payload in the database's folder by augmenting
 * `DatabaseOps` (and its recorder method by augmenting `DatabaseOperations`) in
 * ./ops.ts, write its `OpKindDefinition`, list it, and give the database's renderer a
 * case for it. Other databases refuse it through the one shared refusal.
 */
import type { SchemaIR, TableIR } from "../schema/ir.js";
import type { LintRule } from "../lint/rules.js";
import type { Op } from "./ops.js";

/**
 * The schema-state edits a kind's `apply` may make; each throws `SchemaStateError` naming
 * what is missing or doubled. Tables are looked up through an index, so an `apply` that
 * touches one table stays O(1); `allTables` is a counted whole-schema scan.
 */
export interface SchemaEditor {
  readonly schema: SchemaIR;
  /** The table, or a `SchemaStateError` naming it. */
  table(name: string): TableIR;
  /** The table, or undefined. */
  findTable(name: string): TableIR | undefined;
  /** Inserts a table at its sorted place. */
  insertTable(table: TableIR): void;
  /** Removes a table the state holds. */
  removeTable(table: TableIR): void;
  /** Every table, for the rare ops that reach across tables (renames, enum changes). */
  allTables(): readonly TableIR[];
  /** Adds `item` to `list` at its sorted place; refuses a second one `same` finds. */
  add<T extends { name?: string }>(list: T[], item: T, same: (a: T, b: T) => boolean, label: string): void;
  /** Removes the one `same` finds; refuses when there is none. */
  remove<T>(list: T[], item: T, same: (a: T, b: T) => boolean, label: string): void;
}

/** A lint rule's hit, as a kind reports it: `add(rule, what, instead)`. */
export interface KindLintContext {
  /** Which of the revision's functions the op is in. */
  readonly direction: "upgrade" | "downgrade";
  /** Whether the table existed before this revision (a change to it then touches rows). */
  tableExisted(table: string): boolean;
  /** Records that the revision makes this table (later ops on it touch no rows). */
  created(table: string): void;
  /** In a downgrade: whether `op` undoes one of the upgrade's ops (recreates what it dropped). */
  undoesUpgrade(op: Op): boolean;
  add(rule: LintRule, what: string, instead: string): void;
}

/**
 * The one object an op only creates or only drops, for the runner: what it checks in the
 * catalog before a create-only revision runs and before it undoes anything, and what a
 * lock budget counts.
 */
export interface ObjectChange<O extends Op = Op> {
  readonly change: "create" | "drop";
  /** `table "users"`, `index "IDX_x" on "users"`. */
  label(op: O): string;
  /** Whether `schema` (read from the database) holds the object. */
  isIn(op: O, schema: SchemaIR): boolean;
}

export interface OpKindDefinition<O extends Op = Op> {
  readonly kind: O["kind"];
  /** The `Operations` method a revision file calls to record it. */
  readonly method: string;
  /** The op that undoes it. */
  reverse(op: O): Op;
  /** Changes the schema state as the op changes the database. */
  apply(op: O, edit: SchemaEditor): void;
  /** What it does, in words, for the console's "Detected …" list (`added extension 'hstore'`). */
  describe?(op: O): string;
  /** The table, column and name reports and plans speak of. */
  subject(op: O): { table?: string; column?: string; name?: string };
  /** What a plan sorts it by within its phase, when not its subject's table (or name). */
  sortKey?(op: O): string;
  /** Whether it changes the shape of its table (a view reading the table is rebuilt around it). */
  readonly changesTable: boolean;
  /** The tables it changes when they are more than its subject's table (a rename changes two). */
  tablesChanged?(op: O): string[];
  /** The lint rules (of ../lint/rules.ts) this kind raises. */
  lint?(op: O, ctx: KindLintContext): void;
  /** Set for a kind that only creates or only drops one object. */
  readonly object?: ObjectChange<O>;
}

/** A kind only one database has; other databases refuse it, naming that database. */
export interface DatabaseOpKindDefinition<O extends Op = Op> extends OpKindDefinition<O> {
  /** The one database that has it ("PostgreSQL"), named when another database refuses it. */
  readonly database: string;
  /** What other databases lack, for their refusal: a plural noun ("table options"). */
  readonly lacking: string;
  /** The op the method's arguments record. */
  record(...args: never[]): O;
  /** The method's arguments for `op` (the revision file's call), plain values. */
  callArgs(op: O): unknown[];
}
