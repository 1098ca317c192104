/**
 * The schema the revision files describe, without a database: every revision's
 * upgrade is recorded and its ops applied to the IR (the pure `applyOps`), as offline
 * `--sql` does. `check --offline` diffs the models against this state.
 *
 * Raw SQL cannot be replayed: `op.execute` changes nothing the replay can see. A
 * revision whose code reads rows (`op.query`) or reaches beyond `op` (imports, `process`,
 * `console`…; revisions/purity.ts) is not run at all: its code runs once per apply and
 * nowhere else, and without rows a data step's recording means nothing. Each is reported
 * as "not replayable" with its revision (`call: "code"`, and why), never skipped silently.
 */
import type { Dialect } from "../dialects/dialect.js";
import { UserError, errorMessage } from "../errors.js";
import { SchemaState } from "../ops/apply.js";
import { executesOn, type Op } from "../ops/ops.js";
import { OpRecorder } from "../ops/recorder.js";
import { notRunnableOffline } from "../revisions/purity.js";
import type { RevisionScript } from "../revisions/scripts.js";
import { emptySchema, type SchemaIR } from "../schema/ir.js";

export interface NotReplayable {
  revision: string;
  /** The revision file. */
  path: string;
  /** The call the replay could not follow; "code": the revision's code was not run. */
  call: "execute" | "query" | "code";
  /** Its SQL's first line (shortened); for "code", why it was not run. */
  sql: string;
}

export interface Replay {
  state: SchemaIR;
  notReplayable: NotReplayable[];
}

const firstLine = (sql: string) => (sql.trim().split("\n")[0] ?? "").slice(0, 120);

/** The ops `script`'s upgrade records; none (noted) for a revision whose code is not run offline. */
export async function recordForReplay(script: RevisionScript, dialect: SchemaIR["dialect"], notReplayable: NotReplayable[]): Promise<Op[]> {
  const reason = notRunnableOffline(script);
  if (reason !== undefined) {
    notReplayable.push({ revision: script.revision, path: script.path, call: "code", sql: `not run: ${reason}` });
    return [];
  }
  const recorder = new OpRecorder(dialect, async (sql) => {
    notReplayable.push({ revision: script.revision, path: script.path, call: "query", sql: firstLine(sql) });
    return [];
  });
  try {
    await script.upgrade(recorder);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${script.path}: upgrade() failed: ${errorMessage(err)}`);
  }
  for (const op of recorder.ops) {
    if (op.kind === "execute" && executesOn(op, dialect)) {
      notReplayable.push({ revision: script.revision, path: script.path, call: "execute", sql: firstLine(op.sql) });
    }
  }
  return recorder.ops;
}

/** Applies `scripts` (parents first, as `upgradePath` returns them) to an empty schema. */
export async function replayRevisions(scripts: readonly RevisionScript[], dialect: Dialect): Promise<Replay> {
  const notReplayable: NotReplayable[] = [];
  // One working copy for the whole replay: linear in the ops, whatever the schema's size.
  const state = new SchemaState(emptySchema(dialect.name), { owned: true });
  for (const script of scripts) {
    for (const op of await recordForReplay(script, dialect.name, notReplayable)) {
      if (op.kind === "execute") continue;
      try {
        state.apply(op);
      } catch (err) {
        throw new UserError(`${script.path}: op.${op.kind}(): ${errorMessage(err)}`);
      }
    }
  }
  return { state: state.schema, notReplayable };
}
