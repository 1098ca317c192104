export { diffSchemas } from "./diff.js";
export type { DiffOptions, DiffResult, Finding, FindingKind, RenameHints } from "./types.js";
