/**
 * PostgreSQL's online revisions: the planner (./plan.ts), the op kinds only online
 * revisions use (./kinds.ts), their SQL (./render.ts) and how each step runs (./run.ts).
 */
import type { OnlineSettings, OnlineSupport } from "../../dialect.js";
import type { Op } from "../../../ops/ops.js";
import type { SchemaIR } from "../../../schema/ir.js";
import { renderOp } from "../render.js";
import { planOnline } from "./plan.js";
import { renderOnlineOp } from "./render.js";
import { lockTimeoutStatement, retryLocks, runOnlineOp } from "./run.js";

/** `--sql`: each op its own transaction with a short lock_timeout; concurrent builds and backfills outside one. */
function renderOnline(op: Op, state: SchemaIR, settings: OnlineSettings): string[] {
  if (op.kind === "backfill") return renderOnlineOp(op, state);
  if ((op.kind === "createIndex" || op.kind === "dropIndex") && op.concurrently) {
    const sql = renderOp(op, state).map((s) =>
      op.kind === "dropIndex" ? s.replace(/^DROP INDEX CONCURRENTLY /, "DROP INDEX CONCURRENTLY IF EXISTS ") : s,
    );
    return [lockTimeoutStatement(settings.lockTimeoutMs, false), ...sql];
  }
  const sql = renderOp(op, state);
  return ["BEGIN", lockTimeoutStatement(settings.lockTimeoutMs), ...sql, "COMMIT"];
}

export const online: OnlineSupport = {
  plan: planOnline,
  runOp: runOnlineOp,
  renderOp: renderOnline,
  session: (settings) => ({ begin: [lockTimeoutStatement(settings.lockTimeoutMs, false)], end: ["RESET lock_timeout"] }),
  retry: retryLocks,
  summary:
    "online: each step runs in its own short transaction with a lock_timeout, retried with backoff; a killed run resumes at the step it stopped in",
};
