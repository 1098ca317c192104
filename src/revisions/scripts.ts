/**
 * Reads revision files from the versions directories into `RevisionScript`s: the
 * graph node data plus the upgrade/downgrade functions. Every malformed file is
 * reported as one line naming the file and the export at fault.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { transpileAhead } from "../load/batch-transpile.js";
import { UserError } from "../errors.js";
import { loadModule } from "../load/typescript.js";
import type { Operations } from "../ops/ops.js";

export type MigrationFn = (op: Operations) => void | Promise<void>;

export interface RevisionScript {
  revision: string;
  downRevision: string | string[] | null;
  dependsOn?: string[];
  branchLabels?: string[];
  message?: string;
  createdAt?: string;
  /** Absolute path of the file. */
  path: string;
  /** False when the file says `export const transaction = false`: it runs outside a transaction (CREATE INDEX CONCURRENTLY). */
  transaction?: boolean;
  /**
   * True when the file says `export const online = true`: each op runs as its own step
   * (short transaction, lock_timeout, retries), and a killed run resumes at the step it
   * stopped in (src/runtime/online.ts).
   */
  online?: boolean;
  upgrade: MigrationFn;
  downgrade: MigrationFn;
}

const REVISION_FILE = /\.(ts|js|cjs|mts|mjs)$/;
const REVISION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export function isRevisionFile(name: string): boolean {
  return REVISION_FILE.test(name) && !name.endsWith(".d.ts") && !name.startsWith(".");
}

function stringList(file: string, name: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === "string")) {
    throw new UserError(`${file}: export "${name}" must be a string or an array of strings`);
  }
  return list.length ? list : undefined;
}

export function scriptFromModule(file: string, mod: Record<string, unknown>): RevisionScript {
  const { revision, downRevision, upgrade, downgrade, message, createdAt } = mod;
  if (revision === undefined) throw new UserError(`${file}: missing export "revision" (the revision's id)`);
  if (typeof revision !== "string" || !REVISION_ID.test(revision)) {
    throw new UserError(`${file}: export "revision" must be a non-empty id of letters, digits, "_" or "-"`);
  }
  let down: string | string[] | null;
  if (downRevision === null || downRevision === undefined) {
    if (downRevision === undefined) throw new UserError(`${file}: missing export "downRevision" (use null for a base revision)`);
    down = null;
  } else if (typeof downRevision === "string") {
    down = downRevision;
  } else if (Array.isArray(downRevision) && downRevision.length > 0 && downRevision.every((d) => typeof d === "string")) {
    down = downRevision.length === 1 ? (downRevision[0] as string) : (downRevision as string[]);
  } else {
    throw new UserError(`${file}: export "downRevision" must be null, a revision id or an array of ids`);
  }
  if (typeof upgrade !== "function") throw new UserError(`${file}: missing export function "upgrade"`);
  if (typeof downgrade !== "function") throw new UserError(`${file}: missing export function "downgrade"`);
  const script: RevisionScript = {
    revision,
    downRevision: down,
    path: file,
    upgrade: upgrade as MigrationFn,
    downgrade: downgrade as MigrationFn,
  };
  const dependsOn = stringList(file, "dependsOn", mod.dependsOn);
  const branchLabels = stringList(file, "branchLabels", mod.branchLabels);
  if (dependsOn) script.dependsOn = dependsOn;
  if (branchLabels) script.branchLabels = branchLabels;
  if (typeof message === "string") script.message = message;
  if (typeof createdAt === "string") script.createdAt = createdAt;
  if (mod.transaction !== undefined) {
    if (typeof mod.transaction !== "boolean") throw new UserError(`${file}: export "transaction" must be true or false`);
    if (!mod.transaction) script.transaction = false;
  }
  if (mod.online !== undefined) {
    if (typeof mod.online !== "boolean") throw new UserError(`${file}: export "online" must be true or false`);
    if (mod.online) script.online = true;
  }
  return script;
}

/** Every revision file in `dirs` (non-recursive; missing directories are empty). */
export function listRevisionFiles(dirs: string[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    if (!statSync(dir).isDirectory()) throw new UserError(`versions path is not a directory: ${dir}`);
    for (const name of readdirSync(dir).sort()) {
      if (isRevisionFile(name)) files.push(path.join(dir, name));
    }
  }
  return files;
}

export function loadRevisionScripts(dirs: string[]): RevisionScript[] {
  const files = listRevisionFiles(dirs);
  transpileAhead(files);
  return files.map((file) => scriptFromModule(file, loadModule(file)));
}
