/** The enum type kinds: createEnum, dropEnum, alterEnum. */
import type { OpKindDefinition } from "../kind.js";
import { enumObject } from "./objects.js";
import type { CoreOpOf } from "./index.js";
import { enumOf, sameName, setEnumValuesOfColumns } from "./state.js";
import { q } from "./words.js";

const enumLabel = (name: string) => `Enum "${name}"`;

export const createEnum: OpKindDefinition<CoreOpOf<"createEnum">> = {
  kind: "createEnum",
  method: "createEnum",
  reverse: (op) => ({ kind: "dropEnum", enum: op.enum }),
  apply(op, edit) {
    edit.add(edit.schema.enums, op.enum, sameName, enumLabel(op.enum.name));
    setEnumValuesOfColumns(edit, op.enum.name, op.enum.values);
  },
  describe: (op) => `added enum type ${q(op.enum.name)} (${op.enum.values.join(", ")})`,
  subject: (op) => ({ name: op.enum.name }),
  changesTable: false,
  object: enumObject("create"),
};

export const dropEnum: OpKindDefinition<CoreOpOf<"dropEnum">> = {
  kind: "dropEnum",
  method: "dropEnum",
  reverse: (op) => ({ kind: "createEnum", enum: op.enum }),
  apply(op, edit) {
    edit.remove(edit.schema.enums, op.enum, sameName, enumLabel(op.enum.name));
  },
  describe: (op) => `removed enum type ${q(op.enum.name)}`,
  subject: (op) => ({ name: op.enum.name }),
  changesTable: false,
  object: enumObject("drop"),
};

export const alterEnum: OpKindDefinition<CoreOpOf<"alterEnum">> = {
  kind: "alterEnum",
  method: "alterEnum",
  reverse: (op) => ({
    kind: "alterEnum",
    name: op.name,
    values: { from: op.values.to, to: op.values.from },
    ...(op.renames ? { renames: Object.fromEntries(Object.entries(op.renames).map(([a, b]) => [b, a])) } : {}),
  }),
  apply(op, edit) {
    enumOf(edit.schema, op.name).values = [...op.values.to];
    setEnumValuesOfColumns(edit, op.name, op.values.to);
  },
  describe: (op) => `changed enum type ${q(op.name)}: (${op.values.from.join(", ")}) -> (${op.values.to.join(", ")})`,
  subject: (op) => ({ name: op.name }),
  changesTable: false,
};
