/**
 * A revision's checksum: SHA-256 of what its `upgrade` and `downgrade` record, as
 * canonical JSON (keys sorted). Formatting, comments and the order of object keys in the
 * file do not change it; any change to what the revision does does. `op.query` calls
 * are part of it (their SQL; they get no rows here).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { autogenCodeStamp, hashOf, readCachedText, writeCachedText } from "../load/cache.js";
import { cacheDirFor, loaderSettings } from "../load/program.js";
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

/** Bump when what the checksum covers changes. */
const CHECKSUM_FORMAT = 1;

/**
 * Where a revision's checksum is kept between runs: only for a file that imports
 * nothing at run time (type-only imports, as generated files have), since then its text
 * alone decides what it records. A file importing helpers is checksummed every time.
 */
function checksumSlot(script: RevisionScript, dialect: DialectName): { cacheDir: string; key: string } | undefined {
  if (!loaderSettings().cache) return undefined;
  let text: string;
  try {
    text = readFileSync(script.path, "utf8");
  } catch {
    return undefined;
  }
  if (/\brequire\s*\(|\bimport\s*\(|^\s*import\s+(?!type\b)|^\s*export\s+(?:\*|\{[^}]*\})\s+from\b/m.test(text)) return undefined;
  return {
    cacheDir: cacheDirFor(path.dirname(script.path)),
    key: hashOf(`${CHECKSUM_FORMAT}\0${autogenCodeStamp()}\0${dialect}\0${script.path}\0${text}`),
  };
}

export async function revisionChecksum(script: RevisionScript, dialect: DialectName): Promise<string> {
  const slot = checksumSlot(script, dialect);
  const known = slot ? readCachedText(slot.cacheDir, "checksums", slot.key) : undefined;
  if (known !== undefined) return known;
  const checksum = await computeChecksum(script, dialect);
  if (slot) writeCachedText(slot.cacheDir, "checksums", slot.key, checksum);
  return checksum;
}

async function computeChecksum(script: RevisionScript, dialect: DialectName): Promise<string> {
  const body = {
    revision: script.revision,
    downRevision: script.downRevision,
    upgrade: await recordAll(script.upgrade, dialect),
    downgrade: await recordAll(script.downgrade, dialect),
  };
  return createHash("sha256")
    .update(JSON.stringify(canonical(body)))
    .digest("hex");
}
