/**
 * Loads the user's TypeScript and JavaScript modules (entities, DataSource files,
 * revision files) at run time, synchronously, through Node's CommonJS loader.
 *
 * Why not tsx/esbuild: they drop `design:type` decorator metadata, which TypeORM
 * needs to infer column types. The TypeScript compiler bundled with ts-morph emits
 * it, so `.ts`/`.mts`/`.cts` files are transpiled with it (per file, in memory only)
 * to CommonJS and compiled by a hook on Node's CJS loader.
 *
 * Resolution is patched narrowly, only where a failed lookup would otherwise stop
 * a valid TypeScript project from loading:
 * - `./User.js` written in ESM style from a TS file resolves to `./User.ts` when no
 *   `User.js` exists (and `.mjs` -> `.mts`, `.cjs` -> `.cts`).
 * - `typeorm` and `reflect-metadata` resolve from the user's project (the importing
 *   file's directory upward) as usual; only when the project has no copy do they fall
 *   back to autogen's own, so entity files in a bare directory still load.
 *
 * Files that change on disk between two loads are evaluated again: every user module
 * loaded so far is dropped from the require cache together, because a fresh `Post`
 * class next to a stale `User` still pointing at the old one would confuse TypeORM.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import Module, { createRequire, findSourceMap, SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ts } from "ts-morph";
import { UserError } from "../errors.js";
import { hashOf, inNodeModules, readTranspiled, writeTranspiled } from "./cache.js";
import { cacheDirFor, countTranspile, loaderSettings, programEmitOf, resolveAliased } from "./program.js";
import { oneLine } from "../errors.js";
import { DIRNAME, FILENAME, scopedForWrapper } from "./module-scope.js";

export { expandGlobs } from "./glob.js";

interface CompilableModule {
  _compile(code: string, filename: string): unknown;
}

type ExtensionHandler = (module: CompilableModule, filename: string) => void;

/** The parts of Node's CJS loader the hooks use; they are stable but untyped. */
interface ModuleInternals {
  _extensions: Record<string, ExtensionHandler>;
  _resolveFilename(request: string, parent: { filename?: string | null } | undefined, isMain: boolean, options?: unknown): string;
}

const loader = Module as unknown as ModuleInternals;
const ownRequire = createRequire(import.meta.url);
const ownFile = fileURLToPath(import.meta.url);

export const TS_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx"] as const;
/**
 * Packages we fall back to shipping when the user's project has none of its own
 * ("autogen" itself: an autogen.config.ts importing `defineConfig` from outside a project).
 */
const FALLBACK_PACKAGES = ["typeorm", "reflect-metadata", "autogen"];
/** ESM-style import extension -> the TypeScript source extensions it may stand for. */
const SOURCE_FOR_OUTPUT: Record<string, string[]> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

type Ts = typeof ts;
let tsModule: Ts | undefined;
/** TypeScript 6 (ts-morph's) is loaded only when a file needs the per-file transpile: a warm cache never does. */
function typescript(): Ts {
  tsModule ??= (ownRequire("ts-morph") as { ts: Ts }).ts;
  return tsModule;
}

function compilerOptions(t: Ts): ts.CompilerOptions {
  return {
    module: t.ModuleKind.CommonJS,
    target: t.ScriptTarget.ES2021,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    inlineSourceMap: true,
    jsx: t.JsxEmit.React,
  };
}
/** Part of the per-file transpile cache key: changes when the transpile's options or transformer change. */
const TRANSPILE_FORMAT = 3;

/** What a user module's file looked like when it was loaded. */
interface FileStamp {
  hash: string;
  mtimeMs: number;
  size: number;
  readAt: number;
}

/**
 * Process-wide state, shared by every instance of this module (a test runner may
 * evaluate it more than once per process; Node's loader and require cache are one).
 */
interface LoaderState {
  hooksInstalled: boolean;
  transpiled: Map<string, { hash: string; code: string }>;
  /** User modules (outside node_modules) in the require cache. */
  loadedUserModules: Map<string, FileStamp>;
}
const STATE_KEY = Symbol.for("autogen.load.typescript");
const state: LoaderState = ((globalThis as Record<symbol, unknown>)[STATE_KEY] as LoaderState | undefined) ?? {
  hooksInstalled: false,
  transpiled: new Map(),
  loadedUserModules: new Map(),
};
(globalThis as Record<symbol, unknown>)[STATE_KEY] = state;
const { transpiled, loadedUserModules } = state;
/** File times are coarse (a few ms); a file modified this close to our read is hashed to be sure. */
const MTIME_SLACK_MS = 2000;

function isTypeScriptFile(file: string): boolean {
  return !file.endsWith(".d.ts") && (TS_EXTENSIONS as readonly string[]).includes(path.extname(file));
}

function isRelative(request: string): boolean {
  return request.startsWith("./") || request.startsWith("../") || request === "." || request === "..";
}

/**
 * `import.meta` does not exist in CommonJS; ESM-style DataSource files use it for
 * their directory, so its `url`, `dirname` and `filename` are rewritten to the CJS
 * equivalents. Any other use is left alone and fails loudly when evaluated.
 */
function importMetaTransformer(context: ts.TransformationContext): ts.Transformer<ts.SourceFile> {
  const ts = typescript();
  const f = context.factory;
  const visit = (node: ts.Node): ts.Node => {
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isMetaProperty(node.expression) &&
      node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
    ) {
      const prop = node.name.text;
      if (prop === "dirname") return f.createIdentifier(DIRNAME);
      if (prop === "filename") return f.createIdentifier(FILENAME);
      if (prop === "url") {
        // require("node:url").pathToFileURL(<the module's file>).href
        const pathToFileURL = f.createPropertyAccessExpression(
          f.createCallExpression(f.createIdentifier("require"), undefined, [f.createStringLiteral("node:url")]),
          "pathToFileURL",
        );
        return f.createPropertyAccessExpression(f.createCallExpression(pathToFileURL, undefined, [f.createIdentifier(FILENAME)]), "href");
      }
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (sourceFile) => ts.visitNode(sourceFile, visit) as ts.SourceFile;
}

/** Where the per-file transpile of `filename` with this content (`sourceHash`) is kept on disk. */
export function transpiledSlot(filename: string, sourceHash: string): { cacheDir: string; key: string } {
  return { cacheDir: cacheDirFor(path.dirname(filename)), key: hashOf(`${TRANSPILE_FORMAT}\0${filename}\0${sourceHash}`) };
}

/**
 * TypeScript source -> CommonJS with decorator metadata: the whole-program emit when
 * the file was compiled with its project (program.ts), else a per-file transpile
 * (revision files, seeders, files loaded on their own), cached on disk by content.
 * Syntax errors become one-line UserErrors.
 */
export function transpileTypeScript(source: string, filename: string): string {
  const hash = hashOf(source);
  const fromProgram = programEmitOf(filename, hash);
  if (fromProgram !== undefined) return fromProgram;
  const cached = transpiled.get(filename);
  if (cached && cached.hash === hash) return cached.code;
  const useDisk = loaderSettings().cache;
  const { cacheDir, key: diskKey } = transpiledSlot(filename, hash);
  const fromDisk = useDisk ? readTranspiled(cacheDir, diskKey) : undefined;
  if (fromDisk !== undefined) {
    countTranspile(true);
    transpiled.set(filename, { hash, code: fromDisk });
    return fromDisk;
  }
  const ts = typescript();
  countTranspile(false);
  const result = ts.transpileModule(source, {
    fileName: filename,
    reportDiagnostics: true,
    compilerOptions: compilerOptions(ts),
    transformers: { before: [importMetaTransformer] },
  });
  const error = result.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error) {
    const message = oneLine(ts.flattenDiagnosticMessageText(error.messageText, " "));
    let where = filename;
    if (error.file && error.start !== undefined) {
      const { line, character } = error.file.getLineAndCharacterOfPosition(error.start);
      where = `${filename}:${line + 1}:${character + 1}`;
    }
    throw new UserError(`${where}: syntax error: ${message}`);
  }
  const code = scopedForWrapper(result.outputText);
  transpiled.set(filename, { hash, code });
  if (useDisk) writeTranspiled(cacheDir, diskKey, code);
  return code;
}

function compileTypeScript(module: CompilableModule, filename: string): void {
  module._compile(transpileTypeScript(readFileSync(filename, "utf8"), filename), filename);
}

function isModuleNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "MODULE_NOT_FOUND";
}

/** Where a lookup that Node could not resolve may legitimately point instead. */
function alternativeResolution(request: string, parentFile: string): string | undefined {
  if (isRelative(request) && isTypeScriptFile(parentFile)) {
    const ext = path.extname(request);
    for (const sourceExt of SOURCE_FOR_OUTPUT[ext] ?? []) {
      const candidate = path.resolve(path.dirname(parentFile), request.slice(0, -ext.length) + sourceExt);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  }
  if (!inNodeModules(parentFile)) {
    const aliased = resolveAliased(request);
    if (aliased !== undefined) return aliased;
  }
  const packageName = request.startsWith("@") ? request.split("/").slice(0, 2).join("/") : request.split("/")[0];
  if (packageName && FALLBACK_PACKAGES.includes(packageName) && !inNodeModules(parentFile)) {
    try {
      return ownRequire.resolve(request);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Installs the `.ts` loader hooks on Node's CJS loader, once per process. */
export function installTypeScriptHooks(): void {
  if (state.hooksInstalled) return;
  state.hooksInstalled = true;
  for (const ext of TS_EXTENSIONS) loader._extensions[ext] = compileTypeScript;
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request, parent, isMain, options) {
    try {
      return resolve.call(this, request, parent, isMain, options);
    } catch (err) {
      const parentFile = parent?.filename;
      if (!isModuleNotFound(err) || !parentFile) throw err;
      const alternative = alternativeResolution(request, parentFile);
      if (alternative === undefined) throw err;
      return alternative;
    }
  };
  // Node's own source-map support is left off: it parses every module's map as the
  // module loads (a third of a 500-entity load). Load errors are mapped back to
  // TypeScript lines on demand instead (originalLine).
}

function requireCache(): NodeJS.Dict<NodeJS.Module> {
  return ownRequire.cache;
}

function stampOf(file: string): FileStamp {
  const readAt = Date.now();
  const stat = statSync(file);
  // The content hash only decides for a file written moments before we read it (see changedSince).
  const recent = stat.mtimeMs >= readAt - MTIME_SLACK_MS;
  return { hash: recent ? hashOf(readFileSync(file)) : "", mtimeMs: stat.mtimeMs, size: stat.size, readAt };
}

function changedSince(file: string, stamp: FileStamp): boolean {
  try {
    const stat = statSync(file);
    if (stat.size !== stamp.size || stat.mtimeMs !== stamp.mtimeMs) return true;
    // Same size and time: certain only if the file was last written well before we read it.
    if (stat.mtimeMs < stamp.readAt - MTIME_SLACK_MS) return false;
    return hashOf(readFileSync(file)) !== stamp.hash;
  } catch {
    return true;
  }
}

/** Drops every user module from the require cache if any of them changed on disk. */
function forgetStaleUserModules(): void {
  let stale = false;
  for (const [file, stamp] of loadedUserModules) {
    if (changedSince(file, stamp)) {
      stale = true;
      break;
    }
  }
  if (!stale) return;
  const cache = requireCache();
  for (const file of loadedUserModules.keys()) delete cache[file];
  loadedUserModules.clear();
}

function rememberUserModules(before: Set<string>): void {
  for (const file of Object.keys(requireCache())) {
    if (before.has(file) || inNodeModules(file) || loadedUserModules.has(file)) continue;
    try {
      loadedUserModules.set(file, stampOf(file));
    } catch {
      // A module without a file on disk (built-in, virtual) is never stale.
    }
  }
}

interface StackLocation {
  file: string;
  line: number;
}

/**
 * Call sites of errors raised while a module loads. They are taken from V8 before any
 * formatter runs, because a test runner's own `Error.prepareStackTrace` may not apply
 * Node's source maps; the source map is applied here instead.
 */
const callSitesOf = new WeakMap<object, NodeJS.CallSite[]>();

function capturingCallSites<T>(fn: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, sites) => {
    callSitesOf.set(error, sites);
    return previous ? previous(error, sites) : `${String(error)}${sites.map((s) => `\n    at ${String(s)}`).join("")}`;
  };
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

function isUserFile(file: string): boolean {
  return !file.startsWith("node:") && !inNodeModules(file) && file !== ownFile && path.isAbsolute(file);
}

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/** The inline source map of the JavaScript we evaluated for `file`, parsed only when an error needs it. */
function sourceMapOf(file: string): SourceMap | undefined {
  const fromNode = findSourceMap(file);
  if (fromNode) return fromNode;
  let code: string | undefined;
  try {
    const source = readFileSync(file, "utf8");
    code = programEmitOf(file, hashOf(source)) ?? transpiled.get(file)?.code;
  } catch {
    return undefined;
  }
  const m = code ? INLINE_MAP.exec(code) : null;
  if (!m) return undefined;
  try {
    return new SourceMap(JSON.parse(Buffer.from(m[1] as string, "base64").toString("utf8")) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    return undefined;
  }
}

/** Original (TypeScript) line of a generated position, if the file has a source map. */
function originalLine(file: string, line: number, column: number): number {
  const entry = sourceMapOf(file)?.findEntry(line - 1, column - 1) as { originalLine?: number } | undefined;
  return entry?.originalLine !== undefined ? entry.originalLine + 1 : line;
}

/** First stack frame in user code (not node internals, not node_modules, not this loader). */
function userFrame(error: Error): StackLocation | undefined {
  void error.stack; // formats the stack now, which records its call sites
  const sites = callSitesOf.get(error);
  if (sites) {
    for (const site of sites) {
      let file = site.getFileName();
      if (!file) continue;
      if (file.startsWith("file://")) file = fileURLToPath(file);
      if (!isUserFile(file)) continue;
      return { file, line: originalLine(file, site.getLineNumber() ?? 0, site.getColumnNumber() ?? 0) };
    }
    return undefined;
  }
  // The stack was formatted before we could see it: trust its text.
  for (const line of (error.stack ?? "").split("\n")) {
    const m = /^\s+at (?:.*\()?((?:\/|file:\/\/).+?):(\d+):\d+\)?$/.exec(line);
    if (!m) continue;
    const file = (m[1] as string).startsWith("file://") ? fileURLToPath(m[1] as string) : (m[1] as string);
    if (isUserFile(file)) return { file, line: Number(m[2]) };
  }
  return undefined;
}

/**
 * Whether a TypeScript source that failed to evaluate parses on its own: when it does,
 * the syntax error was in the compiler's output, not in the user's file.
 */
function sourceParses(file: string): boolean {
  if (!/\.[mc]?tsx?$/.test(file)) return false;
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return false;
  }
  const t = typescript();
  const result = t.transpileModule(source, { fileName: file, reportDiagnostics: true, compilerOptions: compilerOptions(t) });
  return !result.diagnostics?.some((d) => d.category === t.DiagnosticCategory.Error);
}

function loadError(file: string, err: unknown): UserError {
  if (err instanceof UserError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  const message = oneLine(e.message.split("\nRequire stack:")[0] ?? e.message);
  let result: UserError;
  // Node reports a JavaScript syntax error as "<file>:<line>" on the stack's first line.
  const syntaxAt = e instanceof SyntaxError ? /^(.+):(\d+)\n/.exec(e.stack ?? "") : null;
  // A redeclared CommonJS wrapper name (`const require = createRequire(...)`) is the
  // user's code, valid as an ES module; any other error in output of a file that parses is damage.
  const redeclared = /has already been declared/.test(message);
  if (syntaxAt && !redeclared && sourceParses(syntaxAt[1] as string)) {
    result = new UserError(
      `${syntaxAt[1]}: its compiled JavaScript is not valid (${message}) although the file itself has no syntax error: the compiler's output was cut short or damaged (a full disk, a file-size limit?); delete autogen's cache (${cacheDirFor(path.dirname(syntaxAt[1] as string))}) and run again`,
    );
  } else if (syntaxAt) {
    // The line is one of the JavaScript we evaluated: mapped back to the TypeScript source.
    const at = syntaxAt[1] as string;
    const line = isUserFile(at) ? originalLine(at, Number(syntaxAt[2]), 1) : Number(syntaxAt[2]);
    result = new UserError(`${at}:${line}: syntax error: ${message}`);
  } else {
    const at = userFrame(e);
    const where = at && at.file === file ? `${file}:${at.line}` : file;
    const also = at && at.file !== file ? ` (at ${at.file}:${at.line})` : "";
    result = new UserError(`${where}: failed to load: ${e.name}: ${message}${also}`);
  }
  (result as { cause?: unknown }).cause = err;
  return result;
}

/**
 * Loads a `.ts`/`.mts`/`.cts`/`.js`/`.cjs`/`.mjs` module synchronously and returns its
 * exports. A module that exports one function or class (`module.exports = X`) comes
 * back as `{ default: X }`.
 */
export function loadModule(file: string): Record<string, unknown> {
  return loadModules([file])[0] as Record<string, unknown>;
}

/**
 * `loadModule` for several files at once: whether loaded modules went stale is checked
 * once for the batch, not once per file (500 entity files would otherwise stat each
 * loaded file 500 times).
 */
export function loadModules(files: readonly string[]): Array<Record<string, unknown>> {
  const absolutes = files.map((file) => {
    const absolute = path.resolve(file);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      throw new UserError(`file not found: ${absolute}`);
    }
    return absolute;
  });
  installTypeScriptHooks();
  forgetStaleUserModules();
  const before = new Set(Object.keys(requireCache()));
  const results: Array<Record<string, unknown>> = [];
  try {
    for (const absolute of absolutes) {
      const exported: unknown = capturingCallSites(() => {
        try {
          return createRequire(absolute)(absolute);
        } catch (err) {
          throw loadError(absolute, err);
        }
      });
      if (typeof exported === "function") results.push({ default: exported });
      else if (exported === null || typeof exported !== "object") results.push({ default: exported });
      else results.push(exported as Record<string, unknown>);
    }
  } finally {
    rememberUserModules(before);
  }
  return results;
}

/**
 * `require(id)` as the user's project resolves it (from `projectDir` upward), so that
 * autogen and the user's entities share one copy of packages such as `typeorm`. Falls
 * back to autogen's own copy when the project has none.
 */
export function requireFromProject(projectDir: string, id: string): unknown {
  installTypeScriptHooks();
  const fromProject = createRequire(path.join(path.resolve(projectDir), "noop.js"));
  let resolved: string;
  try {
    resolved = fromProject.resolve(id);
  } catch {
    try {
      resolved = ownRequire.resolve(id);
    } catch {
      throw new UserError(`cannot find package "${id}" from ${projectDir}: install it in your project`);
    }
  }
  return fromProject(resolved);
}
