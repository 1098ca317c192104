/**
 * Faults caused for real: the built CLI as a process of its own, killed with SIGKILL at a
 * chosen statement (test/helpers/kill-at-statement.mjs, preloaded with `node --import`),
 * on a fresh database of any kind (DATABASE_KINDS), with a raw connection to look at
 * what the kill left.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { DbConnection } from "../../src/dialects/dialect.js";
import { getDialect } from "../../src/dialects/index.js";
import { spawnCliAsync, type CliResult } from "./cli.js";
import { createTempDir, type DatabaseKind, type TempDir } from "./databases.js";

const HOOK = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "kill-at-statement.mjs")).href;

export interface KillAt {
  /** The statement to die at (a regex, case-insensitive). */
  sql: string;
  /** Count matches only from the first statement matching this. */
  arm?: string;
  /** The n-th match (default 1). */
  nth?: number;
  /** Before sending it, or after the server answered it (default). */
  when?: "before" | "after";
}

export interface RunOptions {
  kill?: KillAt;
  /** PostgreSQL: a lock table of max_locks_per_transaction × max_connections slots (see the hook). */
  lockBudget?: [number, number];
}

export interface FaultProject {
  dir: TempDir;
  url: string;
  kind: DatabaseKind;
  file(relative: string, text: string): void;
  run(args: string[], options?: RunOptions): Promise<CliResult>;
  query<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
  tables(): Promise<string[]>;
  remove(): Promise<void>;
}

export async function createFaultProject(kind: DatabaseKind, prefix: string): Promise<FaultProject> {
  const db = await kind.create(prefix);
  const dir = createTempDir(`${prefix}-`);
  mkdirSync(dir.file("models"));
  mkdirSync(dir.file("versions"));
  writeFileSync(
    dir.file("autogen.config.json"),
    JSON.stringify({ url: db.url, entities: ["models/*.ts"], versionsDir: "versions" }, null, 2),
  );
  let conn: DbConnection | undefined;
  const query = async <Row>(sql: string): Promise<Row[]> => {
    conn ??= await getDialect(kind.dialect).connect(db.url);
    return conn.query<Row>(sql);
  };
  return {
    dir,
    url: db.url,
    kind,
    file: (relative, text) => writeFileSync(dir.file(relative), text),
    run: (args, options = {}) => {
      const env: NodeJS.ProcessEnv = {};
      if (options.kill || options.lockBudget) env.NODE_OPTIONS = `--import=${HOOK}`;
      if (options.kill) {
        env.AUTOGEN_TEST_KILL_SQL = options.kill.sql;
        env.AUTOGEN_TEST_KILL_WHEN = options.kill.when ?? "after";
        env.AUTOGEN_TEST_KILL_NTH = String(options.kill.nth ?? 1);
        if (options.kill.arm) env.AUTOGEN_TEST_KILL_ARM = options.kill.arm;
      }
      if (options.lockBudget) env.AUTOGEN_TEST_LOCK_BUDGET = options.lockBudget.join(",");
      return spawnCliAsync(args, { cwd: dir.dir, env });
    },
    query,
    tables: async () => (await query<{ name: string }>(kind.tablesQuery)).map((r) => r.name),
    remove: async () => {
      await conn?.close();
      await db.cleanup();
      dir.remove();
    },
  };
}
