/**
 * What the writer needs to produce one revision file. Plain data, so the CLI, the API
 * and the tests build it the same way.
 */
import type { Finding } from "../diff/types.js";
import type { Op } from "../ops/ops.js";

/** A downgrade that cannot be generated, and why (rendered as a downgrade that throws). */
export interface IrreversibleDowngrade {
  irreversible: string;
}

export interface RevisionFileInput {
  revision: string;
  /** null for a base revision, one id, or several ids for a merge. */
  downRevision: string | string[] | null;
  dependsOn?: string[];
  branchLabels?: string[];
  message: string;
  createdAt: Date;
  upgradeOps: Op[];
  downgradeOps: Op[] | IrreversibleDowngrade;
  /** `opIndex` refers to `upgradeOps`; findings without one go into the header. */
  findings?: Finding[];
  /** Findings about the downgrade; `opIndex` refers to `downgradeOps` (others are dropped). */
  downgradeFindings?: Finding[];
  /** `export const online = true`: the runner runs each op as its own resumable step (src/runtime/online.ts). */
  online?: boolean;
  /** `async` functions returning `Promise<void>` (a hand-written revision may `await op.query`). */
  async?: boolean;
  /** Module the `Operations` type is imported from (default "autogen"). */
  importFrom?: string;
  /** A file path whose prettier configuration applies to the output (e.g. the revision's own path). */
  prettierConfigFrom?: string;
}

export const DEFAULT_IMPORT_FROM = "autogen";

export function isIrreversible(downgrade: RevisionFileInput["downgradeOps"]): downgrade is IrreversibleDowngrade {
  return !Array.isArray(downgrade);
}
