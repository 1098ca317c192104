/**
 * Comparing and ordering plain IR data: the one home of the small helpers the differ,
 * the op model, the writer and the dialects' normalisers share.
 */
import type { ColumnTypeIR } from "./ir.js";

/** Structural equality on plain IR data (the IR is JSON-compatible by contract). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Same members in the same order (a key's columns). */
export const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Same members regardless of order. */
export const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join("\0") === [...b].sort().join("\0");

/**
 * Sort key comparison used for every name-sorted IR list. Plain code-unit order, so the
 * result does not depend on the machine's locale. Unnamed items sort first.
 */
export function compareNames(a: string | undefined, b: string | undefined): number {
  const x = a ?? "";
  const y = b ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Order of name-sorted lists: by name (unnamed first), then by content for a stable result. */
export function byNameThenContent<T extends { name?: string }>(a: T, b: T): number {
  return compareNames(a.name, b.name) || compareNames(JSON.stringify(a), JSON.stringify(b));
}

/** The fields of a column that make up its type, in the order revisions write them. */
export const TYPE_KEYS = [
  "type",
  "length",
  "precision",
  "scale",
  "array",
  "enumName",
  "enumValues",
] as const satisfies readonly (keyof ColumnTypeIR)[];
