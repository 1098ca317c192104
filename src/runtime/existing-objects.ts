/**
 * Before a create-only revision runs (a first revision, typically): which of the objects
 * it creates the database already holds. None: it runs. Some, and an earlier run of this
 * revision stopped part-way (it commits in several transactions, or its DDL commits as it
 * runs), and they are exactly the first ops' objects, exactly as those ops define them:
 * the run goes on after them. Anything else is refused before a statement runs, naming
 * the objects: they are someone's (a database set up by hand or by TypeORM's
 * `synchronize`, never stamped), and a run that failed on them would have nothing of its
 * own to undo but must not touch theirs either.
 *
 * "Exactly as defined" is the differ's judgement: the schema the revision's first ops
 * produce, normalised, against the live one, restricted to those objects' tables.
 */
import type { Dialect } from "../dialects/dialect.js";
import { diffSchemas } from "../diff/index.js";
import { UserError } from "../errors.js";
import { SchemaState } from "../ops/apply.js";
import type { Op } from "../ops/ops.js";
import { reverseOps } from "../ops/reverse.js";
import type { SchemaIR } from "../schema/ir.js";
import { isCreating, isPresent, objectLabel } from "./created-objects.js";
import { diffOptionsFor } from "../diff/options.js";

/** `a, b, c` or `a, b, c and 7 more`. */
const listNames = (names: readonly string[], max: number) =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;

export const isCreateOnly = (ops: readonly Op[]): boolean => ops.length > 0 && ops.every(isCreating);

/** The tables and enum types `ops` touch. */
function touched(ops: readonly Op[]): { tables: Set<string>; enums: Set<string> } {
  const tables = new Set<string>();
  const enums = new Set<string>();
  for (const op of ops) {
    if (op.kind === "createTable") tables.add(op.table.name);
    else if (op.kind === "createEnum") enums.add(op.enum.name);
    else if ("table" in op && typeof op.table === "string") tables.add(op.table);
  }
  return { tables, enums };
}

function only(schema: SchemaIR, names: { tables: Set<string>; enums: Set<string> }): SchemaIR {
  // Only the touched tables and enum types: schema-level attributes a database adds are left out.
  return {
    dialect: schema.dialect,
    tables: schema.tables.filter((t) => names.tables.has(t.name)),
    enums: schema.enums.filter((e) => names.enums.has(e.name)),
    views: [],
  };
}

/**
 * The differences between what `prefix` defines and what the database holds for the
 * same objects (empty when they match), as the objects' labels.
 */
function mismatches(dialect: Dialect, prefix: readonly Op[], live: SchemaIR): string[] {
  // The schema before the prefix: the live one with the prefix's objects taken out again.
  const state = new SchemaState(live);
  try {
    for (const op of reverseOps([...prefix])) state.apply(op);
    for (const op of prefix) state.apply(op);
  } catch {
    return prefix.map((op) => objectLabel(op) ?? op.kind);
  }
  const names = touched(prefix);
  const expected = dialect.normalizeSchema(only(state.schema, names));
  const diff = diffSchemas(expected, only(live, names), diffOptionsFor(dialect));
  const differing = new Set<string>();
  for (const op of diff.ops) {
    const table = "table" in op ? (typeof op.table === "string" ? op.table : op.table.name) : undefined;
    if (table !== undefined) differing.add(`table "${table}"`);
    else if (op.kind === "createEnum" || op.kind === "dropEnum") differing.add(`enum type "${op.enum.name}"`);
    else differing.add(op.kind);
  }
  for (const f of diff.findings) if (f.kind === "unsupported") differing.add(f.message.split("\n")[0]!);
  return [...differing];
}

export interface Preflight {
  /** How many of the ops an earlier, interrupted run already applied (to be skipped). */
  skip: number;
  /** For the user, when something is skipped. */
  note?: string;
}

/**
 * Checks a create-only revision's ops against `live` (the database before it runs).
 * `interrupted` says whether the log shows an earlier run of it that stopped part-way;
 * it is asked only when some object is already there.
 */
export async function preflightCreateOnly(
  dialect: Dialect,
  file: string,
  revision: string,
  ops: readonly Op[],
  live: SchemaIR,
  interrupted: () => Promise<boolean>,
): Promise<Preflight> {
  const present = ops.map((op) => isPresent(op, live));
  const count = present.filter(Boolean).length;
  if (count === 0) return { skip: 0 };
  const prefix = present.indexOf(false) === -1 ? ops.length : present.indexOf(false);
  const isPrefix = present.slice(prefix).every((p) => !p);
  const labels = ops.filter((_, i) => present[i]).map((op) => objectLabel(op) ?? op.kind);
  let why = "";
  if (isPrefix && (await interrupted())) {
    const differing = mismatches(dialect, ops.slice(0, prefix), live);
    if (differing.length === 0) {
      return {
        skip: prefix,
        note: `note: revision ${revision}: an earlier run stopped after its first ${prefix} of ${ops.length} operations, and what they created is in the database exactly as the revision defines it; going on from there`,
      };
    }
    why = ` An earlier run of it stopped part-way, but ${listNames(differing, 5)} no longer match${differing.length === 1 ? "es" : ""} what the revision defines.`;
  }
  throw new UserError(
    `${file}: revision ${revision} only creates objects, but ${listNames(labels, 8)} already exist${count === 1 ? "s" : ""} in the database; nothing was changed.${why} ` +
      `If the database already has this revision's schema, record it as applied with \`autogen stamp ${revision}\`; otherwise rename or drop those objects first`,
  );
}
