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
import { ConnectionPool } from "./pool.js";
import { failure, JOBS } from "./jobs.js";
import { runEach, type TenantOutcome } from "./schedule.js";
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
