/** The table kinds: createTable, dropTable, renameTable. */
import type { OpKindDefinition } from "../kind.js";
import { tableObject } from "./objects.js";
import type { CoreOpOf } from "./index.js";
import { SchemaStateError } from "../state-error.js";
import { followEnumType, foreignKeysReferencing } from "./state.js";
import { q } from "./words.js";

export const createTable: OpKindDefinition<CoreOpOf<"createTable">> = {
  kind: "createTable",
  method: "createTable",
  reverse: (op) => ({ kind: "dropTable", table: op.table }),
  apply(op, edit) {
    if (edit.findTable(op.table.name)) throw new SchemaStateError(`Table "${op.table.name}" already exists`);
    for (const column of op.table.columns) followEnumType(edit.schema, column);
    edit.insertTable(op.table);
  },
  describe: (op) => `added table ${q(op.table.name)}`,
  subject: (op) => ({ table: op.table.name }),
  changesTable: true,
  lint(op, ctx) {
    ctx.created(op.table.name);
    if (ctx.direction === "downgrade" && ctx.undoesUpgrade(op)) {
      ctx.add("data-not-restored", `table ${op.table.name}`, "restore its rows from a backup if they are needed");
    }
  },
  object: tableObject("create"),
};

export const dropTable: OpKindDefinition<CoreOpOf<"dropTable">> = {
  kind: "dropTable",
  method: "dropTable",
  reverse: (op) => ({ kind: "createTable", table: op.table }),
  apply(op, edit) {
    edit.removeTable(edit.table(op.table.name));
  },
  describe: (op) => `removed table ${q(op.table.name)}`,
  subject: (op) => ({ table: op.table.name }),
  changesTable: true,
  object: tableObject("drop"),
};

export const renameTable: OpKindDefinition<CoreOpOf<"renameTable">> = {
  kind: "renameTable",
  method: "renameTable",
  reverse: (op) => ({ kind: "renameTable", from: op.to, to: op.from }),
  apply(op, edit) {
    const table = edit.table(op.from);
    if (edit.findTable(op.to)) throw new SchemaStateError(`Table "${op.to}" already exists`);
    for (const fk of [...foreignKeysReferencing(edit, table)]) fk.referencedTable = op.to;
    edit.removeTable(table);
    table.name = op.to;
    edit.insertTable(table);
  },
  describe: (op) => `renamed table ${q(op.from)} to ${q(op.to)}`,
  subject: (op) => ({ table: op.to, name: op.from }),
  sortKey: (op) => op.from,
  changesTable: true,
  tablesChanged: (op) => [op.from, op.to],
  lint(op, ctx) {
    ctx.created(op.to);
    ctx.add(
      "rename-breaks-code",
      `table ${op.from} -> ${op.to}`,
      "deploy code that works with both names first, or add a view under the old name",
    );
  },
};
