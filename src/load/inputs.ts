/**
 * What evaluating the user's modules depended on besides their source text: the
 * environment variables they read and every module file that was evaluated (the
 * user's own, and the packages they import, typeorm included). The models cache
 * (models/model-cache.ts) keeps a result only together with these, and uses it again
 * only while all of them are unchanged.
 *
 * Environment reads are seen through a proxy over `process.env` while the models are
 * read. A module that enumerates the whole environment could depend on any variable:
 * when user code does that the result is not cached at all. Packages enumerate it to
 * look for their own settings (`debug`, colour libraries), which never shape a
 * schema, so an enumeration from inside node_modules is not counted.
 */
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { hashFile } from "./cache.js";

const ownRequire = createRequire(import.meta.url);

export interface RuntimeInputs {
  /** Variables read, with their values then (null: unset). */
  env: Record<string, string | null>;
  /** Evaluated module files: project files by content hash, package files by size:mtime. */
  modules: Record<string, string>;
}

const inNodeModules = (file: string) => file.split(path.sep).includes("node_modules");

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
 * Runs `read` with environment reads recorded, then stamps every module in the require
 * cache. `inputs` is undefined when the result must not be cached (user code
 * enumerated the environment).
 */
export async function recordingRuntimeInputs<T>(read: () => Promise<T>): Promise<{ result: T; inputs: RuntimeInputs | undefined }> {
  const realEnv = process.env;
  const env: Record<string, string | null> = {};
  let uncacheable = false;
  // Code in a package that enumerates the environment (Object.keys, a spread) then
  // describes and reads every key from that same place: those are its accesses, not
  // reads of a setting. A read from anywhere else is recorded.
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
      if (frame !== undefined && inNodeModules(frame)) enumerators.add(frame);
      else uncacheable = true;
      return Reflect.ownKeys(target);
    },
  });
  let result: T;
  try {
    result = await read();
  } finally {
    process.env = realEnv;
  }
  if (uncacheable) return { result, inputs: undefined };
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
