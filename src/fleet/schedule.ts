/**
 * Runs one job per tenant, `concurrency` at a time. A failing tenant is recorded with
 * its error and the others go on; `failFast` stops scheduling new ones after a failure,
 * and `canary` runs that many tenants first, stopping there if any of them failed. A
 * tenant never started is "not-run", so a re-run knows what is left.
 */
import type { ProgressSink } from "../api/progress.js";
import { redactUrlsIn } from "../dialects/redact.js";
import { errorMessage } from "../errors.js";
import type { Tenant } from "./tenants.js";

export const TENANT_STATUSES = [
  "upgraded",
  "downgraded",
  "stamped",
  "seeded",
  "passed",
  "unchanged",
  "clean",
  "pending",
  "drift",
  "failed",
  "not-run",
] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** What a job says about its tenant. */
export interface TenantWork {
  status: TenantStatus;
  /** The version table's rows before and after. */
  from: string[];
  to: string[];
  /** Revisions run. */
  steps?: number;
  /** Drift (check) or what is pending (status), in one line. */
  drift?: string;
  detail?: string;
}

export interface TenantOutcome extends TenantWork {
  name: string;
  durationMs: number;
  /** One line, no password. */
  error?: string;
  /** The error itself, for exit codes. */
  cause?: unknown;
}

/** A tenant's error with the version rows it had before and has after (what committed before the failure stays). */
export class TenantFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly from: string[],
    readonly to: string[],
  ) {
    super(errorMessage(cause));
  }
}

export interface ScheduleOptions {
  concurrency: number;
  failFast?: boolean;
  canary?: number;
  progress?: ProgressSink;
  title: string;
}

export async function runEach(
  tenants: readonly Tenant[],
  job: (tenant: Tenant) => Promise<TenantWork>,
  options: ScheduleOptions,
): Promise<TenantOutcome[]> {
  const outcomes: Array<TenantOutcome | undefined> = new Array(tenants.length);
  let finished = 0;
  let failed = 0;
  let stop = false;
  options.progress?.begin(options.title, { total: tenants.length, unit: "tenant", count: () => failed, countLabel: "failed" });

  const runOne = async (i: number): Promise<void> => {
    const tenant = tenants[i]!;
    const started = performance.now();
    try {
      const work = await job(tenant);
      outcomes[i] = { name: tenant.name, ...work, durationMs: performance.now() - started };
    } catch (thrown) {
      const { cause: err, from, to } = thrown instanceof TenantFailure ? thrown : { cause: thrown, from: [], to: [] };
      outcomes[i] = {
        name: tenant.name,
        status: "failed",
        from,
        to,
        durationMs: performance.now() - started,
        error: redactUrlsIn(errorMessage(err).split("\n")[0] ?? ""),
        cause: err,
      };
      failed++;
      if (options.failFast) stop = true;
    }
    finished++;
    options.progress?.item(finished, `${tenant.name} (${outcomes[i]!.status})`);
  };

  const runRange = async (from: number, to: number): Promise<void> => {
    let next = from;
    const worker = async () => {
      while (!stop && next < to) await runOne(next++);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, to - from) }, worker));
  };

  try {
    const canary = Math.min(options.canary ?? 0, tenants.length);
    if (canary > 0) {
      await runRange(0, canary);
      if (outcomes.slice(0, canary).some((o) => o?.status === "failed")) stop = true;
    }
    await runRange(canary, tenants.length);
  } finally {
    options.progress?.end();
  }
  return tenants.map((t, i) => outcomes[i] ?? { name: t.name, status: "not-run" as const, from: [], to: [], durationMs: 0 });
}
