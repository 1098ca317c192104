/**
 * One line per op for the console after autogenerate, as Alembic's "Detected added
 * column 'users.role'": what changed, in words, with the object's full name. The revision
 * file has the exact call; this is the summary a user reads before opening it.
 */
import { formatType } from "../diff/describe.js";
import type { ColumnChanges, Op } from "./ops.js";
import { definitionOf } from "./registry.js";

type Change<T> = { from: T; to: T };

const q = (name: string) => `'${name}'`;
/** `added unique constraint 'UQ_x' on 'users' (email)`; an unnamed one is just "unique constraint". */
const constraint = (verb: string, what: string, item: { name?: string }, table: string, detail = "") =>
  `${verb} ${what}${item.name ? ` ${q(item.name)}` : ""} on ${q(table)}${detail}`;
const show = (v: unknown) => (v === null || v === undefined ? "none" : typeof v === "string" ? v : JSON.stringify(v));

function columnChanges(changes: ColumnChanges): string[] {
  const parts: string[] = [];
  const c = changes as Record<string, Change<unknown> | undefined>;
  if (changes.type) parts.push(`type ${formatType(changes.type.from)} -> ${formatType(changes.type.to)}`);
  if (changes.nullable) parts.push(changes.nullable.to ? "now nullable" : "now NOT NULL");
  for (const key of ["default", "generated", "identity", "comment", "collation"]) {
    const change = c[key];
    if (change) parts.push(`${key} ${show(change.from)} -> ${show(change.to)}`);
  }
  return parts;
}

export function detectedLine(op: Op): string {
  switch (op.kind) {
    case "createTable":
      return `added table ${q(op.table.name)}`;
    case "dropTable":
      return `removed table ${q(op.table.name)}`;
    case "renameTable":
      return `renamed table ${q(op.from)} to ${q(op.to)}`;
    case "addColumn":
      return `added column ${q(`${op.table}.${op.column.name}`)}`;
    case "dropColumn":
      return `removed column ${q(`${op.table}.${op.column.name}`)}`;
    case "renameColumn":
      return `renamed column ${q(`${op.table}.${op.from}`)} to ${q(op.to)}`;
    case "alterColumn":
      return `changed column ${q(`${op.table}.${op.column}`)}: ${columnChanges(op.changes).join(", ")}`;
    case "createPrimaryKey":
      return `added primary key on ${q(op.table)} (${op.primaryKey.columns.join(", ")})`;
    case "dropPrimaryKey":
      return `removed primary key on ${q(op.table)} (${op.primaryKey.columns.join(", ")})`;
    case "createIndex":
      return `added ${op.index.unique ? "unique " : ""}index ${q(op.index.name)} on ${q(op.table)} (${op.index.columns.join(", ")})`;
    case "dropIndex":
      return `removed index ${q(op.index.name)} on ${q(op.table)}`;
    case "createForeignKey":
      return constraint(
        "added",
        "foreign key",
        op.foreignKey,
        op.table,
        ` (${op.foreignKey.columns.join(", ")}) -> ${q(op.foreignKey.referencedTable)}`,
      );
    case "dropForeignKey":
      return constraint("removed", "foreign key", op.foreignKey, op.table, ` (${op.foreignKey.columns.join(", ")})`);
    case "createUnique":
      return constraint("added", "unique constraint", op.unique, op.table, ` (${op.unique.columns.join(", ")})`);
    case "dropUnique":
      return constraint("removed", "unique constraint", op.unique, op.table, ` (${op.unique.columns.join(", ")})`);
    case "createCheck":
      return constraint("added", "check constraint", op.check, op.table);
    case "dropCheck":
      return constraint("removed", "check constraint", op.check, op.table);
    case "createEnum":
      return `added enum type ${q(op.enum.name)} (${op.enum.values.join(", ")})`;
    case "dropEnum":
      return `removed enum type ${q(op.enum.name)}`;
    case "alterEnum":
      return `changed enum type ${q(op.name)}: (${op.values.from.join(", ")}) -> (${op.values.to.join(", ")})`;
    case "createView":
      return `added view ${q(op.view.name)}`;
    case "dropView":
      return `removed view ${q(op.view.name)}`;
    case "execute":
      return `SQL to execute: ${op.sql.split("\n")[0]}`;
    default: {
      // A kind only one database has: named by its op.* method and what it concerns.
      const definition = definitionOf(op);
      if (definition.describe) return definition.describe(op);
      const { table, name } = definition.subject(op);
      return `${definition.method}${name !== undefined ? ` ${q(name)}` : ""}${table !== undefined ? ` on ${q(table)}` : ""}`;
    }
  }
}
