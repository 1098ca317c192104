/**
 * Op kinds only PostgreSQL has: extensions and exclusion constraints. Their payloads join
 * the `Op` union through `DatabaseOps`, their recorder methods join `Operations` through
 * `DatabaseOperations`; everything shared code needs of them is in the definitions below
 * (see ../../ops/kind.ts). Their SQL is in ./render.ts; other databases refuse them.
 */
import type { DatabaseOpKindDefinition } from "../../ops/kind.js";
import { onlineOpKinds } from "./online/op-kinds.js";
import type { ExclusionIR, ExtensionIR } from "./ir.js";

export interface CreateExclusionOp {
  kind: "createExclusion";
  table: string;
  exclusion: ExclusionIR;
}
export interface DropExclusionOp {
  kind: "dropExclusion";
  table: string;
  exclusion: ExclusionIR;
}
export interface CreateExtensionOp {
  kind: "createExtension";
  extension: ExtensionIR;
}
export interface DropExtensionOp {
  kind: "dropExtension";
  extension: ExtensionIR;
}

declare module "../../ops/ops.js" {
  interface DatabaseOps {
    createExclusion: CreateExclusionOp;
    dropExclusion: DropExclusionOp;
    createExtension: CreateExtensionOp;
    dropExtension: DropExtensionOp;
  }
  interface DatabaseOperations {
    /** PostgreSQL exclusion constraint; `expression` is what follows EXCLUDE (`USING gist (…)`). */
    createExclusionConstraint(name: string, table: string, expression: string): void;
    dropExclusionConstraint(name: string, table: string, expression: string): void;
    /** PostgreSQL extension (`CREATE EXTENSION IF NOT EXISTS`), e.g. "hstore", "uuid-ossp". */
    createExtension(name: string): void;
    dropExtension(name: string): void;
  }
}

const DATABASE = "PostgreSQL";
const sameName = (a: { name: string }, b: { name: string }) => a.name === b.name;
const exclusionLabel = (op: { table: string; exclusion: ExclusionIR }) => `Exclusion constraint "${op.exclusion.name}" on "${op.table}"`;

const createExclusion: DatabaseOpKindDefinition<CreateExclusionOp> = {
  kind: "createExclusion",
  database: DATABASE,
  lacking: "exclusion constraints",
  method: "createExclusionConstraint",
  record: (name: string, table: string, expression: string) => ({ kind: "createExclusion", table, exclusion: { name, expression } }),
  callArgs: (op) => [op.exclusion.name, op.table, op.exclusion.expression],
  reverse: (op) => ({ kind: "dropExclusion", table: op.table, exclusion: op.exclusion }),
  apply(op, edit) {
    edit.add((edit.table(op.table).exclusions ??= []), op.exclusion, sameName, exclusionLabel(op));
  },
  subject: (op) => ({ table: op.table, name: op.exclusion.name }),
  describe: (op) => `added exclusion constraint '${op.exclusion.name}' on '${op.table}'`,
  changesTable: true,
};

const dropExclusion: DatabaseOpKindDefinition<DropExclusionOp> = {
  kind: "dropExclusion",
  database: DATABASE,
  lacking: "exclusion constraints",
  method: "dropExclusionConstraint",
  record: (name: string, table: string, expression: string) => ({ kind: "dropExclusion", table, exclusion: { name, expression } }),
  callArgs: (op) => [op.exclusion.name, op.table, op.exclusion.expression],
  reverse: (op) => ({ kind: "createExclusion", table: op.table, exclusion: op.exclusion }),
  apply(op, edit) {
    const table = edit.table(op.table);
    edit.remove(table.exclusions ?? [], op.exclusion, sameName, exclusionLabel(op));
    if (table.exclusions?.length === 0) delete table.exclusions;
  },
  subject: (op) => ({ table: op.table, name: op.exclusion.name }),
  describe: (op) => `removed exclusion constraint '${op.exclusion.name}' on '${op.table}'`,
  changesTable: true,
};

const extensionLabel = (extension: ExtensionIR) => `Extension "${extension.name}"`;

const createExtension: DatabaseOpKindDefinition<CreateExtensionOp> = {
  kind: "createExtension",
  database: DATABASE,
  lacking: "extensions",
  method: "createExtension",
  record: (name: string) => ({ kind: "createExtension", extension: { name } }),
  callArgs: (op) => [op.extension.name],
  reverse: (op) => ({ kind: "dropExtension", extension: op.extension }),
  describe: (op) => `added extension '${op.extension.name}'`,
  apply(op, edit) {
    edit.add((edit.schema.extensions ??= []), op.extension, sameName, extensionLabel(op.extension));
  },
  subject: (op) => ({ name: op.extension.name }),
  changesTable: false,
};

const dropExtension: DatabaseOpKindDefinition<DropExtensionOp> = {
  kind: "dropExtension",
  database: DATABASE,
  lacking: "extensions",
  method: "dropExtension",
  record: (name: string) => ({ kind: "dropExtension", extension: { name } }),
  callArgs: (op) => [op.extension.name],
  reverse: (op) => ({ kind: "createExtension", extension: op.extension }),
  describe: (op) => `removed extension '${op.extension.name}'`,
  apply(op, edit) {
    const list = edit.schema.extensions ?? [];
    edit.remove(list, op.extension, sameName, extensionLabel(op.extension));
    if (list.length === 0) delete edit.schema.extensions;
  },
  subject: (op) => ({ name: op.extension.name }),
  changesTable: false,
};

export const postgresOpKinds = [createExclusion, dropExclusion, createExtension, dropExtension, ...onlineOpKinds] as const;
