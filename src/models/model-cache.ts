/**
 * The models cache: the model reader's result (raw Schema IR) kept next to the compiled
 * entities, so that a run whose entities did not change evaluates no entity module and
 * builds no TypeORM metadata (most of `autogen check`'s time at a few hundred entities).
 *
 * An entry is found by what was asked (dialect, entity globs and the files they match,
 * the options that shape the IR) plus the fingerprint of the whole-program emit (every
 * file the compiler read, type-only imports included), and trusted only while what the
 * evaluation itself depended on is unchanged: every module file it evaluated and every
 * environment variable it read (load/inputs.ts). autogen's own code is part of the key,
 * by the size and time of its files, so a new autogen never reads an old entry.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { autogenCodeStamp, hashOf, writeCacheFile } from "../load/cache.js";
import { runtimeInputsUnchanged, type RuntimeInputs } from "../load/inputs.js";

/** Bump when the entry format changes. */
const MODEL_CACHE_FORMAT = 1;

interface ModelCacheEntry<T> {
  format: number;
  /** autogen's own code and the program emit the models were read from. */
  builtFrom: string;
  inputs: RuntimeInputs;
  models: T;
}

/** Where a request's entry lives: one file per request, replaced when its inputs change. */
export interface ModelCacheSlot {
  file: string;
  builtFrom: string;
}

/** The slot for `request` (everything asked) read through the program emit `programFingerprint`. */
export function modelCacheSlot(cacheDir: string, request: unknown, programFingerprint: string): ModelCacheSlot {
  return {
    file: path.join(cacheDir, "models", `${hashOf(JSON.stringify([MODEL_CACHE_FORMAT, request]))}.json`),
    builtFrom: hashOf(JSON.stringify([autogenCodeStamp(), programFingerprint])),
  };
}

/** The cached models, if they were read from this very emit and every other input is unchanged. */
export function readCachedModels<T>(slot: ModelCacheSlot): T | undefined {
  let entry: ModelCacheEntry<T>;
  try {
    entry = JSON.parse(readFileSync(slot.file, "utf8")) as ModelCacheEntry<T>;
  } catch {
    return undefined;
  }
  if (entry.format !== MODEL_CACHE_FORMAT || entry.builtFrom !== slot.builtFrom) return undefined;
  return runtimeInputsUnchanged(entry.inputs) ? entry.models : undefined;
}

export function writeCachedModels<T>(slot: ModelCacheSlot, models: T, inputs: RuntimeInputs): void {
  const entry: ModelCacheEntry<T> = { format: MODEL_CACHE_FORMAT, builtFrom: slot.builtFrom, inputs, models };
  writeCacheFile(slot.file, JSON.stringify(entry));
}
