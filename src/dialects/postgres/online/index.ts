/**
 * PostgreSQL's online revisions: the planner (./plan.ts), the op kinds only online
 * revisions use (./kinds.ts), their SQL (./render.ts) and how each step runs (./run.ts).
 */
import type { OnlineSettings, OnlineSupport } from "../../dialect.js";
import type { Op } from "../../../ops/ops.js";
import type { SchemaIR } from "../../../schema/ir.js";
import { renderOp } from "../render.js";
import { asOnlineOp, schemaEffect } from "./kinds.js";
import { planOnline } from "./plan.js";
import { renderOnlineOp } from "./render.js";
import { onlineCallText, onlineMethods } from "./calls.js";
import type { OpExtension } from "../../../ops/extensions.js";
import { findTable } from "../../../schema/ir.js";
import { expression, qualified, quoteIdent } from "../quote.js";
import { lockTimeoutStatement, retryLocks, runOnlineOp } from "./run.js";

/** `--sql`: each op its own transaction with a short lock_timeout; concurrent builds and backfills outside one. */
function renderOnline(op: Op, state: SchemaIR, settings: OnlineSettings): string[] {
  const own = asOnlineOp(op);
  if (own?.kind === "backfill") return renderOnlineOp(own, state);
  if ((op.kind === "createIndex" || op.kind === "dropIndex") && op.concurrently) {
    const sql = renderOp(op, state).map((s) =>
      op.kind === "dropIndex" ? s.replace(/^DROP INDEX CONCURRENTLY /, "DROP INDEX CONCURRENTLY IF EXISTS ") : s,
    );
    return [lockTimeoutStatement(settings.lockTimeoutMs, false), ...sql];
  }
  const sql = own ? renderOnlineOp(own, state) : renderOp(op, state);
  return ["BEGIN", lockTimeoutStatement(settings.lockTimeoutMs), ...sql, "COMMIT"];
}

export const online: OnlineSupport = {
  plan: planOnline,
  runOp: runOnlineOp,
  renderOp: renderOnline,
  session: (settings) => ({ begin: [lockTimeoutStatement(settings.lockTimeoutMs, false)], end: ["RESET lock_timeout"] }),
  retry: retryLocks,
  schemaEffect: (op) => {
    const own = asOnlineOp(op);
    return own ? schemaEffect(own) : undefined;
  },
  summary:
    "online: each step runs in its own short transaction with a lock_timeout, retried with backoff; a killed run resumes at the step it stopped in",
};

/** The online kinds' `op.*` methods and call text. */
export const onlineOpExtension: OpExtension = {
  methods: (push) => onlineMethods((op) => push(op as unknown as Op)),
  callText: (op) => {
    const own = asOnlineOp(op);
    return own ? onlineCallText(own) : undefined;
  },
};

/**
 * An online kind in a plain revision (a hand-written backfill): one statement, in the
 * revision's transaction; the batches and resume are an online revision's.
 */
export function renderInPlainRevision(op: Op, state: SchemaIR): string[] | undefined {
  const own = asOnlineOp(op);
  if (!own) return undefined;
  if (own.kind !== "backfill") return renderOnlineOp(own, state);
  const table = findTable(state, own.table);
  const sets = Object.entries(own.set).map(([c, v]) => `${quoteIdent(c)} = ${expression(v, `backfill of ${own.table}.${c}`)}`);
  const where = own.where ? ` WHERE ${expression(own.where, `where of backfill of ${own.table}`)}` : "";
  return [`UPDATE ${qualified(own.table, table?.schema)} SET ${sets.join(", ")}${where}`];
}
