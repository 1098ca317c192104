/**
 * Compiles the user's entity files as one program before they are loaded, so that the
 * loader (typescript.ts) evaluates the project's own emit, not a file-at-a-time
 * transpile. Results come from the persistent cache when nothing they were built from
 * changed (cache.ts), else from the compiler (compiler.ts).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { writeFileWhole } from "../files/write-whole.js";
import path from "node:path";
import {
  buildManifest,
  commitEntry,
  defaultCacheDir,
  hashFile,
  hashOf,
  inNodeModules,
  manifestIsFresh,
  readManifest,
  scratchDirFor,
  CACHE_FORMAT,
} from "./cache.js";
import { appTypeScriptVersion } from "./app-typescript.js";
import { chooseCompiler, isCompiledSource, outputPathOf, type Compiler, type ProgramEmit } from "./compiler.js";
import { locateTsconfig, tsconfigChain } from "./tsconfig.js";

export interface LoaderSettings {
  /** False: compile every time and keep nothing (`--no-cache`). */
  cache: boolean;
  /** Cache directory (the config's `cache` field); default: node_modules/.cache/autogen of the project. */
  cacheDir?: string;
}

/** What the loader did in this process; tests assert on it (a warm run compiles nothing). */
export interface LoaderStats {
  programCompiles: number;
  programCacheHits: number;
  transpiles: number;
  transpileCacheHits: number;
  /** Model reads answered by the models cache (models/model-cache.ts): no entity module evaluated. */
  modelCacheHits: number;
}

interface ProgramState {
  settings: LoaderSettings;
  stats: LoaderStats;
  /** Emitted code of compiled sources, with the hash of the source it came from. */
  emits: Map<string, { hash: string; code: string }>;
  notesShown: Set<string>;
  /** `paths` aliases of the compiled projects, most specific pattern first. */
  aliases: Array<{ prefix: string; suffix: string; targets: string[] }>;
  compiler?: Compiler;
  /** An entry prefetchProgram found fresh and took from the cache, for the read that follows. */
  prefetched?: { entryDir: string; fingerprint: string } | undefined;
  /** A compile prefetchProgram started and nobody has waited for yet. */
  prefetch?: { done: Promise<void>; abort: AbortController } | undefined;
}

const STATE_KEY = Symbol.for("autogen.load.program");
const state: ProgramState = ((globalThis as Record<symbol, unknown>)[STATE_KEY] as ProgramState | undefined) ?? {
  settings: { cache: true },
  stats: { programCompiles: 0, programCacheHits: 0, transpiles: 0, transpileCacheHits: 0, modelCacheHits: 0 },
  emits: new Map(),
  notesShown: new Set(),
  aliases: [],
};
(globalThis as Record<symbol, unknown>)[STATE_KEY] = state;

export function configureLoader(settings: Partial<LoaderSettings>): void {
  if (settings.cache !== undefined) state.settings.cache = settings.cache;
  if ("cacheDir" in settings) {
    if (settings.cacheDir === undefined) delete state.settings.cacheDir;
    else state.settings.cacheDir = settings.cacheDir;
  }
}

/**
 * `--no-cache` reaches us through the environment, so the CLI need not load this module
 * to parse flags. It is read at each call, not folded into the settings: one command's
 * `--no-cache` must not outlive it when several commands run in one process (tests).
 */
export function loaderSettings(): Readonly<LoaderSettings> {
  if (process.env.AUTOGEN_NO_CACHE === "1") return { ...state.settings, cache: false };
  return state.settings;
}

export function loaderStats(): LoaderStats {
  return { ...state.stats };
}

/** Counted by the models cache. */
export function countModelCacheHit(): void {
  state.stats.modelCacheHits++;
}

/** Counted by the per-file transpiler in typescript.ts. */
export function countTranspile(fromCache: boolean): void {
  if (fromCache) state.stats.transpileCacheHits++;
  else state.stats.transpiles++;
}

/** The program emit of `file`, if it was compiled from exactly this source text. */
export function programEmitOf(file: string, sourceHash: string): string | undefined {
  const emit = state.emits.get(file);
  return emit && emit.hash === sourceHash ? emit.code : undefined;
}

export function cacheDirFor(startDir: string): string {
  return state.settings.cacheDir ?? defaultCacheDir(startDir);
}

function compiler(): Compiler {
  state.compiler ??= chooseCompiler(tsconfigChain);
  return state.compiler;
}

function showNotes(tsconfig: string | undefined, notes: readonly string[]): void {
  for (const note of notes) {
    const line = `${tsconfig ?? "autogen"}: ${note}`;
    if (state.notesShown.has(line)) continue;
    state.notesShown.add(line);
    process.stderr.write(`autogen: note: ${line}\n`);
  }
}

export interface PrepareOptions {
  /** Directory of the autogen config: where the nearest tsconfig is looked up from. */
  baseDir: string;
  /** The config's `tsconfig` field (relative to baseDir). */
  tsconfig?: string;
}

/**
 * Makes `entries` (and everything they import) load from one whole-program emit.
 * JavaScript entries are left alone: they load as they are.
 *
 * Returns a fingerprint of everything the emit was built from (compiler, tsconfigs,
 * every file the program read), or undefined when the emit was not cached: the models
 * cache keys on it, since type-only imports shape decorator metadata without ever
 * being evaluated.
 */
export function prepareProgram(entries: readonly string[], options: PrepareOptions): string | undefined {
  const plan = planProgram(entries, options);
  if (!plan) return "no-typescript";
  const prefetched = state.prefetched;
  state.prefetched = undefined;
  // A prefetch found this very entry fresh and registered its emits already.
  if (prefetched && prefetched.entryDir === plan.entryDir && loaderSettings().cache) return prefetched.fingerprint;
  const hit = fromCache(plan);
  if (hit !== undefined) return hit;
  const begun = beginCompile(plan);
  let emitted: ProgramEmit;
  try {
    emitted = plan.compiler.compile({
      entries: plan.sources,
      tsconfig: plan.tsconfig,
      outDir: begun.outDir,
      appTypeScript: plan.appTypeScript,
    });
  } catch (err) {
    rmSync(begun.scratch, { recursive: true, force: true });
    throw err;
  }
  return endCompile(plan, begun, emitted);
}

/**
 * Compiles `entries` into the cache without blocking (the compiler runs in a process of
 * its own), so a command can read its revision files and connect meanwhile; the
 * models' `prepareProgram` then finds the entry warm. It never fails: a compile that
 * goes wrong here is done again by `prepareProgram`, which reports the error.
 */
export function prefetchProgram(entries: readonly string[], options: PrepareOptions): void {
  if (state.prefetch || !loaderSettings().cache) return;
  let plan: ProgramPlan | undefined;
  try {
    plan = planProgram(entries, options);
  } catch {
    return;
  }
  const compileAsync = plan?.compiler.compileAsync?.bind(plan.compiler);
  if (!plan || !compileAsync) return;
  // Fresh: take it now (the read then finds it taken) rather than hash every source twice.
  const fingerprint = fromCache(plan);
  if (fingerprint !== undefined) {
    state.prefetched = { entryDir: plan.entryDir, fingerprint };
    return;
  }
  const chosen = plan;
  const begun = beginCompile(chosen);
  const abort = new AbortController();
  const done = compileAsync(
    { entries: chosen.sources, tsconfig: chosen.tsconfig, outDir: begun.outDir, appTypeScript: chosen.appTypeScript },
    abort.signal,
  )
    .then((emitted) => void endCompile(chosen, begun, emitted, false))
    .catch(() => rmSync(begun.scratch, { recursive: true, force: true }));
  state.prefetch = { done, abort };
}

/** Whether a compile `prefetchProgram` started is still to be waited for (a cold or edited run). */
export function compilePending(): boolean {
  return state.prefetch !== undefined;
}

/** Waits for a compile `prefetchProgram` started, if any. */
export async function prefetchDone(): Promise<void> {
  const pending = state.prefetch;
  if (!pending) return;
  await pending.done;
  state.prefetch = undefined;
}

/**
 * Stops a compile nobody waited for (the command failed before it read the models), so
 * the process does not stay alive for it; its scratch directory is removed.
 */
export async function cancelPrefetch(): Promise<void> {
  // An entry taken for a read that never came is not this command's to hand on.
  state.prefetched = undefined;
  const pending = state.prefetch;
  if (!pending) return;
  pending.abort.abort();
  await pending.done;
  state.prefetch = undefined;
}

interface ProgramPlan {
  sources: string[];
  tsconfig: string | undefined;
  tsconfigs: Record<string, string>;
  compiler: Compiler;
  /** The project's TypeScript version: its defaults shape the emit. */
  appTypeScript: string;
  /** What the emit depends on besides the files: our compiler's version and the app's TypeScript's. */
  version: string;
  entryDir: string;
}

function planProgram(entries: readonly string[], options: PrepareOptions): ProgramPlan | undefined {
  const sources = [...new Set(entries.filter(isCompiledSource).map((f) => path.resolve(f)))].sort();
  if (sources.length === 0) return undefined;
  const tsconfig = locateTsconfig(options.baseDir, options.tsconfig);
  const tsconfigs: Record<string, string> = {};
  for (const file of tsconfig ? tsconfigChain(tsconfig) : []) tsconfigs[file] = hashFile(file) ?? "missing";
  const c = compiler();
  const appTypeScript = appTypeScriptVersion(tsconfig ? path.dirname(tsconfig) : options.baseDir);
  const version = `${c.version}; app typescript ${appTypeScript}`;
  const key = hashOf(JSON.stringify([CACHE_FORMAT, c.name, c.version, tsconfig ?? null, sources]));
  const entryDir = path.join(cacheDirFor(options.baseDir), "programs", key);
  return { sources, tsconfig, tsconfigs, compiler: c, appTypeScript, version, entryDir };
}

/** The entry's fingerprint when it is fresh, its emits registered for the loader. */
function fromCache(plan: ProgramPlan): string | undefined {
  if (!loaderSettings().cache) return undefined;
  const hashes = new Map<string, string>();
  const manifest = readManifest(plan.entryDir);
  const cached =
    manifest && manifestIsFresh(manifest, plan.version, plan.tsconfigs, hashes)
      ? readEntry(plan.entryDir, manifest.outputs, hashes)
      : undefined;
  if (!manifest || !cached) return undefined;
  for (const [source, emit] of cached) state.emits.set(source, emit);
  state.stats.programCacheHits++;
  showNotes(plan.tsconfig, manifest.notes);
  registerAliases(manifest.paths ?? {});
  return hashOf(JSON.stringify(manifest));
}

interface Begun {
  scratch: string;
  outDir: string;
  /** Files written after this may differ from what was compiled. */
  started: number;
}

function beginCompile(plan: ProgramPlan): Begun {
  const scratch = scratchDirFor(plan.entryDir);
  if (loaderSettings().cache) adoptPreviousEmit(plan.entryDir, scratch);
  return { scratch, outDir: path.join(scratch, "out"), started: Date.now() - 1 };
}

/**
 * Registers a compile's emits for the loader (`use`: false for a prefetch, which only
 * fills the cache) and commits the entry. Files are hashed after the compile (only then
 * is the program's file list known); a file written since the compile started may
 * differ from what was compiled: its emit is not used (the loader transpiles it alone)
 * and the entry is not kept.
 */
function endCompile(plan: ProgramPlan, begun: Begun, emitted: ProgramEmit, use = true): string | undefined {
  const { scratch, outDir, started } = begun;
  if (use) state.stats.programCompiles++;
  const hashes = new Map<string, string>();
  let raced = false;
  for (const file of emitted.programFiles) {
    if (inNodeModules(file)) continue;
    if (writtenSince(file, started)) {
      raced = true;
      continue;
    }
    const h = hashFile(file);
    if (h) hashes.set(file, h);
  }
  const outputs: string[] = [];
  for (const [source, code] of emitted.outputs) {
    const hash = hashes.get(source);
    if (hash === undefined) continue;
    if (use) state.emits.set(source, { hash, code });
    outputs.push(source);
  }
  if (use) {
    showNotes(plan.tsconfig, emitted.notes);
    registerAliases(emitted.paths);
  }
  if (!loaderSettings().cache || raced) {
    rmSync(scratch, { recursive: true, force: true });
    return undefined;
  }
  // The native compiler wrote its output into scratch/out already (the in-process one
  // did not); only what the loader changed (.mts made CommonJS, import.meta) is rewritten.
  rewriteOutputs(outDir, emitted.outputs, emitted.onDisk);
  const manifest = buildManifest(plan.version, plan.tsconfigs, emitted.programFiles, hashes, outputs, emitted.notes, emitted.paths);
  commitEntry(scratch, plan.entryDir, manifest);
  return hashOf(JSON.stringify(manifest));
}

/**
 * Takes the entry's previous emit (stale, or we would not be compiling) as the starting
 * point of this compile, so an incremental compiler emits only what changed. Its
 * manifest goes: until the new one is committed, nobody may trust these outputs.
 * Another process compiling the same entry at the same time simply starts from nothing.
 */
function adoptPreviousEmit(entryDir: string, scratch: string): void {
  if (!existsSync(path.join(entryDir, "out"))) return;
  try {
    rmSync(scratch, { recursive: true, force: true });
    renameSync(entryDir, scratch);
    rmSync(path.join(scratch, "manifest.json"), { force: true });
  } catch {
    mkdirSync(scratch, { recursive: true });
  }
}

/** The outputs of a fresh entry; undefined if one is missing (the entry is then rebuilt). */
function readEntry(
  entryDir: string,
  outputs: readonly string[],
  hashes: ReadonlyMap<string, string>,
): Map<string, { hash: string; code: string }> | undefined {
  const result = new Map<string, { hash: string; code: string }>();
  for (const source of outputs) {
    const hash = hashes.get(source);
    if (hash === undefined) return undefined;
    try {
      result.set(source, { hash, code: readFileSync(outputPathOf(path.join(entryDir, "out"), source), "utf8") });
    } catch {
      return undefined;
    }
  }
  return result;
}

/** Stores the (import.meta-rewritten) outputs as they will be evaluated. */
function rewriteOutputs(outDir: string, outputs: ReadonlyMap<string, string>, onDisk: ReadonlySet<string>): void {
  for (const [source, code] of outputs) {
    if (onDisk.has(source)) continue;
    const file = outputPathOf(outDir, source);
    try {
      writeOutput(file, code);
    } catch {
      // A missing output makes the entry unreadable, so it is rebuilt next time.
    }
  }
}

/** Modified between `time` and now (a file dated in the future, as archives may leave it, is not). */
function writtenSince(file: string, time: number): boolean {
  try {
    const mtime = statSync(file).mtimeMs;
    return mtime >= time && mtime <= Date.now() + 1000;
  } catch {
    return true;
  }
}

function writeOutput(file: string, code: string): void {
  writeFileWhole(file, code);
}

function registerAliases(paths: Record<string, string[]>): void {
  for (const [pattern, targets] of Object.entries(paths)) {
    const star = pattern.indexOf("*");
    const prefix = star < 0 ? pattern : pattern.slice(0, star);
    const suffix = star < 0 ? "" : pattern.slice(star + 1);
    if (state.aliases.some((a) => a.prefix === prefix && a.suffix === suffix && a.targets.join() === targets.join())) continue;
    state.aliases.push({ prefix: star < 0 ? pattern : prefix, suffix: star < 0 ? "\0exact" : suffix, targets });
  }
  // As TypeScript does: the longest prefix before the wildcard wins.
  state.aliases.sort((a, b) => b.prefix.length - a.prefix.length);
}

const RESOLVABLE = ["", ".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json", "/index.ts", "/index.tsx", "/index.js"];
const SOURCE_OF = { ".js": ".ts", ".mjs": ".mts", ".cjs": ".cts" } as Record<string, string>;

function existingFile(candidate: string): string | undefined {
  for (const ext of RESOLVABLE) {
    const file = candidate + ext;
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  const ext = path.extname(candidate);
  const source = SOURCE_OF[ext];
  if (source) {
    const file = candidate.slice(0, -ext.length) + source;
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * A `paths` alias (`@app/constants`) as the compiler resolved it, for the require()
 * the emitted CommonJS still contains (tsc does not rewrite specifiers; the project's
 * own runtime uses tsconfig-paths or a bundler for the same job).
 */
export function resolveAliased(request: string): string | undefined {
  for (const alias of state.aliases) {
    let matched: string | undefined;
    if (alias.suffix === "\0exact") {
      if (request === alias.prefix) matched = "";
    } else if (
      request.startsWith(alias.prefix) &&
      request.endsWith(alias.suffix) &&
      request.length >= alias.prefix.length + alias.suffix.length
    ) {
      matched = request.slice(alias.prefix.length, request.length - alias.suffix.length);
    }
    if (matched === undefined) continue;
    for (const target of alias.targets) {
      const file = existingFile(target.replace("*", matched));
      if (file) return file;
    }
  }
  return undefined;
}
