/**
 * `npm run bench`: prints speed and memory figures for autogen's stages on real
 * databases (SQLite in a temp dir; PostgreSQL at AUTOGEN_TEST_PG_URL when reachable).
 * It reports, it does not judge: nothing here fails on a slow figure. It does fail when
 * a stage breaks, since a figure for a broken stage would mean nothing.
 */
import { availableParallelism, cpus } from "node:os";
import type { Dialect } from "../dialects/dialect.js";
import { getDialect } from "../dialects/index.js";
import { errorMessage } from "../errors.js";
import { createMysqlDatabase, createPgDatabase, createTempDir, MYSQL_ADMIN_URL, PG_ADMIN_URL } from "./databases.js";
import { benchCliEndToEnd, benchCliStartup, benchEndToEnd } from "./end-to-end.js";
import { benchDiff, benchOpModel, benchRender, type Figure } from "./in-memory.js";
import { benchIntrospection, INTROSPECTION_HEADERS, introspectionTableRows } from "./introspection.js";
import { kb, mb, memorySnapshot, ms, type MemorySnapshot } from "./measure.js";
import { benchScale, readScaleResults, saveScaleRow, scaleDialects, scaleSizes } from "./scale.js";
import { scaleReport } from "./scale-report.js";
import { benchSeeding, type SeedWorkload } from "./seeding.js";
import { formatTable } from "./table.js";
import { loadingSection } from "./loading.js";
import { benchFleet, FLEET_HEADERS, fleetRows } from "./fleet.js";
import { benchOnline } from "./online.js";

const DIFF_TABLES = 500;
const DIFF_CHANGED_SHARE = 0.05;
const OP_MODEL_TABLES = 500;
const RENDER_TABLES = 200;
const END_TO_END_RUNS = 4;
const CLI_RUNS = 5;
const CLI_END_TO_END_RUNS = 3;

const print = (text: string) => process.stdout.write(text + "\n");
const memory: MemorySnapshot[] = [];

async function introspectOn(dialect: Dialect, url: string): Promise<void> {
  const conn = await dialect.connect(url);
  try {
    const rows = await benchIntrospection(dialect, conn);
    const title = `1. Introspection, ${dialect.name} (median of 5; 8 columns, PK, FK, index, unique per table)`;
    print(formatTable(title, INTROSPECTION_HEADERS, introspectionTableRows(rows)));
  } finally {
    await conn.close();
  }
  memory.push(memorySnapshot(`1. introspection ${dialect.name}`));
}

async function introspectSqlite(): Promise<void> {
  const dir = createTempDir("autogen-bench-sqlite-");
  try {
    await introspectOn(getDialect("sqlite"), `sqlite:${dir.file("bench.sqlite")}`);
  } finally {
    dir.remove();
  }
}

async function introspectPostgres(): Promise<void> {
  const db = await createPgDatabase();
  if ("unavailable" in db) {
    print(`\n1. Introspection, postgres: SKIPPED — PostgreSQL unreachable at ${PG_ADMIN_URL}: ${db.unavailable}`);
    return;
  }
  try {
    await introspectOn(getDialect("postgres"), db.url);
  } finally {
    await db.drop();
  }
}

async function introspectMysql(): Promise<void> {
  const db = await createMysqlDatabase();
  if ("unavailable" in db) {
    print(`\n1. Introspection, mysql: SKIPPED — MySQL unreachable at ${MYSQL_ADMIN_URL}: ${db.unavailable}`);
    return;
  }
  try {
    await introspectOn(getDialect("mysql"), db.url);
  } finally {
    await db.drop();
  }
}

const FIGURE_HEADERS = ["case", "time", "min..max", "result"];
const figureRows = (figures: readonly Figure[]) =>
  figures.map((f) => [f.label, ms(f.medianMs), `${ms(f.minMs)}..${ms(f.maxMs)}`, f.detail]);

async function inMemorySections(): Promise<void> {
  for (const name of ["sqlite", "postgres"] as const) {
    const dialect = getDialect(name);
    const diff = await benchDiff(dialect, DIFF_TABLES, DIFF_CHANGED_SHARE);
    print(formatTable(`2. diffSchemas, ${name} IR (median of 5)`, FIGURE_HEADERS, figureRows(diff)));
  }
  memory.push(memorySnapshot("2. diffSchemas"));

  const opModel = await benchOpModel(getDialect("postgres"), OP_MODEL_TABLES);
  print(formatTable("3. Op model, postgres IR (median of 3)", FIGURE_HEADERS, figureRows(opModel)));
  memory.push(memorySnapshot("3. applyOps/reverseOps"));

  const render = await benchRender(getDialect("postgres"), RENDER_TABLES);
  const title = "4. Revision writer, postgres IR (median of 3; ts-morph + prettier)";
  print(formatTable(title, ["case", "time", "min..max", "output"], figureRows([render])));
  memory.push(memorySnapshot("4. renderRevision"));
}

async function endToEndSection(): Promise<void> {
  const { cold, warm } = await benchEndToEnd(END_TO_END_RUNS);
  const cliRuns = await benchCliEndToEnd(CLI_END_TO_END_RUNS);
  const row = (label: string, r: typeof cold) => [label, ms(r.autogenerateMs), ms(r.upgradeMs), ms(r.noChangeMs)];
  print(
    formatTable(
      `5. End to end, models-example on a new SQLite file (${cold.ops} ops, revision file ${kb(cold.revisionBytes)})`,
      ["run", "revision --autogenerate", "upgrade head", "autogenerate, no changes"],
      [
        row("API, first run (transpiles the entities)", cold),
        row(`API, same process again (median of ${END_TO_END_RUNS - 1})`, warm),
        [
          `CLI, a new process per command (median of ${CLI_END_TO_END_RUNS})`,
          ms(cliRuns.autogenerate.medianMs),
          ms(cliRuns.upgrade.medianMs),
          ms(cliRuns.noChange.medianMs),
        ],
      ],
    ),
  );
  const cli = await benchCliStartup(CLI_RUNS);
  print(
    formatTable(
      `   CLI start-up (median of ${CLI_RUNS}, a new process each)`,
      ["command", "time", "min..max"],
      [["node dist/cli/main.js --help", ms(cli.medianMs), `${ms(cli.minMs)}..${ms(cli.maxMs)}`]],
    ),
  );
  memory.push(memorySnapshot("5. end to end"));
}

/** Section 9 (./scale.ts): the whole cycle at N entities, beside TypeORM; results saved for the README and its test. */
async function scaleSection(): Promise<void> {
  const sizes = scaleSizes();
  const dialects = scaleDialects();
  print(`\n9. Scale: sizes ${sizes.join(", ")} on ${dialects.join(", ")} (AUTOGEN_BENCH_SIZES, AUTOGEN_BENCH_DIALECTS to change)`);
  const machine = `${availableParallelism()} cores, ${cpus()[0]?.model.trim() ?? "unknown cpu"}`;
  const about = { machine, node: process.version, date: new Date().toISOString() };
  const rows = await benchScale(sizes, dialects, print, (row) => saveScaleRow(row, about));
  print(scaleReport(rows));
  memory.push(memorySnapshot("9. scale"));
}

/** AUTOGEN_BENCH_ONLY=scale-report: the scale tables from the saved results, without measuring. */
function savedScaleReport(): void {
  const rows = (["postgres", "sqlite"] as const).flatMap((d) => readScaleResults(d)?.rows ?? []);
  print(scaleReport(rows));
}

/** Section 10 (./seeding.ts): rows/s of the example's factories beside TypeORM's save() and insert(). */
async function seedingSection(): Promise<void> {
  const rows = Number(process.env.AUTOGEN_BENCH_SEED_ROWS ?? 20000);
  const workloads = (process.env.AUTOGEN_BENCH_SEED_WORKLOADS ?? "users,blog,plain").split(",") as SeedWorkload[];
  const figures = await benchSeeding(rows, workloads);
  const rate = (n: number) => `${Math.round(n).toLocaleString("en-US")} rows/s`;
  print(
    formatTable(
      `10. Seeding ${rows} rows with models-example's factories (faker included) vs TypeORM writing the same rows, beside the definitions alone (Faker: no seeding beats making its values). users: UserFactory; blog: users, posts with a random author, comments on a random post by a random user (1:1:2); plain: a User factory without Faker (our own path)`,
      [
        "database",
        "rows",
        "autogen factory create()",
        "TypeORM save()",
        "TypeORM insert() (500 a call)",
        "definitions alone (no writes)",
        "create() / definitions alone",
      ],
      figures.map((f) => [
        f.dialect,
        `${f.workload} ${f.rows}`,
        rate(f.factoryRowsPerSec),
        rate(f.saveRowsPerSec),
        rate(f.insertRowsPerSec),
        rate(f.fakerRowsPerSec),
        `${Math.round((100 * f.factoryRowsPerSec) / f.fakerRowsPerSec)}%`,
      ]),
    ),
  );
  memory.push(memorySnapshot("10. seeding"));
}

/** Section 11 (./fleet.ts): one history on many schemas, fleet vs a shell loop of single-tenant runs vs TypeORM. */
async function fleetSection(): Promise<void> {
  const schemas = Number(process.env.AUTOGEN_BENCH_FLEET_SCHEMAS ?? 200);
  const figures = await benchFleet(schemas, [1, 4, 8], print);
  if (typeof figures === "string") {
    print(`\n11. Fleet: SKIPPED — ${figures}`);
    return;
  }
  print(
    formatTable(
      `11. Fleet: ${schemas} PostgreSQL schemas × 2 revisions (CPU: user + system of every process, /usr/bin/time; TypeORM's CPU is the bench process's own)`,
      FLEET_HEADERS,
      fleetRows(figures),
    ),
  );
  memory.push(memorySnapshot("11. fleet"));
}

/** Section 12 (./online.ts): a writer's latency during the plain and the online revision of the same changes. */
async function onlineSection(): Promise<void> {
  const rows = Number(process.env.AUTOGEN_BENCH_ONLINE_ROWS ?? 2_000_000);
  print(
    `\n12. Online revisions, postgres: ${rows.toLocaleString("en-US")} events, pgbench writing 200 tx/s (insert + update) during upgrade head, plain vs --online (AUTOGEN_BENCH_ONLINE_ROWS, AUTOGEN_BENCH_ONLINE_CHANGES)`,
  );
  const figures = await benchOnline(rows, print);
  const plainWorst = new Map(figures.filter((f) => f.mode === "plain").map((f) => [f.changes, f.worstLatencyMs]));
  print(
    formatTable(
      "12. Online revisions: the writer during upgrade head",
      [
        "changes",
        "revision",
        "upgrade",
        "worst write",
        "p99 write",
        "vs plain",
        "writer errors",
        "written / present",
        "check, indexes, constraints",
      ],
      figures.map((f) => [
        f.changes,
        f.mode,
        ms(f.upgradeMs),
        ms(f.worstLatencyMs),
        ms(f.p99LatencyMs),
        f.mode === "online" ? `${((100 * f.worstLatencyMs) / (plainWorst.get(f.changes) || 1)).toFixed(0)}%` : "",
        String(f.errors),
        `${f.written} / ${f.present}${f.written === f.present ? "" : " LOST"}`,
        `${f.clean ? "clean" : "DRIFT"}, ${f.invalidIndexes} invalid, ${f.unvalidatedConstraints} not validated`,
      ]),
    ),
  );
  memory.push(memorySnapshot("12. online"));
}

function memorySection(): void {
  print(
    formatTable(
      "6. Memory after each section (rss and heapUsed: process.memoryUsage; peak: getrusage maxRSS)",
      ["after", "rss", "heap used", "peak rss"],
      memory.map((m) => [m.section, mb(m.rssMb), mb(m.heapUsedMb), mb(m.peakRssMb)]),
    ),
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  print(`autogen benchmark — node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? "unknown cpu"})`);
  memory.push(memorySnapshot("start"));
  if (process.env.AUTOGEN_BENCH_ONLY === "scale-report") return savedScaleReport();
  // AUTOGEN_BENCH_ONLY=scale (=seeding, =fleet, =online) runs section 9 (10, 11, 12) alone.
  if (process.env.AUTOGEN_BENCH_ONLY === undefined) {
    await introspectSqlite();
    await introspectPostgres();
    await introspectMysql();
    await inMemorySections();
    await endToEndSection();
    await loadingSection(500, 3, print);
  }
  const only = process.env.AUTOGEN_BENCH_ONLY;
  if (only === undefined || only === "scale") await scaleSection();
  if (only === undefined || only === "seeding") await seedingSection();
  if (only === undefined || only === "fleet") await fleetSection();
  if (only === undefined || only === "online") await onlineSection();
  memorySection();
  print(`\nTotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : errorMessage(err)}\n`);
  process.exitCode = 1;
});
