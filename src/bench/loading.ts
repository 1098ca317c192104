/**
 * Section 7: loading real .ts entities, side by side with TypeORM, in one run.
 *
 * A throwaway project of N decorated entity files (.ts, each with 8 columns, a foreign
 * key to the previous one, a unique constraint and an index) on a fresh PostgreSQL
 * database brought to head once (not measured). Then, each a new process:
 * - `autogen check` with an empty cache (a first run ever: revision files transpiled too);
 * - `autogen check` cold, the usual case: one entity file edited since the last run, so
 *   the whole program is compiled again — with TypeScript 7's native tsc (the default)
 *   and with the in-process TypeScript 6 compiler (AUTOGEN_COMPILER=ts6);
 * - `autogen check` with a warm cache;
 * - TypeORM's own diff of the same entities: the .ts files loaded with decorator
 *   metadata the fastest way TypeORM users do (a per-file transpile on require, what
 *   `ts-node --transpile-only` does), `initialize()` (builds metadata), then
 *   `driver.createSchemaBuilder().log()`. The entities use no imported type aliases,
 *   so that this fastest way is also correct for them (with one, TypeORM fails:
 *   the per-file transpile makes it `Object`).
 * Wall time is measured around the process; peak RSS is the largest process of the
 * run's tree (GNU time's %M, from wait4), so autogen's cold figure includes its tsc child.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPgDatabase, createTempDir, PG_ADMIN_URL } from "./databases.js";
import { mb, median, ms } from "./measure.js";
import { formatTable } from "./table.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(REPO_ROOT, "dist/cli/main.js");
const GNU_TIME = "/usr/bin/time";

const className = (i: number) => `Bench${String(i).padStart(4, "0")}`;
const tableOf = (i: number) => `bench_${String(i).padStart(4, "0")}`;

function entitySource(i: number): string {
  const parent = i === 0 ? 0 : i - 1;
  const importParent = parent === i ? "" : `import { ${className(parent)} } from "./${tableOf(parent)}";\n`;
  const t = tableOf(i);
  return `import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
${importParent}
@Entity("${t}")
@Unique("UQ_${t}_code", ["code"])
@Index("IDX_${t}_title", ["title"])
export class ${className(i)} {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "integer", nullable: true })
  parent_id?: number;

  @Column({ length: 40 })
  code!: string;

  @Column({ length: 200 })
  title!: string;

  @Column({ type: "text", nullable: true })
  body?: string;

  @Column({ type: "numeric", precision: 10, scale: 2, default: 0 })
  amount!: string;

  @Column({ default: true })
  active!: boolean;

  @CreateDateColumn({ type: "timestamp" })
  created_at!: Date;

  @ManyToOne(() => ${className(parent)}, { onDelete: "CASCADE" })
  @JoinColumn({ name: "parent_id" })
  parent?: ${className(parent)};
}
`;
}

/** What TypeORM users run: .ts loaded through a per-file transpile, then the schema builder's diff. */
const TYPEORM_SCRIPT = `
const ts = require(${JSON.stringify(path.join(REPO_ROOT, "node_modules/typescript"))});
const fs = require("node:fs");
require.extensions[".ts"] = (module, file) => {
  const out = ts.transpileModule(fs.readFileSync(file, "utf8"), { fileName: file, compilerOptions: {
    module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2021, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true } });
  module._compile(out.outputText, file);
};
require("reflect-metadata");
const { DataSource } = require("typeorm");
(async () => {
  const ds = new DataSource({ type: "postgres", url: process.env.BENCH_PG_URL, entities: [process.cwd() + "/src/entities/*.ts"] });
  await ds.initialize();
  const log = await ds.driver.createSchemaBuilder().log();
  await ds.destroy();
  process.stdout.write(JSON.stringify({ up: log.upQueries.length }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

interface ProcessRun {
  ms: number;
  /** User + system CPU time of the process and its children: steadier than wall time on a busy machine. */
  cpuMs: number;
  peakRssMb: number;
  stdout: string;
}

function runProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv): ProcessRun {
  const timing = existsSync(GNU_TIME);
  const command = timing ? GNU_TIME : process.execPath;
  const argv = timing ? ["-f", "BENCH_RSS_KB %M BENCH_CPU_S %U %S", process.execPath, ...args] : args;
  const start = performance.now();
  const r = spawnSync(command, argv, { cwd, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  const elapsed = performance.now() - start;
  const rss = /BENCH_RSS_KB (\d+)/.exec(r.stderr ?? "");
  const cpu = /BENCH_CPU_S ([\d.]+) ([\d.]+)/.exec(r.stderr ?? "");
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout || "")
      .replace(/BENCH_RSS_KB.*/, "")
      .trim()
      .split("\n")[0];
    throw new Error(`${args[0] === "-e" ? "TypeORM's diff" : args.slice(1, 3).join(" ")} exited with ${r.status}: ${why}`);
  }
  return {
    ms: elapsed,
    cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : Number.NaN,
    peakRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
    stdout: r.stdout,
  };
}

interface Row {
  label: string;
  runs: ProcessRun[];
}

export function createProject(entities: number, url: string): { dir: string; cache: string; remove(): void } {
  const tmp = createTempDir("autogen-bench-loading-");
  const dir = tmp.file("project");
  mkdirSync(path.join(dir, "src/entities"), { recursive: true });
  // A project's own node_modules, holding the packages its entities import.
  mkdirSync(path.join(dir, "node_modules"));
  for (const pkg of ["typeorm", "reflect-metadata"]) {
    symlinkSync(path.join(REPO_ROOT, "node_modules", pkg), path.join(dir, "node_modules", pkg));
  }
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-project", private: true }));
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "commonjs",
        target: "ES2021",
        strict: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        esModuleInterop: true,
        skipLibCheck: true,
      },
      include: ["src"],
    }),
  );
  writeFileSync(path.join(dir, "autogen.config.json"), JSON.stringify({ url, entities: ["src/entities/*.ts"], versionsDir: "versions" }));
  for (let i = 0; i < entities; i++) writeFileSync(path.join(dir, "src/entities", `${tableOf(i)}.ts`), entitySource(i));
  return { dir, cache: path.join(dir, "node_modules/.cache/autogen"), remove: () => tmp.remove() };
}

const fmtRow = (row: Row, baseline: ProcessRun): string[] => {
  const times = row.runs.map((r) => r.ms);
  const t = median(times);
  const cpu = median(row.runs.map((r) => r.cpuMs));
  return [
    row.label,
    ms(t),
    `${ms(Math.min(...times))}..${ms(Math.max(...times))}`,
    `${(baseline.ms / t).toFixed(1)}×`,
    ms(cpu),
    `${(baseline.cpuMs / cpu).toFixed(1)}×`,
    mb(median(row.runs.map((r) => r.peakRssMb))),
  ];
};

export async function loadingSection(entities: number, runs: number, print: (text: string) => void): Promise<void> {
  const title = `7. Loading ${entities} .ts entities and diffing them against PostgreSQL, each a new process (median of ${runs})`;
  const db = await createPgDatabase();
  if ("unavailable" in db) {
    print(`\n${title}: SKIPPED — PostgreSQL unreachable at ${PG_ADMIN_URL}: ${db.unavailable}`);
    return;
  }
  const project = createProject(entities, db.url);
  try {
    const env = { AUTOGEN_DATABASE_URL: "", AUTOGEN_NO_CACHE: "", AUTOGEN_COMPILER: "" };
    // Set-up, not measured: the database at head.
    runProcess([CLI, "revision", "--autogenerate", "-m", "bench"], project.dir, env);
    runProcess([CLI, "upgrade", "head"], project.dir, env);

    const typeorm: Row = { label: "TypeORM: per-file transpile on require + initialize() + schema builder log()", runs: [] };
    const empty: Row = { label: "autogen check, empty cache (first run ever; TypeScript 7 native tsc)", runs: [] };
    const edited: Row = { label: "autogen check, cold: one entity edited (TypeScript 7 native tsc)", runs: [] };
    const editedTs6: Row = { label: "autogen check, cold: one entity edited (TypeScript 6 in process)", runs: [] };
    const warm: Row = { label: "autogen check, warm cache", runs: [] };
    const touched = path.join(project.dir, "src/entities", `${tableOf(entities - 1)}.ts`);
    const edit = (i: number, tag: string) => appendFileSync(touched, `// edit ${tag} ${i}\n`);
    // Interleaved, so that a busy moment on the machine spreads over every row.
    for (let i = 0; i < runs; i++) {
      const t = runProcess(["-e", TYPEORM_SCRIPT], project.dir, { BENCH_PG_URL: db.url });
      const pending = (JSON.parse(t.stdout) as { up: number }).up;
      if (pending !== 0) throw new Error(`TypeORM's schema builder still has ${pending} queries: the bench schema is not at head`);
      typeorm.runs.push(t);
      rmSync(project.cache, { recursive: true, force: true });
      empty.runs.push(runProcess([CLI, "check"], project.dir, env));
      warm.runs.push(runProcess([CLI, "check"], project.dir, env));
      edit(i, "a");
      edited.runs.push(runProcess([CLI, "check"], project.dir, env));
      edit(i, "b");
      editedTs6.runs.push(runProcess([CLI, "check"], project.dir, { ...env, AUTOGEN_COMPILER: "ts6" }));
    }
    const baseline = {
      ms: median(typeorm.runs.map((r) => r.ms)),
      cpuMs: median(typeorm.runs.map((r) => r.cpuMs)),
      peakRssMb: 0,
      stdout: "",
    };
    print(
      formatTable(
        title,
        ["process", "wall", "min..max", "vs TypeORM", "cpu (user+sys)", "vs TypeORM", "peak rss"],
        [typeorm, empty, edited, editedTs6, warm].map((row) => fmtRow(row, baseline)),
      ),
    );
  } finally {
    project.remove();
    await db.drop();
  }
}
