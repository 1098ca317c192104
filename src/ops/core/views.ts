/** The view kinds: createView, dropView (a materialized one on PostgreSQL). */
import type { OpKindDefinition } from "../kind.js";
import type { CoreOpOf } from "./index.js";
import { sameName } from "./state.js";
import { q } from "./words.js";

const viewLabel = (name: string) => `View "${name}"`;

export const createView: OpKindDefinition<CoreOpOf<"createView">> = {
  kind: "createView",
  method: "createView",
  reverse: (op) => ({ kind: "dropView", view: op.view }),
  apply(op, edit) {
    edit.add((edit.schema.views ??= []), op.view, sameName, viewLabel(op.view.name));
  },
  describe: (op) => `added view ${q(op.view.name)}`,
  subject: (op) => ({ name: op.view.name }),
  changesTable: false,
};

export const dropView: OpKindDefinition<CoreOpOf<"dropView">> = {
  kind: "dropView",
  method: "dropView",
  reverse: (op) => ({ kind: "createView", view: op.view }),
  apply(op, edit) {
    const list = edit.schema.views ?? [];
    edit.remove(list, op.view, sameName, viewLabel(op.view.name));
    // The IR omits an empty list of views.
    if (list.length === 0) delete edit.schema.views;
  },
  describe: (op) => `removed view ${q(op.view.name)}`,
  subject: (op) => ({ name: op.view.name }),
  changesTable: false,
};
