/** The index kinds: createIndex, dropIndex (PostgreSQL may build or drop one `concurrently`). */
import { isExpressionTerm } from "../../schema/ir.js";
import type { OpKindDefinition } from "../kind.js";
import { indexObject } from "./objects.js";
import type { CoreOpOf } from "./index.js";
import { columnOf, sameName } from "./state.js";
import { q } from "./words.js";

const indexLabel = (op: CoreOpOf<"createIndex" | "dropIndex">) => `Index "${op.index.name}" on "${op.table}"`;
const concurrently = (op: { concurrently?: boolean }) => (op.concurrently ? { concurrently: true } : {});

export const createIndex: OpKindDefinition<CoreOpOf<"createIndex">> = {
  kind: "createIndex",
  method: "createIndex",
  reverse: (op) => ({ kind: "dropIndex", table: op.table, index: op.index, ...concurrently(op) }),
  apply(op, edit) {
    const table = edit.table(op.table);
    // An expression term (`lower(email)`) names no column; the database checks it.
    for (const c of op.index.columns) if (!isExpressionTerm(c)) columnOf(table, c);
    edit.add(table.indexes, op.index, sameName, indexLabel(op));
  },
  describe: (op) => `added ${op.index.unique ? "unique " : ""}index ${q(op.index.name)} on ${q(op.table)} (${op.index.columns.join(", ")})`,
  subject: (op) => ({ table: op.table, name: op.index.name }),
  // An index does not change what a view reading the table sees.
  changesTable: false,
  object: indexObject("create"),
};

export const dropIndex: OpKindDefinition<CoreOpOf<"dropIndex">> = {
  kind: "dropIndex",
  method: "dropIndex",
  reverse: (op) => ({ kind: "createIndex", table: op.table, index: op.index, ...concurrently(op) }),
  apply(op, edit) {
    edit.remove(edit.table(op.table).indexes, op.index, sameName, indexLabel(op));
  },
  describe: (op) => `removed index ${q(op.index.name)} on ${q(op.table)}`,
  subject: (op) => ({ table: op.table, name: op.index.name }),
  changesTable: false,
  object: indexObject("drop"),
};
