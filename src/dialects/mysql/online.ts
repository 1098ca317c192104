/**
 * Online revisions on MySQL/MariaDB: the same ops as a plain revision, each ALTER asking
 * the server for `ALGORITHM=INPLACE, LOCK=NONE` where InnoDB can make the change while
 * writes go on (indexes, adding, dropping and renaming columns, NOT NULL and default
 * changes, foreign keys dropped); a server that cannot refuses the statement instead of
 * silently locking the table. What InnoDB can only do by copying the table under a lock
 * (a column's type changed, a foreign key or CHECK added, a table's collation or engine)
 * is kept as it is, with a note naming gh-ost and pt-online-schema-change, the tools that
 * copy a table beside the live one. Each statement waits for its metadata lock at most
 * `onlineLockTimeout` (lock_wait_timeout, in whole seconds) and is retried with backoff.
 *
 * MySQL DDL commits as it runs: a step's done mark is written right after its statement,
 * so a kill between the two leaves that one step to be checked by hand (the next run
 * stops at it, naming it).
 */
import type { OnlinePlan, OnlineSettings, OnlineStepContext, OnlineSupport } from "../dialect.js";
import { UserError, errorMessage } from "../../errors.js";
import { dispatchByKind, type ByKind } from "../by-kind.js";
import type { Op } from "../../ops/ops.js";
import { findTable, type SchemaIR } from "../../schema/ir.js";

/** ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK. */
const RETRIED = new Set([1205, 1213]);

/** Why each kind on an existing table cannot be done in place without a lock; undefined (and kinds not listed): it can. */
const COPIES_TABLE: Partial<ByKind<Op, string | undefined>> = {
  alterColumn(op) {
    if (op.changes.type) return `changing ${op.table}.${op.column}'s type copies the table`;
    if (op.changes.generated || op.changes.identity) return `changing how ${op.table}.${op.column} is generated copies the table`;
    return undefined;
  },
  createForeignKey: (op) =>
    `adding foreign key ${op.foreignKey.name ?? op.foreignKey.columns.join(", ")} to ${op.table} copies it (in place only with foreign_key_checks off)`,
  createCheck: (op) => `adding a CHECK constraint to ${op.table} copies it`,
  alterTable: (op) => `changing ${op.table}'s ${op.changes.collation ? "collation" : "engine"} copies it`,
  dropPrimaryKey: (op) => `dropping ${op.table}'s primary key copies it`,
};

const copiesTable = dispatchByKind<Op, string | undefined, []>(COPIES_TABLE, () => undefined);

/** Ops whose ALTER takes `ALGORITHM=INPLACE, LOCK=NONE`. */
const IN_PLACE = new Set<Op["kind"]>([
  "createIndex",
  "dropIndex",
  "addColumn",
  "dropColumn",
  "renameColumn",
  "alterColumn",
  "createUnique",
  "dropUnique",
  "dropForeignKey",
  "createPrimaryKey",
]);

function inPlace(op: Op, state: SchemaIR): boolean {
  if (!IN_PLACE.has(op.kind) || copiesTable(op)) return false;
  if ((op.kind === "createIndex" || op.kind === "dropIndex") && op.index.method) return false;
  return "table" in op && typeof op.table === "string" && findTable(state, op.table) !== undefined;
}

/** The statements of `op` with the in-place clause where the server can honour it. */
export function withInPlace(op: Op, sql: readonly string[], state: SchemaIR): string[] {
  if (!inPlace(op, state)) return [...sql];
  return sql.map((s) =>
    /^ALTER TABLE /.test(s)
      ? `${s}, ALGORITHM=INPLACE, LOCK=NONE`
      : /^CREATE (UNIQUE )?INDEX /.test(s)
        ? `${s} ALGORITHM=INPLACE LOCK=NONE`
        : s,
  );
}

function plan(ops: readonly Op[], before: SchemaIR): OnlinePlan {
  const created = new Set<string>();
  const notes: OnlinePlan["notes"] = [];
  ops.forEach((op, i) => {
    if (op.kind === "createTable") created.add(op.table.name);
    const table = "table" in op && typeof op.table === "string" ? op.table : undefined;
    if (!table || created.has(table) || !before.tables.some((t) => t.name === table)) return;
    const why = copiesTable(op);
    if (why) {
      notes.push({
        opIndex: i,
        message: `online: not online on MySQL/MariaDB: ${why} while writes wait; for a large table run this change with gh-ost or pt-online-schema-change instead`,
      });
    }
  });
  return { ops: [...ops], origin: ops.map((_, i) => i), notes };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function retry<T>(settings: OnlineSettings, what: string, attempt: () => Promise<T>, notify: (line: string) => void): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const errno = (err as { errno?: number }).errno;
      if (errno === undefined || !RETRIED.has(errno)) throw err;
      if (n > settings.retries) {
        throw new UserError(
          `${what}: could not take its metadata lock within lock_wait_timeout in ${n} tries (${errorMessage(err).split("\n")[0]}); another session holds the table. Run upgrade again to resume here, or raise "onlineRetries" / "onlineLockTimeout"`,
        );
      }
      const base = Math.min(30_000, settings.retryDelayMs * 2 ** (n - 1));
      const pause = Math.round(base / 2 + Math.random() * (base / 2));
      notify(`  ${what}: lock not available, retry ${n}/${settings.retries} in ${pause} ms`);
      await sleep(pause);
    }
  }
}

export function mysqlOnline(render: (op: Op, state: SchemaIR) => string[]): OnlineSupport {
  return {
    plan,
    async runOp(op: Op, ctx: OnlineStepContext) {
      const sql = withInPlace(op, render(op, ctx.state), ctx.state);
      await retry(
        ctx.settings,
        `${op.kind}${"table" in op && typeof op.table === "string" ? ` on ${op.table}` : ""}`,
        async () => {
          for (const s of sql) await ctx.conn.query(s);
        },
        ctx.notify,
      );
      for (const s of ctx.done) await ctx.conn.query(s);
    },
    renderOp: (op, state) => withInPlace(op, render(op, state), state),
    // lock_wait_timeout counts whole seconds.
    session: (settings) => ({
      begin: [`SET SESSION lock_wait_timeout = ${Math.max(1, Math.ceil(settings.lockTimeoutMs / 1000))}`],
      end: ["SET SESSION lock_wait_timeout = DEFAULT"],
    }),
    retry,
    summary:
      "online: each ALTER asks for ALGORITHM=INPLACE, LOCK=NONE (the server refuses what it cannot do that way), waits for its lock at most onlineLockTimeout and is retried; a killed run resumes at the step it stopped in",
  };
}
