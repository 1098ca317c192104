/**
 * What evaluating the user's modules depended on besides their source text: the
 * environment variables they read and every module file that was evaluated (the
 * user's own, and the packages they import, typeorm included). The models cache
 * (models/model-cache.ts) keeps a result only together with these, and uses it again
 * only while all of them are unchanged.
 *
 * Environment reads are seen through a proxy over `process.env` while the models are
 * read. Code that lists or writes the whole environment could depend on any variable,
 * or on a file (dotenv): then the result is not cached at all — except for a few known
 * packages (`debug`, colour libraries) that look for their own settings only.
 */
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { hashFile, inNodeModules } from "./cache.js";

const ownRequire = createRequire(import.meta.url);

export interface RuntimeInputs {
  /** Variables read, with their values then (null: unset). */
  env: Record<string, string | null>;
  /** Evaluated module files: project files by content hash, package files by size:mtime. */
  modules: Record<string, string>;
}

function moduleStamp(file: string): string | undefined {
  if (!inNodeModules(file)) {
    const hash = hashFile(file);
    return hash === undefined ? undefined : `sha1:${hash}`;
  }
  try {
    const st = statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Where the code touching the environment is: its first stack frame outside this file ("file:line:column"). */
function callerFrame(): string | undefined {
  for (const frame of (new Error().stack ?? "").split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(frame);
    if (!m) continue;
    const file = (m[1] as string).replace(/^file:\/\//, "");
    if (file.endsWith("/load/inputs.js") || file.endsWith("/load/inputs.ts")) continue;
    return `${file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/**
 * Packages known to list the environment only to find their own settings (colour and
 * debug switches; TypeORM loads two of them). Any other listing may feed a schema —
 * config libraries copy the whole environment, and entities then read the copy, which
 * no proxy sees — so it makes the read uncacheable.
 */
const ENUMERATING_PACKAGES: ReadonlySet<string> = new Set([
  "debug",
  "ansis",
  "supports-color",
  "chalk",
  "picocolors",
  "colorette",
  "kleur",
  "supports-hyperlinks",
]);

function packageOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const first = parts[at + 1] ?? "";
  return first.startsWith("@") ? `${first}/${parts[at + 2] ?? ""}` : first;
}

function byKnownPackage(frame: string | undefined): boolean {
  const pkg = frame === undefined ? undefined : packageOf(frame);
  return pkg !== undefined && ENUMERATING_PACKAGES.has(pkg);
}

/** Project modules reachable from `roots` through the require graph (Node records a child for cached modules too). */
function projectModulesReachable(roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = roots.map((r) => ownRequire.cache[r]).filter((m): m is NodeJS.Module => m !== undefined);
  while (queue.length > 0) {
    const mod = queue.pop() as NodeJS.Module;
    if (seen.has(mod.filename) || inNodeModules(mod.filename)) continue;
    seen.add(mod.filename);
    queue.push(...mod.children);
  }
  return seen;
}

/** One read records at a time: each swaps the global process.env for its proxy. */
let recording: Promise<unknown> = Promise.resolve();

/**
 * Runs `read` with environment reads recorded, then stamps every module in the require
 * cache. `inputs` is undefined when the result must not be cached: user code (or an
 * unknown package) listed the environment, something wrote to it, or a module the
 * entities (`roots`) use had been evaluated before the read began — by a revision file
 * importing an entity, say — so its reads were never seen.
 */
export function recordingRuntimeInputs<T>(
  read: () => Promise<T>,
  roots: readonly string[],
): Promise<{ result: T; inputs: RuntimeInputs | undefined }> {
  const run = recording.then(() => record(read, roots));
  recording = run.catch(() => undefined);
  return run;
}

async function record<T>(read: () => Promise<T>, roots: readonly string[]): Promise<{ result: T; inputs: RuntimeInputs | undefined }> {
  const loadedBefore = new Set(Object.keys(ownRequire.cache).filter((f) => path.isAbsolute(f) && !inNodeModules(f)));
  const realEnv = process.env;
  const env: Record<string, string | null> = {};
  let uncacheable = false;
  // A known package that lists the environment then describes and reads every key from
  // that same place: those are its accesses, not reads of a setting.
  const enumerators = new Set<string>();
  const note = (key: string | symbol) => {
    if (typeof key !== "string" || key in env) return;
    if (enumerators.size > 0 && enumerators.has(callerFrame() ?? "")) return;
    env[key] = realEnv[key] ?? null;
  };
  process.env = new Proxy(realEnv, {
    get(target, key) {
      note(key);
      return Reflect.get(target, key) as unknown;
    },
    has(target, key) {
      note(key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      note(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      const frame = callerFrame();
      if (frame !== undefined && byKnownPackage(frame)) enumerators.add(frame);
      else uncacheable = true;
      return Reflect.ownKeys(target);
    },
    // dotenv and friends fill the environment from files the cache cannot see (debug
    // only tidies its own DEBUG switch).
    set(target, key, value) {
      if (!byKnownPackage(callerFrame())) uncacheable = true;
      return Reflect.set(target, key, value);
    },
    defineProperty(target, key, descriptor) {
      if (!byKnownPackage(callerFrame())) uncacheable = true;
      return Reflect.defineProperty(target, key, descriptor);
    },
    deleteProperty(target, key) {
      if (!byKnownPackage(callerFrame())) uncacheable = true;
      return Reflect.deleteProperty(target, key);
    },
  });
  let result: T;
  try {
    result = await read();
  } finally {
    process.env = realEnv;
  }
  if (uncacheable) return { result, inputs: undefined };
  for (const file of projectModulesReachable(roots)) {
    if (loadedBefore.has(file)) return { result, inputs: undefined };
  }
  const modules: Record<string, string> = {};
  for (const file of Object.keys(ownRequire.cache).sort()) {
    if (!path.isAbsolute(file)) continue;
    const stamp = moduleStamp(file);
    if (stamp === undefined) return { result, inputs: undefined };
    modules[file] = stamp;
  }
  return { result, inputs: { env, modules } };
}

/** True when every recorded input still has its recorded value. */
export function runtimeInputsUnchanged(inputs: RuntimeInputs): boolean {
  for (const [key, value] of Object.entries(inputs.env)) {
    if ((process.env[key] ?? null) !== value) return false;
  }
  for (const [file, stamp] of Object.entries(inputs.modules)) {
    if (moduleStamp(file) !== stamp) return false;
  }
  return true;
}
