/**
 * Revision files on a run that finds them missing from the disk cache (a first run, a
 * fresh checkout in CI): one TypeScript 7 process transpiles all of them, instead of
 * loading TypeScript 6 into this process and transpiling them one at a time (for a
 * 2,000-table first revision, about 1.5 s of a first `autogen check`).
 *
 * Each file is compiled on its own terms, as the per-file transpile does: no import is
 * followed (`noResolve`), nothing is type-checked. The results go into the same disk
 * cache entries the per-file transpile reads (typescript.ts `transpiledSlot`), so the
 * loader then finds them there. Whatever this cannot do — no native compiler, a file
 * with a syntax error, a file it did not emit — is left to the per-file transpile,
 * which reports errors with their line.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hashOf, readTranspiled, writeTranspiled } from "./cache.js";
import { writeFileWholeQuietly } from "../files/write-whole.js";
import { compilerEnv, compilerFailure, isCompiledSource, nativeTscPath, outputPathOf, rewriteImportMeta } from "./compiler.js";
import { loaderSettings } from "./program.js";
import { transpiledSlot } from "./typescript.js";

/** The per-file transpile's options (typescript.ts `compilerOptions`), as tsconfig JSON. */
const PER_FILE_OPTIONS = {
  module: "commonjs",
  target: "es2021",
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  inlineSourceMap: true,
  jsx: "react",
  noResolve: true,
  noCheck: true,
  noEmitOnError: false,
  skipLibCheck: true,
  // Stripping types needs no declarations: the output is the same without lib.d.ts,
  // which is most of what the compiler would otherwise read.
  types: [],
  noLib: true,
};

interface Pending {
  file: string;
  cacheDir: string;
  key: string;
}

/** One compiler run over the files the disk cache lacks: what to run, and where. */
interface Batch {
  exe: string;
  work: string;
  outDir: string;
  args: string[];
  pending: Pending[];
}

interface BatchRun {
  error?: Error | undefined;
  signal: NodeJS.Signals | null;
  status: number | null;
  stdout: string;
  stderr: string;
}

function planBatch(files: readonly string[]): Batch | undefined {
  if (!loaderSettings().cache || process.env.AUTOGEN_COMPILER === "ts6") return undefined;
  const pending: Pending[] = [];
  for (const file of files) {
    // .mts/.cts have module formats of their own; the per-file transpile handles them.
    if (!isCompiledSource(file) || !/\.tsx?$/.test(file)) continue;
    let source: Buffer;
    try {
      source = readFileSync(file);
    } catch {
      continue;
    }
    const slot = transpiledSlot(file, hashOf(source.toString("utf8")));
    if (readTranspiled(slot.cacheDir, slot.key) === undefined) pending.push({ file, ...slot });
  }
  if (pending.length === 0) return undefined;
  const exe = nativeTscPath();
  if (!exe) return undefined;
  let work: string;
  try {
    work = mkdtempSync(path.join(tmpdir(), "autogen-transpile-"));
  } catch {
    return undefined;
  }
  const outDir = path.join(work, "out");
  const options = { ...PER_FILE_OPTIONS, rootDir: path.parse(outDir).root, outDir };
  const tsconfig = path.join(work, "tsconfig.json");
  // Nowhere to write the compiler's input: the per-file transpile does the work.
  if (!writeFileWholeQuietly(tsconfig, JSON.stringify({ compilerOptions: options, files: pending.map((p) => p.file) }))) {
    rmSync(work, { recursive: true, force: true });
    return undefined;
  }
  return { exe, work, outDir, args: ["-p", tsconfig, "--pretty", "false"], pending };
}

/** Caches what the run emitted (nothing if it broke down) and removes its directory. */
function finishBatch(batch: Batch, run: BatchRun): void {
  const { work, outDir, pending } = batch;
  try {
    // A compiler that was killed or could not write leaves outputs cut short: cache none of them.
    if (
      run.error ||
      compilerFailure("tsc", { signal: run.signal, status: run.status, lines: `${run.stdout}${run.stderr}`.split(/\r?\n/) }, outDir)
    )
      return;
    // A file with a syntax error is left to the per-file transpile, which names the line.
    const broken = new Set<string>();
    for (const line of run.stdout.split(/\r?\n/)) {
      const m = /^(.+?)\(\d+,\d+\): error TS1\d\d\d: /.exec(line);
      if (m) broken.add(path.resolve(work, m[1] as string));
    }
    for (const p of pending) {
      const out = outputPathOf(outDir, p.file);
      if (broken.has(p.file) || !existsSync(out)) continue;
      writeTranspiled(p.cacheDir, p.key, rewriteImportMeta(readFileSync(out, "utf8")));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Puts every file of `files` the disk cache lacks into it, with one native compiler run. */
export function transpileAhead(files: readonly string[]): void {
  const batch = planBatch(files);
  if (!batch) return;
  const r = spawnSync(batch.exe, batch.args, { cwd: batch.work, env: compilerEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  finishBatch(batch, { error: r.error, signal: r.signal, status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" });
}

/**
 * `transpileAhead` without blocking: a command starts it together with the entities'
 * compile, and loads TypeORM meanwhile; the revision files then load from the cache.
 * It never fails (what it could not do, the per-file transpile does).
 */
export function transpileAheadAsync(files: readonly string[]): Promise<void> {
  let batch: Batch | undefined;
  try {
    batch = planBatch(files);
  } catch {
    return Promise.resolve();
  }
  if (!batch) return Promise.resolve();
  const chosen = batch;
  return new Promise<void>((resolve) => {
    let stdout = "";
    let stderr = "";
    const child = spawn(chosen.exe, chosen.args, { cwd: chosen.work, env: compilerEnv(), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    let finished = false;
    const done = (run: BatchRun) => {
      if (finished) return;
      finished = true;
      try {
        finishBatch(chosen, run);
      } catch {
        // the per-file transpile does the work
      }
      resolve();
    };
    child.on("error", (error) => done({ error, signal: null, status: null, stdout, stderr }));
    child.on("close", (status, signal) => done({ signal, status, stdout, stderr }));
  });
}
