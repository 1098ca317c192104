/**
 * A revision's checksum, what the migration log compares to notice an edit of an applied
 * revision. It never runs code that could reach beyond `op` (revisions/purity.ts): user
 * code runs once per apply, and a checksum is no apply.
 *
 * - A pure revision (every generated one): SHA-256 of what its `upgrade` and `downgrade`
 *   record, as canonical JSON (keys sorted). Formatting, comments and the order of
 *   object keys do not change it; any change to what it does does. `op.query` calls are
 *   part of it (their SQL; they get no rows here). Logs written before keep matching.
 * - A revision with side effects (it imports modules, uses `process`, `console`…):
 *   `src:` and the SHA-256 (60 hex digits) of its text and of every relative module it
 *   imports, transitively. Any edit counts, reformatting included. A log row from before
 *   (a recorded checksum) cannot be compared without running the code: "unverifiable",
 *   which `upgrade` re-records and says so (runtime/log.ts).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { autogenCodeStamp, hashOf, readCachedText, writeCachedText } from "../load/cache.js";
import { cacheDirFor, loaderSettings } from "../load/program.js";
import { errorMessage } from "../errors.js";
import { OpRecorder } from "../ops/recorder.js";
import type { DialectName } from "../schema/ir.js";
import { purityOf, runtimeImports } from "./purity.js";
import type { MigrationFn, RevisionScript } from "./scripts.js";
import { canonical } from "../schema/canonical.js";

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

/** Marks a checksum of the file's text (a recorded one is 64 hex digits, no prefix). */
export const SOURCE_CHECKSUM_PREFIX = "src:";

const LOCAL_EXTENSIONS = ["", ".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", "/index.ts", "/index.js"];

/** The file a relative specifier names (`./helpers.js` may be `./helpers.ts`), if it exists. */
function localModule(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const stripped = base.replace(/\.(c|m)?js$/, "");
  for (const candidate of [...LOCAL_EXTENSIONS.map((e) => base + e), ...LOCAL_EXTENSIONS.map((e) => stripped + e)]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** `src:` + SHA-256 of the file and the relative modules it imports (transitively), paths relative to the file's directory. */
export function sourceChecksum(file: string): string {
  const hash = createHash("sha256");
  const root = path.dirname(file);
  const seen = new Set<string>();
  const visit = (at: string) => {
    if (seen.has(at)) return;
    seen.add(at);
    let text: string;
    try {
      text = readFileSync(at, "utf8");
    } catch {
      hash.update(`missing\0${path.relative(root, at)}\0`);
      return;
    }
    hash.update(`${path.relative(root, at)}\0${text.length}\0${text}`);
    for (const specifier of runtimeImports(text)) {
      if (!specifier.startsWith(".")) continue;
      const found = localModule(at, specifier);
      if (found) visit(found);
      else hash.update(`unresolved\0${specifier}\0`);
    }
  };
  visit(file);
  return SOURCE_CHECKSUM_PREFIX + hash.digest("hex").slice(0, 64 - SOURCE_CHECKSUM_PREFIX.length);
}

export async function revisionChecksum(script: RevisionScript, dialect: DialectName): Promise<string> {
  if (purityOf(script).sideEffects) return sourceChecksum(script.path);
  return recordedChecksum(script, dialect);
}

/**
 * Whether the file still does what `logged` (a log row's checksum) describes: compared
 * in the logged checksum's own kind. A recorded checksum of a file that now has side
 * effects cannot be compared without running it: "unverifiable".
 */
export async function compareChecksum(
  script: RevisionScript,
  dialect: DialectName,
  logged: string,
): Promise<{ verdict: "same" | "changed" | "unverifiable"; now: string }> {
  if (logged.startsWith(SOURCE_CHECKSUM_PREFIX)) {
    const now = sourceChecksum(script.path);
    return { verdict: now === logged ? "same" : "changed", now };
  }
  if (purityOf(script).sideEffects) return { verdict: "unverifiable", now: sourceChecksum(script.path) };
  const now = await recordedChecksum(script, dialect);
  return { verdict: now === logged ? "same" : "changed", now };
}

async function recordedChecksum(script: RevisionScript, dialect: DialectName): Promise<string> {
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
