/**
 * The kinds every database has, one definition each (see ../kind.ts), listed by kind: a
 * kind of `CoreOp` without a definition here does not compile.
 */
import type { OpKindDefinition } from "../kind.js";
import type { CoreOp } from "../ops.js";
import { addColumn, alterColumn, dropColumn, renameColumn } from "./columns.js";
import {
  createCheck,
  createForeignKey,
  createPrimaryKey,
  createUnique,
  dropCheck,
  dropForeignKey,
  dropPrimaryKey,
  dropUnique,
} from "./constraints.js";
import { alterEnum, createEnum, dropEnum } from "./enums.js";
import { execute } from "./execute.js";
import { createIndex, dropIndex } from "./indexes.js";
import { createTable, dropTable, renameTable } from "./tables.js";
import { createView, dropView } from "./views.js";

/** The core op of kind `K`. */
export type CoreOpOf<K extends CoreOp["kind"]> = Extract<CoreOp, { kind: K }>;

export const CORE_OP_KINDS: { readonly [K in CoreOp["kind"]]: OpKindDefinition<CoreOpOf<K>> } = {
  createTable,
  dropTable,
  renameTable,
  addColumn,
  dropColumn,
  renameColumn,
  alterColumn,
  createPrimaryKey,
  dropPrimaryKey,
  createIndex,
  dropIndex,
  createForeignKey,
  dropForeignKey,
  createUnique,
  dropUnique,
  createCheck,
  dropCheck,
  createEnum,
  dropEnum,
  alterEnum,
  createView,
  dropView,
  execute,
};
