/** The programmatic API: everything the CLI does, callable from scripts and tests. */
export { check, type CheckOptions, type CheckResult, type NotReplayable } from "./check.js";
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
  type SeedAfterMigrate,
  type MigrateResult,
  type StampOptions,
} from "./migrate.js";
export type { ConfirmOptions } from "./destructive.js";
export { lint, type LintOptions, type LintReport, type LintReportFinding } from "./lint.js";
export { rehash, rollback, type RollbackOptions } from "./rollback.js";
export { merge, revision, type MergeOptions, type RevisionOptions, type RevisionResult } from "./revision.js";
export { seed, type SeedFlags, type SeedOptions, type SeedResult } from "./seed.js";
export {
  defineFactory,
  type Attributes,
  type Definition,
  type DefinitionInfo,
  type EntityClass,
  type FactoryBuilder,
  type FactoryDefinition,
  type FactoryTarget,
  type SeedContext,
  type SeederTiming,
  type State,
  type StateInfo,
} from "../seed/index.js";
export {
  branches,
  current,
  heads,
  history,
  show,
  status,
  statusDetails,
  type HistoryOptions,
  type StatusDetails,
  type RevisionDetails,
  type StatusRow,
} from "./status.js";
export { testMigrations, TEST_CHECKS, type TestCheck, type TestCheckName, type TestOptions, type TestResult } from "./test-suite.js";
export { Workspace, type CommonOptions } from "./workspace.js";
export { modelLocations, type ModelLocations, type SourceLocation } from "../report/locations.js";
export type { CheckReport, Report, ReportFormat, StatusReport, TestReport } from "../report/report.js";
export { baseline, type BaselineOptions, type BaselineResult } from "./baseline.js";
export {
  fleet,
  listTenants,
  tenantWorkspace,
  FLEET_COMMANDS,
  type FleetCommand,
  type FleetOptions,
  type FleetResult,
  type Tenant,
  type TenantOutcome,
  type TenantStatus,
} from "../fleet/index.js";
export type { FleetReport, FleetTenantEntry } from "../report/fleet.js";
