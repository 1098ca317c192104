/**
 * The lint rules: what a reviewer of a migration must know before it runs against a
 * live database, after squawk and strong_migrations. Pure: ops in, findings out, with
 * the schema before the revision (to tell an existing table, which holds rows and
 * serves traffic, from one the revision creates).
 *
 * Locking rules (indexes without CONCURRENTLY, constraints without NOT VALID, rewrites,
 * volatile defaults) apply where the dialect says ALTERs lock a live table the way
 * PostgreSQL's do (`capabilities.lockingLint`); the others apply everywhere.
 */
import type { Op } from "../ops/ops.js";
import { definitionOf, isDatabaseOp } from "../ops/registry.js";
import type { ColumnTypeIR, SchemaIR } from "../schema/ir.js";

export const LINT_RULES = {
  "index-not-concurrent": "index created on an existing table without CONCURRENTLY: writes to the table wait until the build ends",
  "foreign-key-not-valid": "foreign key added to an existing table without NOT VALID: both tables are locked while every row is checked",
  "check-not-valid": "check constraint added to an existing table without NOT VALID: the table is locked while every row is checked",
  "type-change-rewrite": "column type change that rewrites the whole table under an ACCESS EXCLUSIVE lock",
  "rename-breaks-code": "rename: code still running against the old name fails until it is deployed with the new one",
  "volatile-default": "new column with a volatile default: every row is rewritten under an ACCESS EXCLUSIVE lock",
  "not-null-without-default": "NOT NULL column added to an existing table without a default: fails as soon as the table has rows",
  "collation-convert": "table collation change on an existing table: every row is converted while the table is rebuilt and writes wait",
  "data-not-restored": "downgrade recreates what the upgrade dropped, empty: the data is not restored",
} as const;

export type LintRule = keyof typeof LINT_RULES;

export interface LintFinding {
  rule: LintRule;
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
  /** The dialect's ALTERs lock live tables as PostgreSQL's do: the locking rules apply. */
  locking: boolean;
  /** For a downgrade: the upgrade's ops (what it dropped). */
  upgradeOps?: readonly Op[];
}

/** Functions whose value differs per row: a default calling one cannot be stored once for all rows. */
const VOLATILE = /\b(random|gen_random_uuid|uuid_generate_v[14]\w*|clock_timestamp|timeofday|nextval|txid_current)\s*\(/i;

/** A type change PostgreSQL makes without touching the rows (binary-coercible). */
function changesInPlace(from: ColumnTypeIR, to: ColumnTypeIR): boolean {
  if ((from.array ?? false) !== (to.array ?? false)) return false;
  const text = new Set(["varchar", "character varying", "text"]);
  if (from.type === to.type) {
    if (from.length !== undefined && (to.length === undefined || to.length >= from.length)) return true;
    if (
      from.precision !== undefined &&
      to.precision !== undefined &&
      (from.scale ?? 0) === (to.scale ?? 0) &&
      to.precision >= from.precision
    )
      return true;
    return from.length === to.length && from.precision === to.precision && from.scale === to.scale;
  }
  return text.has(from.type) && (to.type === "text" || (to.type === "varchar" && to.length === undefined));
}

function tableExisted(ctx: LintContext, name: string, createdHere: ReadonlySet<string>): boolean {
  return !createdHere.has(name) && ctx.before.tables.some((t) => t.name === name);
}

export function lintOps(ops: readonly Op[], ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  const createdHere = new Set<string>();
  const add = (rule: LintRule, opIndex: number, what: string, instead: string) =>
    out.push({ rule, opIndex, direction: ctx.direction, message: `${LINT_RULES[rule]} (${what})${instead ? `; ${instead}` : ""}` });
  const droppedByUpgrade = (kind: "table" | "column", table: string, column?: string) =>
    (ctx.upgradeOps ?? []).some((u) =>
      kind === "table"
        ? u.kind === "dropTable" && u.table.name === table
        : u.kind === "dropColumn" && u.table === table && u.column.name === column,
    );

  ops.forEach((op, i) => {
    switch (op.kind) {
      case "createTable":
        createdHere.add(op.table.name);
        if (ctx.direction === "downgrade" && droppedByUpgrade("table", op.table.name)) {
          add("data-not-restored", i, `table ${op.table.name}`, "restore its rows from a backup if they are needed");
        }
        return;
      case "renameTable":
        createdHere.add(op.to);
        add(
          "rename-breaks-code",
          i,
          `table ${op.from} -> ${op.to}`,
          "deploy code that works with both names first, or add a view under the old name",
        );
        return;
      case "renameColumn":
        add(
          "rename-breaks-code",
          i,
          `column ${op.table}.${op.from} -> ${op.to}`,
          "add the new column, write both, backfill, then drop the old one in a later release",
        );
        return;
      case "addColumn": {
        const existing = tableExisted(ctx, op.table, createdHere);
        if (ctx.direction === "downgrade" && droppedByUpgrade("column", op.table, op.column.name)) {
          add("data-not-restored", i, `column ${op.table}.${op.column.name}`, "restore its values from a backup if they are needed");
        }
        // A downgrade re-adding a column runs on a table with rows as much as an upgrade does.
        if (
          existing &&
          !op.column.nullable &&
          op.column.default === undefined &&
          op.column.generated === undefined &&
          op.column.identity === undefined &&
          !op.column.computed
        ) {
          add(
            "not-null-without-default",
            i,
            `${op.table}.${op.column.name}`,
            "add it nullable, fill it, then make it NOT NULL, or give it a default",
          );
        }
        if (ctx.locking && existing && op.column.default !== undefined && VOLATILE.test(op.column.default)) {
          add(
            "volatile-default",
            i,
            `${op.table}.${op.column.name} DEFAULT ${op.column.default}`,
            "add it without the default, backfill in batches, then set the default",
          );
        }
        return;
      }
      case "alterColumn":
        if (
          ctx.locking &&
          op.changes.type &&
          tableExisted(ctx, op.table, createdHere) &&
          !changesInPlace(op.changes.type.from, op.changes.type.to)
        ) {
          add("type-change-rewrite", i, `${op.table}.${op.column}`, "add a new column of the new type, backfill it, and switch over");
        }
        return;
      case "createIndex":
        if (ctx.locking && !op.concurrently && tableExisted(ctx, op.table, createdHere)) {
          add(
            "index-not-concurrent",
            i,
            `${op.index.name} on ${op.table}`,
            "pass { concurrently: true } and export const transaction = false",
          );
        }
        return;
      case "createForeignKey":
        if (ctx.locking && tableExisted(ctx, op.table, createdHere)) {
          add(
            "foreign-key-not-valid",
            i,
            `${op.foreignKey.name ?? op.foreignKey.columns.join(", ")} on ${op.table}`,
            'add it with op.execute("… NOT VALID") and VALIDATE CONSTRAINT in a later revision',
          );
        }
        return;
      case "createCheck":
        if (ctx.locking && tableExisted(ctx, op.table, createdHere)) {
          add(
            "check-not-valid",
            i,
            `${op.check.name ?? op.check.expression} on ${op.table}`,
            'add it with op.execute("… NOT VALID") and VALIDATE CONSTRAINT in a later revision',
          );
        }
        return;
      case "execute":
        return;
      default:
        if (!isDatabaseOp(op)) return;
        definitionOf(op).lint?.(op, {
          tableExisted: (table) => tableExisted(ctx, table, createdHere),
          add: (rule, what, instead) => add(rule, i, what, instead),
        });
    }
  });
  return out;
}
