/**
 * PostgreSQL's locking rules, after squawk and strong_migrations: ALTERs on a live table
 * take locks that stop writers (or readers) while rows are scanned or rewritten. They
 * apply to tables that existed before the revision; the shared rules are in
 * ../../lint/rules.ts.
 */
import type { DatabaseLint } from "../../lint/rules.js";
import type { KindLintContext } from "../../ops/kind.js";
import type { Op } from "../../ops/ops.js";
import { dispatchByKind } from "../by-kind.js";
import { changesInPlace } from "./in-place.js";

/** Functions whose value differs per row: a default calling one cannot be stored once for all rows. */
const VOLATILE = /\b(random|gen_random_uuid|uuid_generate_v[14]\w*|clock_timestamp|timeofday|nextval|txid_current)\s*\(/i;

export const postgresLint: DatabaseLint = {
  rules: {
    "index-not-concurrent": "index created on an existing table without CONCURRENTLY: writes to the table wait until the build ends",
    "foreign-key-not-valid": "foreign key added to an existing table without NOT VALID: both tables are locked while every row is checked",
    "check-not-valid": "check constraint added to an existing table without NOT VALID: the table is locked while every row is checked",
    "type-change-rewrite": "column type change that rewrites the whole table under an ACCESS EXCLUSIVE lock",
    "volatile-default": "new column with a volatile default: every row is rewritten under an ACCESS EXCLUSIVE lock",
  },
  // Locks a reviewer should weigh, usually brief on small tables: notes. Rewrites: errors.
  severity: {
    "index-not-concurrent": "note",
    "foreign-key-not-valid": "note",
    "check-not-valid": "note",
    "type-change-rewrite": "error",
    "volatile-default": "error",
  },
  check: dispatchByKind<Op, void, [ctx: KindLintContext]>(
    {
      addColumn(op, ctx) {
        if (ctx.tableExisted(op.table) && op.column.default !== undefined && VOLATILE.test(op.column.default)) {
          ctx.add(
            "volatile-default",
            `${op.table}.${op.column.name} DEFAULT ${op.column.default}`,
            "add it without the default, backfill in batches, then set the default",
          );
        }
      },
      alterColumn(op, ctx) {
        if (op.changes.type && ctx.tableExisted(op.table) && !changesInPlace(op.changes.type.from, op.changes.type.to)) {
          ctx.add("type-change-rewrite", `${op.table}.${op.column}`, "add a new column of the new type, backfill it, and switch over");
        }
      },
      createIndex(op, ctx) {
        if (!op.concurrently && ctx.tableExisted(op.table)) {
          ctx.add(
            "index-not-concurrent",
            `${op.index.name} on ${op.table}`,
            "pass { concurrently: true } and export const transaction = false",
          );
        }
      },
      createForeignKey(op, ctx) {
        if (ctx.tableExisted(op.table)) {
          ctx.add(
            "foreign-key-not-valid",
            `${op.foreignKey.name ?? op.foreignKey.columns.join(", ")} on ${op.table}`,
            'add it with op.execute("… NOT VALID") and VALIDATE CONSTRAINT in a later revision',
          );
        }
      },
      createCheck(op, ctx) {
        if (ctx.tableExisted(op.table)) {
          ctx.add(
            "check-not-valid",
            `${op.check.name ?? op.check.expression} on ${op.table}`,
            'add it with op.execute("… NOT VALID") and VALIDATE CONSTRAINT in a later revision',
          );
        }
      },
    },
    // Other kinds take no lock these rules weigh.
    () => {},
  ),
};
