/**
 * Section 11: a fleet of PostgreSQL schemas (issue 19). The same two revisions applied
 * to every schema: `autogen upgrade --all-tenants` (one process) at concurrency 1, 4 and
 * 8, against a shell loop starting one `autogen upgrade` per schema (a config each), and
 * TypeORM's own way (a DataSource per schema running the same two migrations, one after
 * another, in one process). Wall and CPU time (user + system, child processes included,
 * from /usr/bin/time where present), peak RSS, and the most connections open at once
 * (pg_stat_activity, sampled by application_name during the run).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createPgDatabase, createTempDir, type TempDir } from "./databases.js";
import { mb } from "./measure.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(REPO_ROOT, "dist/cli/main.js");
const TIME = "/usr/bin/time";
const APP = "autogen_bench_fleet";

const R1 = `export const revision = "f1";
export const downRevision = null;
export function upgrade(op: any) {
  op.createTable("accounts", {
    columns: [
      { name: "id", type: "integer", nullable: false },
      { name: "email", type: "varchar", length: 200, nullable: false },
      { name: "created_at", type: "timestamp", nullable: false, default: "now()" },
    ],
    primaryKey: { name: "PK_accounts", columns: ["id"] },
  });
  op.createIndex("IDX_accounts_email", "accounts", ["email"], { unique: true });
}
export function downgrade(op: any) { op.dropTable("accounts"); }
`;
const R2 = `export const revision = "f2";
export const downRevision = "f1";
export function upgrade(op: any) { op.addColumn("accounts", { name: "plan", type: "varchar", length: 20, nullable: true }); }
export function downgrade(op: any) { op.dropColumn("accounts", "plan"); }
`;

export interface FleetFigure {
  label: string;
  wallMs: number;
  /** User + system CPU of every process involved; NaN where it could not be read. */
  cpuMs: number;
  peakRssMb: number;
  peakConnections: number;
  tenantsAtHead: number;
}

interface Run {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
}

/** Runs `argv` (through /usr/bin/time when present) and reads wall, CPU and peak RSS. */
function measured(argv: string[], cwd: string, dir: TempDir): Promise<Run> {
  const out = dir.file(`time-${Date.now()}.txt`);
  const withTime = existsSync(TIME);
  const [cmd, ...args] = withTime ? [TIME, "-f", "%U %S %M", "-o", out, ...argv] : argv;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, args, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, AUTOGEN_DATABASE_URL: "" } });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`${argv.join(" ")} exited ${code}: ${stderr.trim().split("\n").pop()}`));
      if (!withTime) return resolve({ wallMs, cpuMs: Number.NaN, peakRssMb: Number.NaN });
      const [user, sys, maxKb] = readFileSync(out, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
      resolve({ wallMs, cpuMs: (user! + sys!) * 1000, peakRssMb: maxKb! / 1024 });
    });
  });
}

/** The most connections with our application_name open at once while `work` runs. */
async function sampleConnections<T>(url: string, work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let peak = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = '${APP}'`);
      peak = Math.max(peak, (rows[0] as { n: number }).n);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    return { result: await work(), peak };
  } finally {
    running = false;
    await sampler;
    await client.end();
  }
}

async function resetSchemas(client: pg.Client, schemas: readonly string[]): Promise<void> {
  await client.query(schemas.map((s) => `DROP SCHEMA IF EXISTS ${s} CASCADE; CREATE SCHEMA ${s};`).join("\n"));
}

async function atHead(
  client: pg.Client,
  schemas: readonly string[],
  table = "autogen_version",
  column = "version_num",
  head = "f2",
): Promise<number> {
  let n = 0;
  for (const s of schemas) {
    const rows = await client.query(`SELECT ${column} AS v FROM ${s}.${table}`).catch(() => ({ rows: [] }));
    if (rows.rows.some((r: { v: unknown }) => String(r.v).includes(head))) n++;
  }
  return n;
}

/**
 * TypeORM's figure: a DataSource per schema running two migrations with the same SQL
 * (TypeORM has no fleet; this is the loop its users write), in this process.
 */
async function typeormLoop(url: string, schemas: readonly string[]): Promise<number> {
  const { DataSource } = await import("typeorm");
  const started = performance.now();
  for (const schema of schemas) {
    const q = (name: string) => `"${schema}"."${name}"`;
    class F1 {
      name = "F11700000000001";
      async up(runner: { query(sql: string): Promise<unknown> }) {
        await runner.query(
          `CREATE TABLE ${q("accounts")} ("id" integer NOT NULL, "email" varchar(200) NOT NULL, "created_at" timestamp NOT NULL DEFAULT now(), CONSTRAINT "PK_accounts" PRIMARY KEY ("id"))`,
        );
        await runner.query(`CREATE UNIQUE INDEX "IDX_accounts_email" ON ${q("accounts")} ("email")`);
      }
      async down() {}
    }
    class F2 {
      name = "F21700000000002";
      async up(runner: { query(sql: string): Promise<unknown> }) {
        await runner.query(`ALTER TABLE ${q("accounts")} ADD "plan" varchar(20)`);
      }
      async down() {}
    }
    const ds = new DataSource({ type: "postgres", url, schema, migrations: [F1, F2], migrationsTransactionMode: "each", logging: false });
    await ds.initialize();
    try {
      await ds.runMigrations();
    } finally {
      await ds.destroy();
    }
  }
  return performance.now() - started;
}

export async function benchFleet(
  schemaCount: number,
  concurrencies: readonly number[],
  log: (line: string) => void,
): Promise<FleetFigure[] | string> {
  const db = await createPgDatabase();
  if ("unavailable" in db) return `PostgreSQL unreachable: ${db.unavailable}`;
  const dir = createTempDir("autogen-bench-fleet-");
  const url = `${db.url}?application_name=${APP}`;
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const schemas = Array.from({ length: schemaCount }, (_, i) => `tenant_${String(i).padStart(4, "0")}`);
  const figures: FleetFigure[] = [];
  try {
    mkdirSync(dir.file("versions"));
    writeFileSync(dir.file("versions/f1_accounts.ts"), R1);
    writeFileSync(dir.file("versions/f2_plan.ts"), R2);
    writeFileSync(dir.file("autogen.config.json"), JSON.stringify({ url, versionsDir: "versions", tenants: { schemas } }));
    // One config per schema for the shell loop, as a loop over single-tenant runs needs.
    mkdirSync(dir.file("loop"));
    for (const s of schemas) {
      writeFileSync(dir.file(`loop/${s}.json`), JSON.stringify({ url, schema: s, versionsDir: "../versions" }));
    }
    // Warm the compile caches once, so no figure pays for a first compile.
    await resetSchemas(admin, schemas.slice(0, 1));
    await measured([process.execPath, CLI, "upgrade", "--config", `loop/${schemas[0]}.json`], dir.dir, dir);

    for (const n of concurrencies) {
      await resetSchemas(admin, schemas);
      log(`  fleet, concurrency ${n}…`);
      const { result, peak } = await sampleConnections(db.url, () =>
        measured([process.execPath, CLI, "upgrade", "--all-tenants", "--concurrency", String(n)], dir.dir, dir),
      );
      figures.push({
        label: `autogen upgrade --all-tenants --concurrency ${n}`,
        ...result,
        peakConnections: peak,
        tenantsAtHead: await atHead(admin, schemas),
      });
    }

    await resetSchemas(admin, schemas);
    log(`  shell loop, ${schemaCount} processes…`);
    const loop = `for c in loop/*.json; do "${process.execPath}" "${CLI}" upgrade --config "$c" >/dev/null || exit 1; done`;
    const { result, peak } = await sampleConnections(db.url, () => measured(["bash", "-c", loop], dir.dir, dir));
    figures.push({
      label: `shell loop: ${schemaCount} × autogen upgrade`,
      ...result,
      peakConnections: peak,
      tenantsAtHead: await atHead(admin, schemas),
    });

    await resetSchemas(admin, schemas);
    log("  TypeORM, a DataSource per schema…");
    const cpu0 = process.cpuUsage();
    const { result: typeormMs, peak: typeormPeak } = await sampleConnections(db.url, () => typeormLoop(url, schemas));
    const cpu = process.cpuUsage(cpu0);
    figures.push({
      label: `TypeORM: ${schemaCount} × DataSource.runMigrations() in one process`,
      wallMs: typeormMs,
      // The bench process's own CPU (it also samples connections); its RSS is the bench's own.
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: Number.NaN,
      peakConnections: typeormPeak,
      tenantsAtHead: await atHead(admin, schemas, "migrations", "name", "F2"),
    });
  } finally {
    await admin.end();
    await db.drop();
    dir.remove();
  }
  return figures;
}

export const fleetRows = (figures: readonly FleetFigure[]): string[][] => {
  const loop = figures.find((f) => f.label.startsWith("shell loop"));
  const s = (ms: number) => (Number.isNaN(ms) ? "-" : `${(ms / 1000).toFixed(2)} s`);
  return figures.map((f) => [
    f.label,
    s(f.wallMs),
    s(f.cpuMs),
    loop && f !== loop ? `${(loop.wallMs / f.wallMs).toFixed(1)}× / ${(loop.cpuMs / f.cpuMs).toFixed(1)}×` : "1.0×",
    String(f.peakConnections),
    Number.isNaN(f.peakRssMb) ? "-" : mb(f.peakRssMb),
    String(f.tenantsAtHead),
  ]);
};

export const FLEET_HEADERS = ["run", "wall", "CPU", "loop ÷ this (wall / CPU)", "peak connections", "peak RSS", "at head"];
