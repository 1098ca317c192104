/**
 * Op kinds one database adds, registered from its own folder (through the dialect
 * registry, src/dialects/index.ts): the `op.*` methods a revision file calls and the
 * call text the writer puts in the file. A stop-gap until every kind is defined once in
 * the op registry; nothing outside a database's folder names these kinds.
 */
import type { Op } from "./ops.js";

export interface OpExtension {
  /** The methods, recording through `push`. */
  methods(push: (op: Op) => void): object;
  /** The call that records `op`, or undefined when `op` is not one of this extension's kinds. */
  callText(op: Op): string | undefined;
}

const extensions: OpExtension[] = [];

export function registerOpExtension(extension: OpExtension): void {
  if (!extensions.includes(extension)) extensions.push(extension);
}

export function extensionMethods(push: (op: Op) => void): object {
  return Object.assign({}, ...extensions.map((e) => e.methods(push)));
}

export function extensionCallText(op: Op): string | undefined {
  for (const e of extensions) {
    const text = e.callText(op);
    if (text !== undefined) return text;
  }
  return undefined;
}
