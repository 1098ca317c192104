/**
 * Section 5: what a user waits for. `revision --autogenerate` and `upgrade head` on the
 * models-example entities against a fresh SQLite file, through the programmatic API the
 * CLI wraps, in a throwaway project; and the CLI's start-up time.
 */
import { spawnSync } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { revision, upgrade } from "../api/index.js";
import type { ConfigFile } from "../config/config.js";
import { createTempDir } from "./databases.js";
import { median, timed } from "./measure.js";

/** dist/bench/ (or src/bench/) → the repository root. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MODELS_EXAMPLE = path.join(REPO_ROOT, "models-example/entities/*.ts");
const CLI = path.join(REPO_ROOT, "dist/cli/main.js");

export interface EndToEndRun {
  autogenerateMs: number;
  upgradeMs: number;
  /** A second autogenerate on the migrated database: the models and database agree. */
  noChangeMs: number;
  ops: number;
  revisionBytes: number;
}

/** A throwaway project: its config file, pointing at models-example and a new SQLite file. */
function createProject(): { config: string; remove(): void } {
  const dir = createTempDir("autogen-bench-project-");
  const config = dir.file("autogen.config.json");
  const file: ConfigFile = { url: "sqlite:./bench.sqlite", entities: [MODELS_EXAMPLE], versionsDir: "versions" };
  writeFileSync(config, JSON.stringify(file, null, 2));
  return { config, remove: () => dir.remove() };
}

async function oneProject(): Promise<EndToEndRun> {
  const { config, remove } = createProject();
  try {
    const generated = await timed(() => revision({ config, message: "create models", autogenerate: true }));
    if (!generated.result.written) throw new Error("autogenerate found no changes on an empty database");
    const up = await timed(() => upgrade({ config, target: "head" }));
    if (up.result.steps.length !== 1) throw new Error(`upgrade head ran ${up.result.steps.length} revisions, expected 1`);
    const again = await timed(() => revision({ config, message: "nothing", autogenerate: true }));
    if (again.result.written) throw new Error("a second autogenerate wrote a revision: models and database drift");

    return {
      autogenerateMs: generated.ms,
      upgradeMs: up.ms,
      noChangeMs: again.ms,
      ops: generated.result.ops.length,
      revisionBytes: statSync(generated.result.path).size,
    };
  } finally {
    remove();
  }
}

/**
 * The first run transpiles the entity files and builds TypeORM's metadata; later runs in
 * the same process reuse the transpiled entities, which shows what the rest costs.
 */
export async function benchEndToEnd(runs: number): Promise<{ cold: EndToEndRun; warm: EndToEndRun }> {
  const all: EndToEndRun[] = [];
  for (let i = 0; i < runs; i++) all.push(await oneProject());
  const warm = all.slice(1);
  const cold = all[0]!;
  return {
    cold,
    warm: {
      autogenerateMs: median(warm.map((r) => r.autogenerateMs)),
      upgradeMs: median(warm.map((r) => r.upgradeMs)),
      noChangeMs: median(warm.map((r) => r.noChangeMs)),
      ops: cold.ops,
      revisionBytes: cold.revisionBytes,
    },
  };
}

export interface Spread {
  medianMs: number;
  minMs: number;
  maxMs: number;
}

const spread = (times: number[]): Spread => ({
  medianMs: median(times),
  minMs: Math.min(...times),
  maxMs: Math.max(...times),
});

/** Runs the CLI in a new process; a non-zero exit is a broken stage, not a slow one. */
async function cliMs(args: string[]): Promise<number> {
  const { ms, result } = await timed(() => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: REPO_ROOT }));
  if (result.status !== 0) {
    const why = (result.stderr || result.stdout || "").trim().split("\n")[0];
    throw new Error(`autogen ${args.join(" ")} exited with ${result.status}: ${why}`);
  }
  return ms;
}

/** `node dist/cli/main.js --help`, each run a new process: module loading and yargs set-up. */
export async function benchCliStartup(runs: number): Promise<Spread> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await cliMs(["--help"]));
  return spread(times);
}

/** The same cycle as a user runs it: each command a new process, in a new project each run. */
export async function benchCliEndToEnd(runs: number): Promise<{ autogenerate: Spread; upgrade: Spread; noChange: Spread }> {
  const autogenerate: number[] = [];
  const up: number[] = [];
  const noChange: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { config, remove } = createProject();
    try {
      autogenerate.push(await cliMs(["revision", "--autogenerate", "-m", "create models", "--config", config]));
      up.push(await cliMs(["upgrade", "head", "--config", config]));
      noChange.push(await cliMs(["revision", "--autogenerate", "-m", "nothing", "--config", config]));
    } finally {
      remove();
    }
  }
  return { autogenerate: spread(autogenerate), upgrade: spread(up), noChange: spread(noChange) };
}
