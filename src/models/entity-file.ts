/**
 * Which file an entity class came from: entity files are loaded through the CommonJS
 * loader, so the require cache knows the module that exports the class. Used to point
 * at the file behind a table (messages, annotations).
 */
import { createRequire } from "node:module";

const cache = createRequire(import.meta.url).cache;

/** The file whose module exports `target`, if it was loaded as a module. */
export function entityFileOf(target: unknown): string | undefined {
  if (typeof target !== "function") return undefined;
  for (const [file, mod] of Object.entries(cache)) {
    const exported = mod?.exports as unknown;
    if (exported === target) return file;
    if (exported && typeof exported === "object" && Object.values(exported as object).includes(target)) return file;
  }
  return undefined;
}
