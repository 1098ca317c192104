/**
 * Schema-state helpers several core op kinds share: finding a column or an enum, naming
 * an unnamed constraint, and keeping columns of an enum type in step with the type.
 */
import type { ColumnIR, EnumIR, ForeignKeyIR, SchemaIR, TableIR } from "../../schema/ir.js";
import type { SchemaEditor } from "../kind.js";
import { SchemaStateError } from "../state-error.js";

export const sameName = (a: { name?: string }, b: { name?: string }) => a.name === b.name;

export function columnOf(table: TableIR, name: string): ColumnIR {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new SchemaStateError(`Column "${table.name}.${name}" does not exist`);
  return column;
}

export function enumOf(schema: SchemaIR, name: string): EnumIR {
  const found = schema.enums.find((e) => e.name === name);
  if (!found) throw new SchemaStateError(`Enum "${name}" does not exist`);
  return found;
}

/** `foreign key "FK_x"`, or `unnamed foreign key on (a, b)`: how a constraint is named in an error. */
export function constraintLabel(what: string, item: { name?: string }, detail: string): string {
  return item.name !== undefined ? `${what} "${item.name}"` : `unnamed ${what} on (${detail})`;
}

export const rename = (names: string[], from: string, to: string): string[] => names.map((n) => (n === from ? to : n));

/** Foreign keys (of any table) that point at `table`. */
export function* foreignKeysReferencing(edit: SchemaEditor, table: TableIR): Generator<ForeignKeyIR> {
  for (const t of edit.allTables()) {
    for (const fk of t.foreignKeys) {
      if (fk.referencedTable !== table.name) continue;
      if (fk.referencedSchema !== undefined && fk.referencedSchema !== table.schema) continue;
      yield fk;
    }
  }
}

/**
 * A column of a named enum type allows what the type allows, whatever values the op that
 * created or altered it recorded: the op was generated against the type as it is once the
 * whole revision ran, while the type may still be mid-change where the op runs (an enum
 * loses values only after the columns moved, see diff/enums.ts).
 */
export function followEnumType(schema: SchemaIR, column: ColumnIR): void {
  if (column.enumName === undefined) return;
  const type = schema.enums.find((e) => e.name === column.enumName);
  if (type) column.enumValues = [...type.values];
}

export function setEnumValuesOfColumns(edit: SchemaEditor, enumName: string, values: string[]): void {
  for (const table of edit.allTables()) {
    for (const column of table.columns) {
      if (column.enumName === enumName) column.enumValues = [...values];
    }
  }
}
