/**
 * A revision's checksum: SHA-256 of what its `upgrade` and `downgrade` record, as
 * canonical JSON (keys sorted). Formatting, comments and the order of object keys in the
 * file do not change it; any change to what the revision does does. `op.query` calls
 * are part of it (their SQL; they get no rows here).
 */
import { createHash } from "node:crypto";
import { errorMessage } from "../errors.js";
import { OpRecorder } from "../ops/recorder.js";
import type { DialectName } from "../schema/ir.js";
import type { MigrationFn, RevisionScript } from "./scripts.js";

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

async function recordAll(fn: MigrationFn, dialect: DialectName): Promise<unknown[]> {
  const calls: unknown[] = [];
  const recorder = new OpRecorder(dialect, async (sql, params, pending) => {
    calls.push(...pending, { kind: "query", sql, params: params ?? [] });
    return [];
  });
  try {
    await fn(recorder);
  } catch (err) {
    // An irreversible downgrade throws on purpose: its reason is part of what it does.
    calls.push({ kind: "throws", message: errorMessage(err) });
  }
  calls.push(...recorder.takePending());
  return calls;
}

export async function revisionChecksum(script: RevisionScript, dialect: DialectName): Promise<string> {
  const body = {
    revision: script.revision,
    downRevision: script.downRevision,
    upgrade: await recordAll(script.upgrade, dialect),
    downgrade: await recordAll(script.downgrade, dialect),
  };
  return createHash("sha256").update(JSON.stringify(canonical(body))).digest("hex");
}
