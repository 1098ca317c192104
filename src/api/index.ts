/** The programmatic API: everything the CLI does, callable from scripts and tests. */
export { check, type CheckResult } from "./check.js";
export { init, type InitOptions, type InitResult } from "./init.js";
export {
  downgrade,
  fresh,
  refresh,
  reset,
  stamp,
  upgrade,
  type FreshOptions,
  type MigrateOptions,
  type MigrateResult,
  type StampOptions,
} from "./migrate.js";
export { merge, revision, type MergeOptions, type RevisionOptions, type RevisionResult } from "./revision.js";
export {
  branches,
  current,
  heads,
  history,
  show,
  status,
  type HistoryOptions,
  type RevisionDetails,
  type StatusRow,
} from "./status.js";
export { Workspace, type CommonOptions } from "./workspace.js";
