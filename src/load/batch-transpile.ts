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
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hashOf, readTranspiled, writeTranspiled } from "./cache.js";
import { writeFileWholeQuietly } from "../files/write-whole.js";
import { compilerFailure, isCompiledSource, nativeTscPath, outputPathOf, rewriteImportMeta } from "./compiler.js";
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

/** Puts every file of `files` the disk cache lacks into it, with one native compiler run. */
export function transpileAhead(files: readonly string[]): void {
  if (!loaderSettings().cache || process.env.AUTOGEN_COMPILER === "ts6") return;
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
  if (pending.length === 0) return;
  const exe = nativeTscPath();
  if (!exe) return;
  let work: string;
  try {
    work = mkdtempSync(path.join(tmpdir(), "autogen-transpile-"));
  } catch {
    return;
  }
  try {
    const outDir = path.join(work, "out");
    const options = { ...PER_FILE_OPTIONS, rootDir: path.parse(outDir).root, outDir };
    const tsconfig = path.join(work, "tsconfig.json");
    // Nowhere to write the compiler's input: the per-file transpile does the work.
    if (!writeFileWholeQuietly(tsconfig, JSON.stringify({ compilerOptions: options, files: pending.map((p) => p.file) }))) return;
    const run = spawnSync(exe, ["-p", tsconfig, "--pretty", "false"], { cwd: work, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    // A compiler that was killed or could not write leaves outputs cut short: cache none of them.
    if (
      run.error ||
      compilerFailure(
        "tsc",
        { signal: run.signal, status: run.status, lines: `${run.stdout ?? ""}${run.stderr ?? ""}`.split(/\r?\n/) },
        outDir,
      )
    )
      return;
    // A file with a syntax error is left to the per-file transpile, which names the line.
    const broken = new Set<string>();
    for (const line of `${run.stdout ?? ""}`.split(/\r?\n/)) {
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
