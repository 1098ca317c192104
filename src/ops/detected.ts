/**
 * One line per op for the console after autogenerate, as Alembic's "Detected added
 * column 'users.role'": what changed, in words, with the object's full name. The revision
 * file has the exact call; this is the summary a user reads before opening it. Each kind
 * words its line in its definition (`describe`).
 */
import type { Op } from "./ops.js";
import { definitionOf } from "./registry.js";
import { q } from "./core/words.js";

/** The line for `op`: its kind's own words, else its `op.*` method and what it concerns. */
export function detectedLine(op: Op): string {
  const definition = definitionOf(op);
  if (definition.describe) return definition.describe(op);
  // A kind without words of its own: named by its op.* method and what it concerns.
  const { table, name } = definition.subject(op);
  return `${definition.method}${name !== undefined ? ` ${q(name)}` : ""}${table !== undefined ? ` on ${q(table)}` : ""}`;
}
