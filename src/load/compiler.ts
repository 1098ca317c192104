/**
 * The whole-program emit of the user's entities: the files given and everything they
 * import, compiled together under the user's tsconfig so that decorator metadata sees
 * imported type aliases and enums as `tsc -p` does (a file-at-a-time transpile turns
 * them into `Object`).
 *
 * The compiler is TypeScript 7's native `tsc`, spawned, chosen by measurement (see
 * README, "Loading the entities"): it emits 500 entities several times faster than an
 * in-process TypeScript 6 program, and is not loaded into our process at all. When its
 * platform binary is missing, the TypeScript 6 bundled with ts-morph does the same
 * emit in process.
 *
 * What we change in the user's options, and why:
 * - output is CommonJS (`module: commonjs`, `moduleResolution: bundler`), because the
 *   loader evaluates it synchronously through Node's CJS loader (revision files and
 *   DataSource files are loaded the same way); type resolution still follows the
 *   project's `paths`, `.js` specifiers, `exports` maps and `.mts`/`.cts` files;
 * - decorators are legacy decorators with metadata: TypeORM requires them, so they are
 *   forced on (with a note when the user's tsconfig has them off);
 * - `noCheck`: type errors are the user's build's business, and skipping the check
 *   does not change the emitted metadata;
 * - options TypeScript 7 removed are translated (`baseUrl` becomes absolute `paths`)
 *   or dropped when they cannot affect what the entities evaluate to.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { totalmem } from "node:os";
import path from "node:path";
import { UserError } from "../errors.js";
import { writeFileWhole } from "../files/write-whole.js";
import { defaultsOf } from "./app-typescript.js";
import { rewriteImportMeta } from "./module-scope.js";
import { inNodeModules } from "./cache.js";
import { parseJsonc } from "./tsconfig.js";

const ownRequire = createRequire(import.meta.url);

export type CompilerOptionsJson = Record<string, unknown>;

/** A compile's result: emitted JavaScript per TypeScript source, and every file the program read. */
export interface ProgramEmit {
  outputs: Map<string, string>;
  programFiles: string[];
  notes: string[];
  /** The `paths` aliases compiled with (absolute targets), for run-time resolution. */
  paths: Record<string, string[]>;
  /** Sources whose output file in outDir already holds exactly `outputs`' code (nothing to rewrite). */
  onDisk: Set<string>;
}

export interface CompileRequest {
  entries: string[];
  /** The user's tsconfig, if the project has one. */
  tsconfig: string | undefined;
  /** Scratch directory the emit is written to (and read back from). */
  outDir: string;
  /** The project's own TypeScript version (app-typescript.ts): its defaults fill the options the tsconfig leaves unset. */
  appTypeScript: string;
}

export interface Compiler {
  name: string;
  version: string;
  compile(request: CompileRequest): ProgramEmit;
  /** The same compile, not blocking this process (compilers that run in a process of their own); `signal` stops it. */
  compileAsync?(request: CompileRequest, signal?: AbortSignal): Promise<ProgramEmit>;
}

/** Options that only shape build output we do not use, or that TypeScript 7 removed without effect on evaluation. */
const DROPPED_OPTIONS = [
  "outDir",
  "outFile",
  "out",
  "rootDir",
  "declaration",
  "declarationDir",
  "declarationMap",
  "emitDeclarationOnly",
  "composite",
  "incremental",
  "tsBuildInfoFile",
  "sourceMap",
  "inlineSources",
  "sourceRoot",
  "mapRoot",
  "noEmit",
  "noEmitOnError",
  "downlevelIteration",
  "importsNotUsedAsValues",
  "preserveValueImports",
  "keyofStringsOnly",
  "suppressExcessPropertyErrors",
  "suppressImplicitAnyIndexErrors",
  "noImplicitUseStrict",
  "charset",
  "noStrictGenericChecks",
  "prepend",
  "verbatimModuleSyntax",
  "isolatedDeclarations",
  "build",
  "listFiles",
  "listEmittedFiles",
  "traceResolution",
  "generateTrace",
  "diagnostics",
  "extendedDiagnostics",
  "watch",
  "plugins",
  "baseUrl",
  "paths",
  "module",
  "moduleResolution",
  "ignoreDeprecations",
  "allowImportingTsExtensions",
  "rewriteRelativeImportExtensions",
  "erasableSyntaxOnly",
];
/** Targets TypeScript 7 no longer emits; ES2015 keeps the same classes and metadata. */
const REMOVED_TARGETS = new Set(["es3", "es5"]);
/** Options whose values are paths, resolved against the tsconfig's directory. */
const PATH_OPTIONS = ["rootDirs", "typeRoots"];

export interface OptionsContext {
  /** Directory of the user's tsconfig (or the project directory without one). */
  configDir: string;
  /** Directory the `paths` targets are relative to (its `baseUrl`, or the file declaring `paths`). */
  pathsBase: string;
  outDir: string;
}

/**
 * The options the entities are compiled with: the user's (as `tsc --showConfig` prints
 * them), adjusted as described at the top of this file. Notes say what a user should know.
 */
export function emitOptions(
  user: CompilerOptionsJson,
  ctx: OptionsContext,
  hasTsconfig: boolean,
): { options: CompilerOptionsJson; notes: string[] } {
  const notes: string[] = [];
  const options: CompilerOptionsJson = { ...user };
  for (const name of DROPPED_OPTIONS) delete options[name];
  if (typeof options.target === "string" && REMOVED_TARGETS.has(options.target.toLowerCase())) options.target = "es2015";
  if (options.esModuleInterop === false) delete options.esModuleInterop;
  for (const name of PATH_OPTIONS) {
    const value = options[name];
    if (Array.isArray(value)) options[name] = value.map((v) => path.resolve(ctx.configDir, String(v)));
  }

  // `baseUrl` is gone in TypeScript 7: its `paths` become absolute, and bare names
  // that it resolved are kept by a catch-all mapping, as the TypeScript team advises.
  const paths: Record<string, string[]> = {};
  const userPaths = user.paths as Record<string, string[]> | undefined;
  const baseUrl = typeof user.baseUrl === "string" ? path.resolve(ctx.configDir, user.baseUrl) : undefined;
  const pathsBase = baseUrl ?? ctx.pathsBase;
  for (const [pattern, targets] of Object.entries(userPaths ?? {})) {
    paths[pattern] = targets.map((t) => path.resolve(pathsBase, t));
  }
  if (baseUrl) paths["*"] = [...(paths["*"] ?? []), path.join(baseUrl, "*")];
  if (Object.keys(paths).length > 0) options.paths = paths;

  if (hasTsconfig && (user.experimentalDecorators !== true || user.emitDecoratorMetadata !== true)) {
    const off = ["experimentalDecorators", "emitDecoratorMetadata"].filter((k) => user[k] !== true);
    notes.push(
      `${off.join(" and ")} ${off.length > 1 ? "are" : "is"} off in the tsconfig; autogen turns ${off.length > 1 ? "them" : "it"} on to read TypeORM's decorators`,
    );
  }
  Object.assign(options, {
    module: "commonjs",
    moduleResolution: "bundler",
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    noCheck: true,
    noEmitOnError: false,
    noEmit: false,
    skipLibCheck: true,
    inlineSourceMap: true,
    rootDir: path.parse(ctx.outDir).root,
    outDir: ctx.outDir,
  });
  return { options, notes };
}

/** Where `paths` targets are relative to when there is no baseUrl: the file that declares `paths`. */
export function pathsBaseOf(chain: readonly string[], fallback: string): string {
  for (const file of chain) {
    try {
      const raw = parseJsonc(readFileSync(file, "utf8")) as { compilerOptions?: Record<string, unknown> };
      if (raw.compilerOptions && "paths" in raw.compilerOptions) return path.dirname(file);
    } catch {
      return fallback;
    }
  }
  return fallback;
}

/** Output file of a source under `rootDir` = filesystem root. */
export function outputPathOf(outDir: string, source: string): string {
  const relative = path.relative(path.parse(source).root, source);
  const ext = path.extname(relative);
  const outExt = ext === ".mts" ? ".mjs" : ext === ".cts" ? ".cjs" : ".js";
  return path.join(outDir, relative.slice(0, relative.length - ext.length) + outExt);
}

export function isCompiledSource(file: string): boolean {
  return /\.(ts|mts|cts|tsx)$/.test(file) && !/\.d\.(ts|mts|cts)$/.test(file) && !/\.d\.[^/\\]*\.ts$/.test(file);
}

export { rewriteImportMeta } from "./module-scope.js";

/** TypeScript error codes about module format that our forced CommonJS output raises, not the user's code. */
const FORMAT_ERRORS = new Set([1286, 1287, 1295, 1343, 1470, 1479, 1309, 1378, 1432, 1323, 1324]);

interface Diagnostic {
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
}

const DIAGNOSTIC_LINE = /^(.+?)\((\d+),(\d+)\): error TS(\d+): (.*)$/;

/** "error TS5033: Could not write file '…': …" — a diagnostic about the compile itself, with no file position. */
const GLOBAL_DIAGNOSTIC_LINE = /^error TS(\d+): (.*)$/;

/** Diagnostics that say the compiler could not write its output (TS5033 "Could not write file"). */
const WRITE_FAILURES = new Set([5033]);

/**
 * A failure of the compiler itself: killed, or unable to write what it emitted. Its
 * outputs are then missing or cut short, and loading them would blame the user's file
 * for a syntax error it does not have; the compiler's own words are reported instead.
 */
export function compilerFailure(
  compiler: string,
  run: { signal?: NodeJS.Signals | null | undefined; status: number | null; lines: readonly string[] },
  where: string,
): UserError | undefined {
  if (run.signal) {
    return new UserError(
      `${compiler} was ended by ${run.signal} while compiling the entities in ${where}; its output was discarded, nothing in your files is at fault`,
    );
  }
  if (run.status !== 0 && run.status !== null && !run.lines.some((line) => /error TS\d+/.test(line))) {
    // Not a diagnostic exit (those list their errors): the compiler broke down (a crash, a panic).
    const said = run.lines.map((l) => l.trim()).find((l) => l.length > 0 && !path.isAbsolute(l)) ?? "no message";
    return new UserError(
      `${compiler} failed with exit status ${run.status} while compiling the entities: ${said}; its output was discarded, nothing in your files is at fault`,
    );
  }
  const failures = run.lines.map((line) => GLOBAL_DIAGNOSTIC_LINE.exec(line.trim())).filter((m) => m && WRITE_FAILURES.has(Number(m[1])));
  const first = failures[0];
  if (!first) return undefined;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more like it)` : "";
  return new UserError(
    `${compiler} could not write its output: ${first[2]}${more}; its output was discarded, nothing in your files is at fault (free space, or raise the file-size limit, and run again)`,
  );
}

/** A syntax error in one of the user's files stops loading, as the per-file transpile did. */
function syntaxError(diagnostics: Diagnostic[]): UserError | undefined {
  const d = diagnostics.find(
    (x) =>
      x.code >= 1000 &&
      x.code < 2000 &&
      !FORMAT_ERRORS.has(x.code) &&
      isCompiledSource(x.file) &&
      !x.file.includes(`${path.sep}node_modules${path.sep}`),
  );
  return d ? new UserError(`${d.file}:${d.line}:${d.column}: syntax error: ${d.message}`) : undefined;
}

/**
 * `.mts` files are emitted as ES modules whatever `module` says. Their JavaScript is
 * turned into CommonJS (a JavaScript-to-JavaScript transpile: the decorator metadata
 * is already in it as `__metadata(...)` calls), so they load like every other file.
 */
function esmToCommonJs(code: string, source: string): string {
  const ts = (ownRequire("ts-morph") as { ts: Ts }).ts;
  return ts.transpileModule(code, {
    fileName: source.replace(/\.mts$/, ".js"),
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, esModuleInterop: true },
  }).outputText;
}

/** The emitted JavaScript of `source` as the loader evaluates it (CommonJS, no import.meta). */
export function loadableOutput(code: string, source: string): string {
  const commonJs = source.endsWith(".mts") ? esmToCommonJs(code, source) : code;
  return rewriteImportMeta(commonJs);
}

function readOutputs(outDir: string, programFiles: string[]): { outputs: Map<string, string>; onDisk: Set<string> } {
  const outputs = new Map<string, string>();
  const onDisk = new Set<string>();
  for (const file of programFiles) {
    if (!isCompiledSource(file)) continue;
    const out = outputPathOf(outDir, file);
    if (!existsSync(out)) continue;
    const emitted = readFileSync(out, "utf8");
    const code = loadableOutput(emitted, file);
    outputs.set(file, code);
    if (code === emitted) onDisk.add(file);
  }
  return { outputs, onDisk };
}

/** A project source of the program without emitted JavaScript. */
function lacksOutput(programFiles: readonly string[], outputs: ReadonlyMap<string, string>): boolean {
  return programFiles.some((f) => isCompiledSource(f) && !inNodeModules(f) && !outputs.has(f));
}

/**
 * TypeScript 7's per-platform package, a direct optional dependency of ours. We depend on
 * it rather than on `typescript@7`, whose `tsc` command would take over the project's
 * node_modules/.bin: the platform package has no command, so the compiler stays private.
 */
const NATIVE_PACKAGE = `@typescript/typescript-${process.platform}-${process.arch}/package.json`;

/** Absolute path of TypeScript 7's native executable, if its platform package is installed. */
export function nativeTscPath(): string | undefined {
  if (process.env.AUTOGEN_TSC) return process.env.AUTOGEN_TSC;
  try {
    const dir = path.dirname(ownRequire.resolve(NATIVE_PACKAGE));
    const exe = path.join(dir, "lib", process.platform === "win32" ? "tsc.exe" : "tsc");
    return existsSync(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

function typescript7Version(): string {
  try {
    return (ownRequire(NATIVE_PACKAGE) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

interface RunResult {
  stdout: string;
  status: number | null;
  /** The signal that ended the compiler (killed, a file-size limit's SIGXFSZ). */
  signal?: NodeJS.Signals | null;
  error?: Error;
}

/**
 * The environment the native compiler runs in. A compile is short-lived and allocates
 * most of what it holds until it exits, so Go's collector mostly burns CPU there: it
 * is off until the heap nears a soft limit (a quarter of the machine's memory, at most
 * 2 GiB), which took ~15% off the 500-entity compile. A GOGC/GOMEMLIMIT the user set wins.
 */
export function compilerEnv(): NodeJS.ProcessEnv {
  const limitMiB = Math.min(2048, Math.floor(totalmem() / 4 / 1024 / 1024));
  return { ...process.env, GOGC: process.env.GOGC ?? "off", GOMEMLIMIT: process.env.GOMEMLIMIT ?? `${limitMiB}MiB` };
}

/** `run` without blocking: the compiler works on another core while this process goes on. */
function runAsync(exe: string, args: string[], cwd: string, signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = "";
    const child = spawn(exe, args, { cwd, env: compilerEnv(), stdio: ["ignore", "pipe", "pipe"], ...(signal ? { signal } : {}) });
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.on("error", (error) => resolve({ stdout, status: null, error }));
    child.on("close", (status, signal) => resolve({ stdout, status, signal }));
  });
}

function run(exe: string, args: string[], cwd: string): RunResult {
  const r = spawnSync(exe, args, { cwd, env: compilerEnv(), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { stdout: `${r.stdout ?? ""}${r.stderr ?? ""}`, status: r.status, signal: r.signal, ...(r.error ? { error: r.error } : {}) };
}

/** The user's compiler options, fully resolved (`extends` applied) by the compiler itself. */
function showConfig(exe: string, tsconfig: string): CompilerOptionsJson {
  const r = run(exe, ["-p", tsconfig, "--showConfig"], path.dirname(tsconfig));
  if (r.error) throw new UserError(`cannot run TypeScript 7 (${exe}): ${r.error.message}`);
  const text = r.stdout.trim();
  try {
    return (JSON.parse(text) as { compilerOptions?: CompilerOptionsJson }).compilerOptions ?? {};
  } catch {
    const first = text.split("\n").find((l) => /error TS\d+/.test(l)) ?? text.split("\n")[0] ?? "";
    throw new UserError(`${tsconfig}: TypeScript cannot read this tsconfig: ${first.replace(/^.*?error /, "")}`);
  }
}

export function compilerContext(
  tsconfig: string | undefined,
  chain: readonly string[],
  outDir: string,
  projectDir: string,
): OptionsContext {
  const configDir = tsconfig ? path.dirname(tsconfig) : projectDir;
  return { configDir, pathsBase: pathsBaseOf(chain, configDir), outDir };
}

/** The options used when the project has no tsconfig: what a fresh TypeORM project's tsconfig says. */
export const DEFAULT_USER_OPTIONS: CompilerOptionsJson = {
  target: "es2021",
  esModuleInterop: true,
  jsx: "react",
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
};

export function nativeCompiler(exe: string, chainOf: (tsconfig: string) => string[]): Compiler {
  /** Options and the generated tsconfig for one compile; the compile itself runs in `compileAsync` or `compile`. */
  const plan = ({ entries, tsconfig, outDir, appTypeScript }: CompileRequest) => {
    const projectDir = path.dirname(entries[0] ?? outDir);
    const user = { ...defaultsOf(appTypeScript), ...(tsconfig ? showConfig(exe, tsconfig) : DEFAULT_USER_OPTIONS) };
    const ctx = compilerContext(tsconfig, tsconfig ? chainOf(tsconfig) : [], outDir, projectDir);
    const { options, notes } = emitOptions(user, ctx, tsconfig !== undefined);
    // Incremental: when outDir holds this entry set's previous emit (program.ts moves
    // it here), only the files an edit affects are emitted again — type-only
    // dependents included, since their metadata may change.
    const buildInfo = path.join(outDir, "autogen.tsbuildinfo");
    Object.assign(options, { incremental: true, tsBuildInfoFile: buildInfo });
    mkdirSync(outDir, { recursive: true });
    const generated = path.join(outDir, "tsconfig.autogen.json");
    const config = JSON.stringify({ compilerOptions: options, files: entries }, null, 2);
    // The build info re-emits a file only for options TypeScript marks as changing
    // emit, and `strict`/`strictNullChecks` are not among them although they change
    // decorator metadata: with other options than last time, emit everything. (The
    // scratch directory moves between compiles, so it is no part of the comparison.)
    const optionsFile = path.join(outDir, "options.autogen.json");
    const comparable = config.split(outDir).join("<out>");
    if (!existsSync(optionsFile) || readFileSync(optionsFile, "utf8") !== comparable) rmSync(buildInfo, { force: true });
    writeFileWhole(optionsFile, comparable);
    writeFileWhole(generated, config);
    const args = ["-p", generated, "--listFiles", "--pretty", "false"];
    const paths = (options.paths as Record<string, string[]> | undefined) ?? {};
    return { args, buildInfo, notes, paths, entries, outDir };
  };
  type Plan = ReturnType<typeof plan>;
  const parse = (p: Plan, r: RunResult) => {
    if (r.error) throw new UserError(`cannot run TypeScript 7 (${exe}): ${r.error.message}`);
    const lines = r.stdout.split(/\r?\n/);
    const failed = compilerFailure(`TypeScript 7 (${exe})`, { signal: r.signal, status: r.status, lines }, p.outDir);
    if (failed) throw failed;
    const programFiles: string[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const line of lines) {
      const m = DIAGNOSTIC_LINE.exec(line);
      if (m) {
        diagnostics.push({
          file: path.resolve(p.outDir, m[1] as string),
          line: Number(m[2]),
          column: Number(m[3]),
          code: Number(m[4]),
          message: m[5] as string,
        });
      } else if (path.isAbsolute(line.trim())) programFiles.push(line.trim());
    }
    const error = syntaxError(diagnostics);
    if (error) throw error;
    if (programFiles.length === 0) {
      throw new UserError(`TypeScript 7 emitted nothing for ${p.entries[0] ?? "the entities"}: ${r.stdout.trim().split("\n")[0] ?? ""}`);
    }
    return { programFiles, ...readOutputs(p.outDir, programFiles) };
  };
  // The build info trusts the previous outputs to be there; if one went missing,
  // compile everything again rather than load that file without its program.
  const complete = (p: Plan, result: ReturnType<typeof parse>): boolean => {
    if (!lacksOutput(result.programFiles, result.outputs)) return true;
    rmSync(p.buildInfo, { force: true });
    return false;
  };
  const emit = (p: Plan, result: ReturnType<typeof parse>): ProgramEmit => ({ ...result, notes: p.notes, paths: p.paths });
  return {
    name: "typescript7-native",
    version: `tsc ${typescript7Version()}`,
    compile(request) {
      const p = plan(request);
      let result = parse(p, run(exe, p.args, p.outDir));
      if (!complete(p, result)) result = parse(p, run(exe, p.args, p.outDir));
      return emit(p, result);
    },
    async compileAsync(request, signal) {
      const p = plan(request);
      let result = parse(p, await runAsync(exe, p.args, p.outDir, signal));
      if (!complete(p, result)) result = parse(p, await runAsync(exe, p.args, p.outDir, signal));
      return emit(p, result);
    },
  };
}

type Ts = typeof import("ts-morph").ts;

export function inProcessCompiler(chainOf: (tsconfig: string) => string[]): Compiler {
  const ts = (ownRequire("ts-morph") as { ts: Ts }).ts;
  return {
    name: "typescript6-in-process",
    version: `typescript ${ts.version}`,
    compile({ entries, tsconfig, outDir, appTypeScript }) {
      const projectDir = path.dirname(entries[0] ?? outDir);
      let user: CompilerOptionsJson = { ...defaultsOf(appTypeScript), ...DEFAULT_USER_OPTIONS };
      if (tsconfig) {
        const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
        if (!parsed) throw new UserError(`${tsconfig}: TypeScript cannot read this tsconfig`);
        const shown = (
          ts as unknown as { convertToTSConfig(p: unknown, f: string, h: unknown): { compilerOptions: CompilerOptionsJson } }
        ).convertToTSConfig(parsed, tsconfig, { getCurrentDirectory: () => path.dirname(tsconfig), useCaseSensitiveFileNames: true });
        user = { ...defaultsOf(appTypeScript), ...shown.compilerOptions };
      }
      const ctx = compilerContext(tsconfig, tsconfig ? chainOf(tsconfig) : [], outDir, projectDir);
      const { options: json, notes } = emitOptions(user, ctx, tsconfig !== undefined);
      const { options, errors } = ts.convertCompilerOptionsFromJson({ ...json, ignoreDeprecations: "6.0" }, ctx.configDir);
      void errors; // option errors never stop the emit, as with the native compiler
      const program = ts.createProgram({ rootNames: entries, options });
      const outputs = new Map<string, string>();
      const byOutput = new Map(
        program.getSourceFiles().map((f) => [outputPathOf(outDir, path.resolve(f.fileName)), path.resolve(f.fileName)]),
      );
      const diagnostics: Diagnostic[] = program.getSyntacticDiagnostics().map((d) => {
        const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
        return {
          file: d.file ? path.resolve(d.file.fileName) : "",
          line: pos.line + 1,
          column: pos.character + 1,
          code: d.code,
          message: ts.flattenDiagnosticMessageText(d.messageText, " "),
        };
      });
      const error = syntaxError(diagnostics);
      if (error) throw error;
      program.emit(undefined, (fileName, text) => {
        const source = byOutput.get(path.resolve(fileName));
        if (source) outputs.set(source, loadableOutput(text, source));
      });
      const paths = (json.paths as Record<string, string[]> | undefined) ?? {};
      return { outputs, onDisk: new Set(), programFiles: program.getSourceFiles().map((f) => path.resolve(f.fileName)), notes, paths };
    },
  };
}

/** The compiler used: TypeScript 7 native when installed (AUTOGEN_COMPILER=ts6 forces the in-process one). */
export function chooseCompiler(chainOf: (tsconfig: string) => string[]): Compiler {
  const exe = process.env.AUTOGEN_COMPILER === "ts6" ? undefined : nativeTscPath();
  return exe ? nativeCompiler(exe, chainOf) : inProcessCompiler(chainOf);
}
