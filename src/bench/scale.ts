/**
 * The scale section: the whole cycle on N generated entities (N = 50, 500, 2,000, 5,000 by
 * default; AUTOGEN_BENCH_SIZES="50,500" picks others) on PostgreSQL and SQLite, each
 * command a new process as a user runs it, timed with its peak RSS, beside TypeORM doing
 * the same work in the same run:
 * - `revision --autogenerate` (first revision), `upgrade head --sql`, `upgrade head`
 *   (stock server settings), a second `revision --autogenerate` that must find nothing,
 *   `check`, and `downgrade base`, which must leave no table;
 * - introspect + diff in this process against TypeORM's `createSchemaBuilder().log()`
 *   on the same database;
 * - `autogen check` against TypeORM's whole-process diff of the same .ts entities
 *   (./typeorm-diff-process.ts).
 * - on PostgreSQL, the faults of a first revision too large for one transaction's share
 *   of the lock table (issue 15): `upgrade head` onto a database where a tenth of its
 *   tables already exist, made by hand with a row each (refused, nothing dropped), and
 *   `upgrade head` killed with SIGKILL right after its first split transaction commits,
 *   then run again (it must go on from there and end with every table);
 * The growth t(largest)/t(500) of each stage is printed; each row is saved as soon as it
 * is measured to bench-results/scale-<dialect>.json (AUTOGEN_BENCH_DIALECTS picks the
 * databases, so two processes can measure one each), which test/scale-bench-results.test.ts
 * checks.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readDatabaseSchema, readTargetSchema } from "../autogenerate.js";
import { loadConfig } from "../config/config.js";
import { getDialect } from "../dialects/index.js";
import { diffSchemas } from "../diff/index.js";
import { logTableName } from "../runtime/log.js";
import type { DialectName } from "../schema/ir.js";
import { createPgDatabase, createTempDir } from "./databases.js";
import { median, timed } from "./measure.js";
import { scaleTableName, writeScaleProject } from "./scale-project.js";
import { diffOptionsFor } from "../diff/options.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(REPO_ROOT, "dist/cli/main.js");
const TYPEORM_PROCESS = path.join(REPO_ROOT, "dist/bench/typeorm-diff-process.js");
export const scaleResultsFile = (dialect: DialectName): string => path.join(REPO_ROOT, `bench-results/scale-${dialect}.json`);

export const DEFAULT_SCALE_SIZES = [50, 500, 2000, 5000];

/** Date of the saved results each dialect had when this process began measuring. */
const savedRunDate = new Map<DialectName, string | undefined>();

export function scaleDialects(env: NodeJS.ProcessEnv = process.env): DialectName[] {
  const raw = env.AUTOGEN_BENCH_DIALECTS ?? "postgres,sqlite";
  const names = raw.split(",").map((s) => s.trim());
  for (const n of names)
    if (n !== "postgres" && n !== "sqlite") throw new Error(`AUTOGEN_BENCH_DIALECTS: "${n}" is not postgres or sqlite`);
  return names as DialectName[];
}

export function scaleSizes(env: NodeJS.ProcessEnv = process.env): number[] {
  const raw = env.AUTOGEN_BENCH_SIZES;
  if (!raw) return DEFAULT_SCALE_SIZES;
  const sizes = raw.split(",").map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1))
    throw new Error(`AUTOGEN_BENCH_SIZES: expected sizes like "50,500", got "${raw}"`);
  return sizes;
}

export interface StageFigure {
  ms: number;
  /** Peak resident set size of the process, MiB (absent for in-process stages). */
  rssMb?: number;
  ok: boolean;
  detail: string;
}

export const STAGES = [
  "revision --autogenerate",
  "upgrade head --sql",
  "upgrade head",
  "autogenerate again (no changes)",
  "check",
  "TypeORM whole-process diff",
  "introspect + diff",
  "TypeORM log()",
  "downgrade base",
] as const;
export type Stage = (typeof STAGES)[number];

/** PostgreSQL only, after the cycle: a split first revision's faults (see the header). */
export const FAULT_STAGES = [
  "upgrade onto existing tables (refused)",
  "upgrade killed after 1st commit",
  "upgrade again (resumed)",
] as const;
export type FaultStage = (typeof FAULT_STAGES)[number];

/** Kills a process at a chosen statement (test/helpers/kill-at-statement.mjs; the bench runs from the repository). */
const KILL_HOOK = path.join(REPO_ROOT, "test/helpers/kill-at-statement.mjs");

export interface ScaleRow {
  dialect: DialectName;
  size: number;
  stages: Partial<Record<Stage, StageFigure>>;
  /** PostgreSQL: the split first revision's faults. */
  faults?: Partial<Record<FaultStage, StageFigure>>;
  /** When TypeORM's figures were kept from an earlier run (AUTOGEN_BENCH_REUSE_TYPEORM): that run's date. */
  typeormFrom?: string;
}

export interface ScaleResults {
  machine: string;
  node: string;
  date: string;
  rows: ScaleRow[];
}

/** Records each child's peak RSS (getrusage maxRSS) into the file named by the environment. */
const RSS_PRELOAD = `process.on("exit", () => {
  const file = process.env.AUTOGEN_BENCH_RSS_FILE;
  if (file) require("node:fs").writeFileSync(file, String(process.resourceUsage().maxRSS));
});
`;

interface ChildRun {
  ms: number;
  rssMb: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

function runChild(dir: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): ChildRun {
  const rssFile = path.join(dir, `rss-${process.hrtime.bigint()}.txt`);
  const preload = path.join(dir, "rss-preload.cjs");
  if (!existsSync(preload)) writeFileSync(preload, RSS_PRELOAD);
  const start = performance.now();
  const imports = env.NODE_OPTIONS ? ` ${env.NODE_OPTIONS}` : "";
  const result = spawnSync(process.execPath, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, ...env, NODE_OPTIONS: `--require ${preload}${imports}`, AUTOGEN_BENCH_RSS_FILE: rssFile, NO_COLOR: "1" },
  });
  const ms = performance.now() - start;
  const rssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : Number.NaN;
  return { ms, rssMb: rssKb / 1024, status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

const firstLine = (run: ChildRun) => (run.stderr || run.stdout).trim().split("\n")[0]?.slice(0, 160) ?? "";

function cliStage(dir: string, project: string, args: string[], check: (run: ChildRun) => string | true): StageFigure {
  const run = runChild(dir, [CLI, ...args], project);
  const verdict = run.status === 0 ? check(run) : `exit ${run.status}: ${firstLine(run)}`;
  return { ms: run.ms, rssMb: run.rssMb, ok: verdict === true, detail: verdict === true ? "" : verdict };
}

async function tableCount(dialect: DialectName, url: string): Promise<number> {
  const d = getDialect(dialect);
  const conn = await d.connect(url);
  try {
    // autogen's own bookkeeping (the version table and its migration log) is not the models'.
    return (await d.introspect(conn, { versionTable: "autogen_version", excludeTables: [logTableName("autogen_version")] })).tables.length;
  } finally {
    await conn.close();
  }
}

/** One size on one database: the whole cycle. */
async function scaleCycle(dialect: DialectName, size: number, url: string, dir: string): Promise<ScaleRow> {
  const projectDir = path.join(dir, "project");
  mkdirSync(projectDir);
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(projectDir, "node_modules"));
  const project = writeScaleProject(projectDir, size, url);
  const cfg = ["--config", project.config];
  const stages: ScaleRow["stages"] = {};
  const versions = () =>
    existsSync(path.join(projectDir, "versions")) ? readdirSync(path.join(projectDir, "versions")).filter((f) => f.endsWith(".ts")) : [];

  stages["revision --autogenerate"] = cliStage(dir, projectDir, ["revision", "--autogenerate", "-m", "create all", ...cfg], () =>
    versions().length === 1 ? true : `expected 1 revision file, found ${versions().length}`,
  );
  stages["upgrade head --sql"] = cliStage(dir, projectDir, ["upgrade", "head", "--sql", ...cfg], (run) =>
    /CREATE TABLE/.test(run.stdout) ? true : "no CREATE TABLE in the script",
  );
  stages["upgrade head"] = cliStage(dir, projectDir, ["upgrade", "head", ...cfg], () => true);
  const up = stages["upgrade head"];
  if (up.ok) {
    const tables = await tableCount(dialect, url);
    if (tables !== size) Object.assign(up, { ok: false, detail: `${tables} tables after upgrade, expected ${size}` });
  }
  stages["autogenerate again (no changes)"] = cliStage(dir, projectDir, ["revision", "--autogenerate", "-m", "nothing", ...cfg], () =>
    versions().length === 1 ? true : "a second revision was written: models and database drift",
  );
  stages["check"] = cliStage(dir, projectDir, ["check", ...cfg], () => true);

  // TypeORM's whole process, and its log() alone (median of 3 inside that process).
  // Medians of 3 where a run is short; one run at the large sizes (TypeORM's log() takes minutes there).
  const runs = size <= 500 ? 3 : 1;
  // AUTOGEN_BENCH_REUSE_TYPEORM=1: re-measure autogen's stages only, keeping the TypeORM
  // figures a saved row already has (they take half an hour at 5,000); the row says so.
  const saved = process.env.AUTOGEN_BENCH_REUSE_TYPEORM === "1" ? readScaleResults(dialect)?.rows.find((r) => r.size === size) : undefined;
  const savedProcess = saved?.stages["TypeORM whole-process diff"];
  const savedLog = saved?.stages["TypeORM log()"];
  let typeormFrom: string | undefined;
  if (savedProcess?.ok && savedLog?.ok) {
    stages["TypeORM whole-process diff"] = savedProcess;
    stages["TypeORM log()"] = savedLog;
    typeormFrom = saved?.typeormFrom ?? savedRunDate.get(dialect);
  } else {
    const typeorm = runChild(
      dir,
      [TYPEORM_PROCESS, dialect, url, project.entitiesDir, path.join(projectDir, "typeorm-out"), String(runs)],
      projectDir,
    );
    let logMs = Number.NaN;
    let pending = -1;
    if (typeorm.status === 0) {
      const parsed = JSON.parse(typeorm.stdout.trim().split("\n").pop()!) as { pending: number; logMs: number[] };
      logMs = median(parsed.logMs);
      pending = parsed.pending;
    }
    const typeormOk = typeorm.status === 0;
    stages["TypeORM whole-process diff"] = {
      ms: typeorm.ms,
      rssMb: typeorm.rssMb,
      ok: typeormOk,
      detail: typeormOk ? `${pending} pending queries` : firstLine(typeorm),
    };
    stages["TypeORM log()"] = { ms: logMs, ok: typeormOk, detail: typeormOk ? `${pending} pending queries` : "" };
  }

  // autogen's introspect + diff in this process, the models read once beforehand.
  const d = getDialect(dialect);
  const loaded = loadConfig({ config: project.config });
  // As every command sees it (api/workspace.ts): the migration log is bookkeeping, not drift.
  const config = { ...loaded, excludeTables: [...loaded.excludeTables, logTableName(loaded.versionTable)] };
  const target = await readTargetSchema(config, d);
  const conn = await d.connect(url);
  try {
    const options = diffOptionsFor(d);
    const times: number[] = [];
    let ops = -1;
    for (let i = 0; i < runs; i++) {
      const run = await timed(async () => diffSchemas(target, await readDatabaseSchema(conn, config, d), options));
      times.push(run.ms);
      ops = run.result.ops.length;
    }
    stages["introspect + diff"] = { ms: median(times), ok: ops === 0, detail: `${ops} ops` };
  } finally {
    await conn.close();
  }

  stages["downgrade base"] = cliStage(dir, projectDir, ["downgrade", "base", ...cfg], () => true);
  const down = stages["downgrade base"];
  if (down.ok) {
    const left = await tableCount(dialect, url);
    if (left !== 0) Object.assign(down, { ok: false, detail: `${left} tables left after downgrade base` });
  }
  const faults = dialect === "postgres" && down.ok ? await splitFaults(dir, projectDir, cfg, size, url) : undefined;
  return { dialect, size, stages, ...(faults ? { faults } : {}), ...(typeormFrom ? { typeormFrom } : {}) };
}

/**
 * A first revision split over several transactions (stock lock table), on an empty
 * PostgreSQL database: onto a tenth of its tables made by hand (refused; those tables and
 * their rows kept, no other made), then killed after its first commit and run again.
 */
async function splitFaults(
  dir: string,
  projectDir: string,
  cfg: string[],
  size: number,
  url: string,
): Promise<Partial<Record<FaultStage, StageFigure>>> {
  const faults: Partial<Record<FaultStage, StageFigure>> = {};
  const d = getDialect("postgres");
  const sql = async <Row>(text: string): Promise<Row[]> => {
    const conn = await d.connect(url);
    try {
      return await conn.query<Row>(text);
    } finally {
      await conn.close();
    }
  };
  const theirs = Array.from({ length: Math.max(1, Math.floor(size / 10)) }, (_, k) => scaleTableName(k * 10));
  for (const t of theirs) await sql(`CREATE TABLE "${t}" (id integer); INSERT INTO "${t}" VALUES (7)`);
  const refused = runChild(dir, [CLI, "upgrade", "head", ...cfg], projectDir);
  const kept = (await sql<{ n: number }>(`SELECT ${theirs.map((t) => `(SELECT count(*) FROM "${t}" WHERE id = 7)`).join(" + ")} AS n`))[0];
  const tables = await tableCount("postgres", url);
  const refusedOk = refused.status === 1 && /already exist.*nothing was changed/.test(refused.stderr);
  faults["upgrade onto existing tables (refused)"] = {
    ms: refused.ms,
    rssMb: refused.rssMb,
    ok: refusedOk && Number(kept?.n) === theirs.length && tables === theirs.length,
    detail: `${theirs.length} tables there; exit ${refused.status}, ${tables} tables after, ${Number(kept?.n)} rows kept${refusedOk ? "" : `: ${firstLine(refused)}`}`,
  };
  for (const t of theirs) await sql(`DROP TABLE "${t}"`);

  // Dies right after the commit that follows the first "partial" log row.
  const kill = {
    NODE_OPTIONS: `--import=${pathToFileURL(KILL_HOOK).href}`,
    AUTOGEN_TEST_KILL_ARM: `autogen_version_log.*'partial'`,
    AUTOGEN_TEST_KILL_SQL: "^COMMIT",
    AUTOGEN_TEST_KILL_WHEN: "after",
  };
  const killed = runChild(dir, [CLI, "upgrade", "head", ...cfg], projectDir, kill);
  const left = await tableCount("postgres", url);
  if (killed.status === 0 && !/it ran in \d+ transactions/.test(killed.stdout)) {
    // Small enough for one transaction: no commit to die after.
    const single = { ms: killed.ms, rssMb: killed.rssMb, ok: left === size, detail: "one transaction at this size: not split" };
    faults["upgrade killed after 1st commit"] = single;
    faults["upgrade again (resumed)"] = { ...single, ms: 0 };
    return faults;
  }
  faults["upgrade killed after 1st commit"] = {
    ms: killed.ms,
    rssMb: killed.rssMb,
    ok: killed.status === null && left > 0 && left < size,
    detail: `exit ${killed.status ?? "SIGKILL"}, ${left} of ${size} tables left`,
  };
  const resumed = runChild(dir, [CLI, "upgrade", "head", ...cfg], projectDir);
  const after = await tableCount("postgres", url);
  const noted = /an earlier run stopped after its first \d+ of \d+ operations/.test(resumed.stdout);
  faults["upgrade again (resumed)"] = {
    ms: resumed.ms,
    rssMb: resumed.rssMb,
    ok: resumed.status === 0 && noted && after === size,
    detail: `exit ${resumed.status}, ${after} tables${noted ? "" : ", no resume note"}${resumed.status === 0 ? "" : `: ${firstLine(resumed)}`}`,
  };
  return faults;
}

export async function benchScale(
  sizes: readonly number[],
  dialects: readonly DialectName[],
  log: (line: string) => void,
  onRow: (row: ScaleRow) => void = () => {},
): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  // The saved run's date, before this run's first row replaces it.
  for (const dialect of dialects) if (!savedRunDate.has(dialect)) savedRunDate.set(dialect, readScaleResults(dialect)?.date);
  for (const size of sizes) {
    for (const dialect of dialects) {
      const dir = createTempDir(`autogen-bench-scale-${dialect}-${size}-`);
      let dropPg: (() => Promise<void>) | undefined;
      try {
        let url: string;
        if (dialect === "postgres") {
          const db = await createPgDatabase();
          if ("unavailable" in db) {
            log(`   ${dialect} ${size}: SKIPPED, PostgreSQL unreachable: ${db.unavailable}`);
            continue;
          }
          url = db.url;
          dropPg = db.drop;
        } else url = `sqlite:${dir.file("scale.sqlite")}`;
        const started = Date.now();
        const row = await scaleCycle(dialect, size, url, dir.dir);
        rows.push(row);
        onRow(row);
        const failed = Object.entries(row.stages).filter(([, f]) => !f.ok);
        log(
          `   ${dialect} ${size} entities: ${((Date.now() - started) / 1000).toFixed(0)} s${failed.length ? `, FAILED: ${failed.map(([s, f]) => `${s} (${f.detail})`).join("; ")}` : ""}`,
        );
      } finally {
        await dropPg?.().catch(() => undefined);
        dir.remove();
      }
    }
  }
  return rows;
}

/** t(largest)/t(500) for a stage, when both sizes ran. */
export function growth(rows: readonly ScaleRow[], dialect: DialectName, stage: Stage, from = 500): number | undefined {
  const mine = rows.filter((r) => r.dialect === dialect);
  const base = mine.find((r) => r.size === from)?.stages[stage]?.ms;
  const largest = mine.reduce<ScaleRow | undefined>((best, r) => (!best || r.size > best.size ? r : best), undefined);
  const top = largest?.stages[stage]?.ms;
  if (base === undefined || top === undefined || !largest || largest.size <= from || !(base > 0)) return undefined;
  return top / base;
}

/** Adds (or replaces) `row` in its dialect's results file. */
export function saveScaleRow(row: ScaleRow, about: Omit<ScaleResults, "rows">): void {
  const file = scaleResultsFile(row.dialect);
  const saved = readScaleResults(row.dialect);
  const rows = (saved?.rows ?? []).filter((r) => r.size !== row.size);
  rows.push(row);
  rows.sort((a, b) => a.size - b.size);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...about, rows }, null, 2) + "\n");
}

export function readScaleResults(dialect: DialectName): ScaleResults | undefined {
  const file = scaleResultsFile(dialect);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ScaleResults) : undefined;
}
