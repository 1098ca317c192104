/**
 * Section 12: online revisions on PostgreSQL. A table of `rows` events (2,000,000 by
 * default) takes writes from pgbench at 200 transactions/s (an insert and an update
 * each) while `upgrade head` applies the same change set twice — as the plain revision
 * autogenerate writes, and as the `--online` one — on copies of one database. Figures:
 * the writer's worst latency and errors during each, rows it wrote against rows present
 * afterwards (no write lost), the upgrade's duration; then the result is checked against
 * the models (`check` clean, every index valid, every constraint validated).
 *
 * The writer runs in 3-second pgbench runs back to back (each flushes its per-transaction
 * log when it ends), from 2 s before the upgrade to 1 s after it; a transaction's latency
 * is its time plus its schedule lag (time waited before it could start).
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { check } from "../api/check.js";
import { upgrade } from "../api/migrate.js";
import { revision } from "../api/revision.js";
import { createTempDir, PG_ADMIN_URL } from "./databases.js";
import { CHANGE_KINDS, CHANGE_LABELS, fillStatements, writeOnlineProject, writerStatements, type ChangeKind } from "./online-project.js";

const ACCOUNTS = 1000;
const WRITER_RATE = 200;
const WRITER_CLIENTS = 8;
const CHUNK_SECONDS = 3;

export interface OnlineFigure {
  changes: string;
  mode: "plain" | "online";
  upgradeMs: number;
  worstLatencyMs: number;
  /** 99th percentile latency of the writer's transactions during the run. */
  p99LatencyMs: number;
  transactions: number;
  errors: number;
  written: number;
  present: number;
  clean: boolean;
  invalidIndexes: number;
  unvalidatedConstraints: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function urlOf(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function onDatabase<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

interface WriterResult {
  latenciesMs: number[];
  errors: number;
}

/** pgbench runs back to back until `stop` is called; the per-transaction logs read when it returns. */
function startWriter(url: string, dir: string, events: number): { stop(): Promise<WriterResult> } {
  mkdirSync(dir, { recursive: true });
  const writer = writerStatements(ACCOUNTS, events);
  const script = path.join(dir, "writer.sql");
  writeFileSync(script, `${writer.setup}\nBEGIN;\n${writer.sql.map((s) => `${s};`).join("\n")}\nEND;\n`);
  let stopping = false;
  let errors = 0;
  let chunk = 0;
  const loop = (async () => {
    while (!stopping) {
      chunk += 1;
      const args = ["-n", "-f", script, "-R", String(WRITER_RATE), "-T", String(CHUNK_SECONDS), "-c", String(WRITER_CLIENTS), "-j", "2"];
      args.push("-l", `--log-prefix=${path.join(dir, `chunk${chunk}`)}`, url);
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn("pgbench", args, { stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        child.stdout.resume();
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("close", (c) => resolve({ code: c, stderr: err }));
      });
      // A failed statement aborts its client (pgbench counts it and exits non-zero).
      errors += (stderr.match(/aborted|ERROR/g) ?? []).length;
      if (code !== 0 && errors === 0) errors += 1;
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      const latenciesMs: number[] = [];
      for (const file of readdirSync(dir).filter((f) => f.startsWith("chunk"))) {
        for (const line of readFileSync(path.join(dir, file), "utf8").split("\n")) {
          const f = line.trim().split(/\s+/);
          if (f.length < 6) continue;
          const time = Number(f[2]);
          const lag = f.length >= 7 ? Number(f[6]) : 0;
          if (Number.isFinite(time)) latenciesMs.push((time + (Number.isFinite(lag) ? lag : 0)) / 1000);
        }
      }
      return { latenciesMs, errors };
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** The template database: the "before" schema through autogen, filled with `rows` events. */
async function makeTemplate(name: string, rows: number, dir: string): Promise<string> {
  await adminQuery(`CREATE DATABASE "${name}"`);
  const project = writeOnlineProject(dir, urlOf(name));
  await revision({ config: project.config, message: "events and accounts", autogenerate: true });
  await upgrade({ config: project.config, target: "head" });
  await onDatabase(urlOf(name), async (c) => {
    for (const sql of fillStatements(ACCOUNTS, rows)) await c.query(sql);
    await c.query("VACUUM ANALYZE events");
  });
  return path.join(dir, "versions");
}

async function runOne(
  template: string,
  versions: string,
  rows: number,
  changes: ReadonlySet<ChangeKind>,
  label: string,
  mode: "plain" | "online",
  work: string,
): Promise<OnlineFigure> {
  const name = `${template}_${mode}`;
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const url = urlOf(name);
  try {
    const dir = path.join(work, `${label.replace(/\W+/g, "_")}_${mode}`);
    const project = writeOnlineProject(dir, url);
    cpSync(versions, path.join(dir, "versions"), { recursive: true });
    project.models(changes);
    await revision({ config: project.config, message: `${label} (${mode})`, autogenerate: true, online: mode === "online" });
    const writer = startWriter(url, path.join(dir, "writer"), rows);
    await sleep(2000);
    const started = performance.now();
    await upgrade({ config: project.config, target: "head" });
    const upgradeMs = performance.now() - started;
    await sleep(1000);
    const result = await writer.stop();
    const sorted = [...result.latenciesMs].sort((a, b) => a - b);
    const checked = await check({ config: project.config });
    const db = await onDatabase(url, async (c) => {
      const [present] = (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE payload = 'writer'")).rows;
      const [invalid] = (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid")).rows;
      const [unvalidated] = (
        await c.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND NOT c.convalidated",
        )
      ).rows;
      return { present: present!.n, invalid: invalid!.n, unvalidated: unvalidated!.n };
    });
    return {
      changes: label,
      mode,
      upgradeMs,
      worstLatencyMs: sorted.at(-1) ?? 0,
      p99LatencyMs: percentile(sorted, 0.99),
      transactions: sorted.length,
      errors: result.errors,
      written: sorted.length,
      present: db.present,
      clean: checked.ok,
      invalidIndexes: db.invalid,
      unvalidatedConstraints: db.unvalidated,
    };
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

/** The change sets: each kind alone, then all five together (AUTOGEN_BENCH_ONLINE_CHANGES picks: "index,bigint,all"). */
export function onlineChangeSets(): { label: string; changes: Set<ChangeKind> }[] {
  const wanted = (process.env.AUTOGEN_BENCH_ONLINE_CHANGES ?? [...CHANGE_KINDS, "all"].join(",")).split(",").map((s) => s.trim());
  return wanted.map((w) =>
    w === "all"
      ? { label: "all five together", changes: new Set<ChangeKind>(CHANGE_KINDS) }
      : { label: CHANGE_LABELS[w as ChangeKind] ?? w, changes: new Set<ChangeKind>([w as ChangeKind]) },
  );
}

export async function benchOnline(rows: number, print: (line: string) => void): Promise<OnlineFigure[]> {
  const tmp = createTempDir("autogen-bench-online-");
  const template = `autogen_bench_online_${process.pid}`;
  const figures: OnlineFigure[] = [];
  try {
    const started = performance.now();
    const versions = await makeTemplate(template, rows, path.join(tmp.dir, "template"));
    print(`   ${rows.toLocaleString("en-US")} events loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const set of onlineChangeSets()) {
      for (const mode of ["plain", "online"] as const) {
        const figure = await runOne(template, versions, rows, set.changes, set.label, mode, tmp.dir);
        print(
          `   ${set.label}, ${mode}: upgrade ${(figure.upgradeMs / 1000).toFixed(1)} s, worst write ${figure.worstLatencyMs.toFixed(0)} ms, errors ${figure.errors}, written ${figure.written} / present ${figure.present}, check ${figure.clean ? "clean" : "DRIFT"}`,
        );
        figures.push(figure);
      }
    }
    return figures;
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`).catch(() => undefined);
    rmSync(tmp.dir, { recursive: true, force: true });
  }
}
