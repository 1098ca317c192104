/**
 * Fleets: one command on many tenants (schemas or databases) in one process. The config
 * and the revisions are loaded once; each tenant runs the ordinary command (its own run
 * lock, version table and migration log, since all of them follow the tenant's URL and
 * search_path) in a workspace derived from the one, on connections from a pool of
 * `concurrency`. A tenant already at the target is skipped after reading its version table.
 */
import type { ProgressSink } from "../api/progress.js";
import { Workspace, type CommonOptions } from "../api/workspace.js";
import { UsageError } from "../errors.js";
import { downgradePath, planVersionSteps, upgradePath, type RevisionScript } from "../revisions/index.js";
import { sameSet } from "../schema/compare.js";
import { ConnectionPool } from "./pool.js";
import { runEach, TenantFailure, type TenantOutcome, type TenantWork } from "./schedule.js";
import { listTenants, selectTenants, type Tenant } from "./tenants.js";

export { listTenants, selectTenants, type Tenant } from "./tenants.js";
export type { TenantOutcome, TenantStatus } from "./schedule.js";

export const FLEET_COMMANDS = ["upgrade", "downgrade", "current", "status", "check", "stamp", "test", "seed"] as const;
export type FleetCommand = (typeof FLEET_COMMANDS)[number];

export const DEFAULT_CONCURRENCY = 4;

export interface FleetOptions extends CommonOptions {
  command: FleetCommand;
  /** Tenant names (`--tenant`); empty with `allTenants`: every tenant. */
  tenants?: string[];
  allTenants?: boolean;
  /** Tenants running at once, and so connections open at once (default 4). */
  concurrency?: number;
  /** Start no new tenant after one failed. */
  failFast?: boolean;
  /** Run this many tenants first; stop if any of them fails. */
  canary?: number;
  /** upgrade / downgrade target. */
  target?: string;
  /** stamp. */
  revisions?: string[];
  purge?: boolean;
  /** downgrade base / test: as the single-tenant commands take them. */
  force?: boolean;
  seed?: boolean;
  seeder?: string;
  fakerSeed?: number;
  /** Where each tenant's own lines go ("Running upgrade …"), given the tenant's name. */
  tenantLog?: (tenant: string, line: string) => void;
}

export interface FleetResult {
  command: FleetCommand;
  tenants: TenantOutcome[];
  durationMs: number;
  concurrency: number;
  /** The most connections the pool had open at once. */
  peakConnections: number;
}

function positiveInteger(value: number | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got ${value}`);
  return value;
}

/** The base workspace of a fleet: the config, without needing its own URL (a list of databases has none). */
function baseWorkspace(options: CommonOptions): Workspace {
  return new Workspace({ ...options, progress: undefined } as CommonOptions, "none");
}

/** The tenants a command runs on. */
export async function fleetTenants(ws: Workspace, names: readonly string[]): Promise<Tenant[]> {
  return selectTenants(await listTenants(ws.config, ws.dialect), names);
}

/** `revision --autogenerate --tenant NAME`: a workspace on that one tenant. */
export async function tenantWorkspace(options: CommonOptions, name: string): Promise<Workspace> {
  const ws = baseWorkspace(options);
  const [tenant] = await fleetTenants(ws, [name]);
  return ws.forTarget(tenant!, options.log ? { log: options.log } : {});
}

type Job = (ws: Workspace, options: FleetOptions) => Promise<TenantWork>;

/** Rows read before the work began, kept for the report when the work fails. */
const rowsBefore = new WeakMap<Workspace, string[]>();

/**
 * A tenant's error with its version rows before and now (revisions that committed before
 * the failing one stay applied); the rows now are read on a fresh connection, if it can be had.
 */
async function failure(ws: Workspace, err: unknown): Promise<TenantFailure> {
  const from = rowsBefore.get(ws);
  if (from === undefined) return new TenantFailure(err, [], []);
  const now = await readRows(ws).catch(() => from);
  return new TenantFailure(err, from, now);
}

const readRows = (ws: Workspace) => ws.withConnection((conn) => ws.readHeads(conn));

/** The rows at the start of a tenant's work. */
async function startRows(ws: Workspace): Promise<string[]> {
  const rows = await readRows(ws);
  rowsBefore.set(ws, rows);
  return rows;
}

/**
 * The version rows after `path` ran from `from`, as planned: the runner applied exactly
 * that plan under the tenant's run lock (or planned again to the same absolute target).
 */
function headsAfter(ws: Workspace, from: string[], path: RevisionScript[], direction: "upgrade" | "downgrade"): string[] {
  return [...(planVersionSteps(ws.graph(), from, path, direction).at(-1)?.heads ?? from)].sort();
}

const JOBS: Record<FleetCommand, Job> = {
  async upgrade(ws, options) {
    const target = options.target ?? "head";
    const from = await startRows(ws);
    const path = upgradePath(ws.graph(), from, target);
    if (path.length === 0) return { status: "unchanged", from, to: from };
    const { upgrade } = await import("../api/migrate.js");
    const { steps } = await upgrade({ workspace: ws, target });
    return { status: steps.length ? "upgraded" : "unchanged", from, to: headsAfter(ws, from, path, "upgrade"), steps: steps.length };
  },
  async downgrade(ws, options) {
    const target = options.target ?? "";
    const from = await startRows(ws);
    const path = downgradePath(ws.graph(), from, target);
    if (path.length === 0) return { status: "unchanged", from, to: from };
    const { downgrade } = await import("../api/migrate.js");
    const { steps } = await downgrade({ workspace: ws, target, force: options.force ?? false });
    return { status: steps.length ? "downgraded" : "unchanged", from, to: headsAfter(ws, from, path, "downgrade"), steps: steps.length };
  },
  async current(ws) {
    const rows = await readRows(ws);
    return { status: sameSet(rows, ws.graph().heads) ? "clean" : "pending", from: rows, to: rows };
  },
  async status(ws) {
    const { statusDetails } = await import("../api/status.js");
    const details = await statusDetails({ workspace: ws });
    const pending = details.revisions.filter((r) => !r.applied).length;
    return {
      status: pending ? "pending" : "clean",
      from: details.current,
      to: details.current,
      ...(pending ? { detail: `${pending} pending` } : {}),
    };
  },
  async check(ws) {
    const { check } = await import("../api/check.js");
    const result = await check({ workspace: ws });
    if (result.ok) return { status: "clean", from: result.current, to: result.current };
    const { renderOpCall } = await import("../codegen/opCalls.js");
    const codes = result.ops.map((op) => renderOpCall(op).replace(/\s+/g, " "));
    const findings = result.findings.filter((f) => f.kind === "unsupported").map((f) => f.message.split("\n")[0]);
    const all = [...codes, ...findings];
    const shown = all.slice(0, 3).join("; ");
    const drift = `${result.ops.length} operation(s): ${shown}${all.length > 3 ? `; … ${all.length - 3} more` : ""}`;
    return { status: "drift", from: result.current, to: result.current, drift };
  },
  async stamp(ws, options) {
    const from = await startRows(ws);
    const { stamp } = await import("../api/migrate.js");
    const { heads } = await stamp({ workspace: ws, revisions: options.revisions ?? [], purge: options.purge ?? false });
    return { status: sameSet(heads, from) ? "unchanged" : "stamped", from, to: heads };
  },
  async test(ws, options) {
    const { testMigrations } = await import("../api/test-suite.js");
    const result = await testMigrations({
      workspace: ws,
      seed: options.seed ?? false,
      ...(options.seeder !== undefined ? { seeder: options.seeder } : {}),
      ...(options.fakerSeed !== undefined ? { fakerSeed: options.fakerSeed } : {}),
    });
    if (result.passed) return { status: "passed", from: [], to: [] };
    const failed = result.checks.filter((c) => c.status === "failed").map((c) => `${c.name}: ${c.message ?? "failed"}`);
    throw new Error(failed.join("; "));
  },
  async seed(ws, options) {
    const { seed } = await import("../api/seed.js");
    const rows = await readRows(ws);
    await seed({
      workspace: ws,
      ...(options.seeder !== undefined ? { seeder: options.seeder } : {}),
      ...(options.fakerSeed !== undefined ? { fakerSeed: options.fakerSeed } : {}),
    });
    return { status: "seeded", from: rows, to: rows };
  },
};

/** Runs `options.command` on the chosen tenants; a tenant's failure is in its outcome, not thrown. */
export async function fleet(options: FleetOptions): Promise<FleetResult> {
  const started = performance.now();
  const names = options.tenants ?? [];
  if (names.length === 0 && !options.allTenants) throw new UsageError("name the tenants: --all-tenants, or --tenant NAME (repeatable)");
  if (names.length > 0 && options.allTenants) throw new UsageError("--all-tenants and --tenant go separately: give one or the other");
  if (options.command === "downgrade" && !options.target) throw new UsageError("downgrade needs a target");
  if (options.command === "stamp" && !options.revisions?.length) throw new UsageError("stamp needs at least one revision");
  const concurrency = positiveInteger(options.concurrency, "--concurrency", DEFAULT_CONCURRENCY);
  const canary = positiveInteger(options.canary, "--canary", 0);
  const base = baseWorkspace(options);
  // A broken revision file stops the fleet before any tenant is touched.
  base.graph();
  const tenants = await fleetTenants(base, names);
  // Seeding opens TypeORM's own connection beside ours: keep none idle then.
  const pool = new ConnectionPool(concurrency, options.command !== "seed" && options.command !== "test");
  const job = JOBS[options.command];
  // Tenants still to finish per URL: the last one on a URL closes its connections.
  const users = new Map<string, number>();
  for (const t of tenants) users.set(t.url, (users.get(t.url) ?? 0) + 1);
  try {
    const outcomes = await runEach(
      tenants,
      async (tenant) => {
        const log = options.tenantLog ? (line: string) => options.tenantLog!(tenant.name, line) : undefined;
        const ws = base.forTarget(tenant, { connections: pool, ...(log ? { log } : {}) });
        try {
          return await job(ws, options);
        } catch (err) {
          throw await failure(ws, err);
        } finally {
          const left = users.get(tenant.url)! - 1;
          users.set(tenant.url, left);
          if (left === 0) await pool.retire(tenant.url);
        }
      },
      {
        concurrency,
        failFast: options.failFast ?? false,
        ...(canary ? { canary } : {}),
        ...(options.progress ? { progress: options.progress as ProgressSink } : {}),
        title: `${options.command}, ${tenants.length} tenant(s)`,
      },
    );
    return {
      command: options.command,
      tenants: outcomes,
      durationMs: performance.now() - started,
      concurrency,
      peakConnections: pool.peak,
    };
  } finally {
    await pool.close();
  }
}
