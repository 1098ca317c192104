/**
 * Real databases for tests: a fresh PostgreSQL database per test file (dropped
 * afterwards) and SQLite files in a temp directory. PostgreSQL is read from
 * AUTOGEN_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test). When it is
 * unreachable the PG tests skip with a loud message, except under CI=true where
 * they fail.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export const PG_ADMIN_URL = process.env.AUTOGEN_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let reachable: boolean | undefined;
export async function pgReachable(): Promise<boolean> {
  if (reachable !== undefined) return reachable;
  try {
    await adminQuery("select 1");
    reachable = true;
  } catch (err) {
    reachable = false;
    const why = err instanceof Error ? err.message : String(err);
    if (process.env.CI === "true") {
      throw new Error(`PostgreSQL is unreachable at ${PG_ADMIN_URL} and CI=true: ${why}`);
    }
    console.warn(
      `\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
        `!! PostgreSQL unreachable at ${PG_ADMIN_URL}: ${why}\n` +
        `!! PostgreSQL tests are SKIPPED. Set AUTOGEN_TEST_PG_URL or start the server.\n` +
        `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`,
    );
  }
  return reachable;
}

/** Top-level-await friendly: `const PG = await pgAvailable(); describe.skipIf(!PG)(...)`. */
export async function pgAvailable(): Promise<boolean> {
  return pgReachable();
}

export interface TestPgDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database; call `drop()` in afterAll. */
export async function createPgDatabase(prefix = "autogen_t"): Promise<TestPgDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
  await adminQuery(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: withDatabase(PG_ADMIN_URL, name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export interface TempDir {
  dir: string;
  file(name: string): string;
  remove(): void;
}

export function createTempDir(prefix = "autogen-test-"): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    file: (name: string) => path.join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh SQLite database file URL in a temp dir. */
export function sqliteUrl(dir: TempDir, name = "test.sqlite"): string {
  return `sqlite:${dir.file(name)}`;
}
