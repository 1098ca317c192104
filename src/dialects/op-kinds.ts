/**
 * The op kinds each database adds to the core vocabulary, one line a database. Kept apart
 * from ./index.ts (the dialects themselves) so the op layer can list them without loading
 * any database's driver or renderer.
 */
import type { DatabaseOpKindDefinition } from "../ops/kind.js";
import { mysqlOpKinds } from "./mysql/op-kinds.js";
import { postgresOpKinds } from "./postgres/op-kinds.js";

export const DATABASE_OP_KINDS: readonly DatabaseOpKindDefinition<never>[] = [...postgresOpKinds, ...mysqlOpKinds] as never;

// Each database's op payload types, for revision authors' `import type { … } from "autogen"`.
export type * from "./mysql/op-kinds.js";
export type * from "./postgres/op-kinds.js";
export type * from "./postgres/ir.js";
