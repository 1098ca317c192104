/**
 * The lint rules: what a reviewer of a migration must know before it runs against a
 * live database, after squawk and strong_migrations. Pure: ops in, findings out, with
 * the schema before the revision (to tell an existing table, which holds rows and
 * serves traffic, from one the revision creates).
 *
 * The rules here apply on every database. A database adds its own (PostgreSQL's locking
 * rules: indexes without CONCURRENTLY, constraints without NOT VALID, rewrites, volatile
 * defaults) through `Dialect.lint`, and a kind only one database has through its definition.
 */
import type { Op } from "../ops/ops.js";
import { definitionOf, opIdentity } from "../ops/registry.js";
import type { KindLintContext } from "../ops/kind.js";
import type { SchemaIR } from "../schema/ir.js";

export const LINT_RULES: Readonly<Record<string, string>> = {
  "rename-breaks-code": "rename: code still running against the old name fails until it is deployed with the new one",
  "not-null-without-default": "NOT NULL column added to an existing table without a default: fails as soon as the table has rows",
  "data-not-restored": "downgrade recreates what the upgrade dropped, empty: the data is not restored",
} as const;

/** A rule's name: one of LINT_RULES, or one a database adds (`DatabaseLint.rules`). */
export type LintRule = string;

export type LintSeverity = "error" | "note";

/**
 * A database's own rules: their texts and severities, and the check run on each op after
 * the shared rules (none where only its own op kinds raise them, from their definitions).
 */
export interface DatabaseLint {
  readonly rules: Readonly<Record<string, string>>;
  /** A rule not named here is an error. */
  readonly severity: Readonly<Record<string, LintSeverity>>;
  check?(op: Op, ctx: KindLintContext): void;
}

/**
 * What `autogen lint` fails on by default. An "error" is unsafe as written: it fails on a
 * table with rows, or rewrites a whole table under an exclusive lock. A "note" is what a
 * reviewer should know and usually accepts — every generated downgrade that recreates a
 * dropped column carries `data-not-restored` — and fails only with `--strict`.
 */
export const LINT_SEVERITY: Readonly<Record<string, LintSeverity>> = {
  "rename-breaks-code": "note",
  "not-null-without-default": "error",
  "data-not-restored": "note",
};

export interface LintFinding {
  rule: LintRule;
  severity: LintSeverity;
  /** One line: the rule's text and the object it concerns, and what to do instead. */
  message: string;
  /** Index of the op in its direction's op list. */
  opIndex: number;
  direction: "upgrade" | "downgrade";
}

export interface LintContext {
  /** The schema before the revision's upgrade. */
  before: SchemaIR;
  direction: "upgrade" | "downgrade";
  /** The database's own rules (its `Dialect.lint`), if it has any. */
  database?: DatabaseLint;
  /** For a downgrade: the upgrade's ops (what it dropped). */
  upgradeOps?: readonly Op[];
}

function tableExisted(ctx: LintContext, name: string, createdHere: ReadonlySet<string>): boolean {
  return !createdHere.has(name) && ctx.before.tables.some((t) => t.name === name);
}

/** The identity of the op that undoes `op`; none for an op nothing undoes (raw SQL without a reverse). */
function reversedIdentity(op: Op): string[] {
  try {
    return [opIdentity(definitionOf(op).reverse(op))];
  } catch {
    return [];
  }
}

export function lintOps(ops: readonly Op[], ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  const createdHere = new Set<string>();
  // What the upgrade's ops would be undone by, computed once, on the first question.
  let undoneByUpgrade: Set<string> | undefined;
  const undone = () => (undoneByUpgrade ??= new Set((ctx.upgradeOps ?? []).flatMap(reversedIdentity)));
  ops.forEach((op, opIndex) => {
    const hooks: KindLintContext = {
      direction: ctx.direction,
      tableExisted: (table) => tableExisted(ctx, table, createdHere),
      created: (table) => createdHere.add(table),
      undoesUpgrade: (o) => undone().has(opIdentity(o)),
      add: (rule, what, instead) =>
        out.push({
          rule,
          severity: LINT_SEVERITY[rule] ?? ctx.database?.severity[rule] ?? "error",
          opIndex,
          direction: ctx.direction,
          message: `${LINT_RULES[rule] ?? ctx.database?.rules[rule] ?? rule} (${what})${instead ? `; ${instead}` : ""}`,
        }),
    };
    definitionOf(op).lint?.(op, hooks);
    ctx.database?.check?.(op, hooks);
  });
  return out;
}
