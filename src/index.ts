/**
 * autogen's public entry point: the programmatic API, the `Operations` type revision
 * files are written against, and the IR for those who build on it.
 */
export * from "./api/index.js";
export type {
  Change,
  ColumnChanges,
  ColumnDef,
  ExecuteOptions,
  ForeignKeyOptions,
  IndexOptions,
  Op,
  Operations,
  TableDef,
} from "./ops/ops.js";
// The op kinds one database has, and the `Operations` methods they add.
export type * from "./dialects/op-kinds.js";
export type * from "./schema/ir.js";
export type { Finding, FindingKind, RenameHints } from "./diff/types.js";
export { UserError, UsageError } from "./errors.js";
export { defineConfig, loadConfig, type ResolvedConfig, type ConfigFile, type TenantList, type TenantsConfig } from "./config/config.js";
