/**
 * Real databases for tests, one description per database in the dialect registry: each
 * dialect folder declares how tests reach it (src/dialects/<name>/testing.ts), and
 * DATABASE_KINDS is built from the registry, so a new database joins the matrix from
 * its own folder. Fresh databases are made with the dialect's own scratch code
 * (src/dialects/scratch.ts), named apart from `autogen test`'s. A server that is
 * unreachable skips its tests with a loud message, except under CI=true where they fail.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DbConnection } from "../../src/dialects/dialect.js";
import { DIALECT_NAMES, getDialect, type DialectName } from "../../src/dialects/index.js";
import { splitStatements } from "../../src/dialects/sql-lexis.js";

const reachable = new Map<DialectName, Promise<boolean>>();

/** Whether the test server of `name` answers (always, where there is no server). */
export function databaseAvailable(name: DialectName): Promise<boolean> {
  let known = reachable.get(name);
  if (!known) {
    known = probe(name);
    reachable.set(name, known);
  }
  return known;
}

async function probe(name: DialectName): Promise<boolean> {
  const dialect = getDialect(name);
  const url = dialect.testing.serverUrl();
  if (url === undefined) return true;
  try {
    await (await dialect.connect(url)).close();
    return true;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (process.env.CI === "true") throw new Error(`${dialect.title} is unreachable and CI=true: ${why}`, { cause: err });
    console.warn(
      `\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
        `!! ${dialect.title} unreachable: ${why}\n` +
        `!! ${dialect.title} tests are SKIPPED. Set ${dialect.testing.serverEnv ?? "its URL"} or start the server.\n` +
        `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`,
    );
    return false;
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}
export type TestPgDatabase = TestDatabase;

/** A fresh, uniquely named database of `name` (call `drop()` in afterAll). */
export async function createTestDatabase(name: DialectName, prefix = "autogen_t"): Promise<TestDatabase> {
  const dialect = getDialect(name);
  const scratch = await dialect.createScratch!(dialect.testing.serverUrl() ?? "", prefix);
  return { url: scratch.url, name: scratch.name, drop: () => scratch.drop() };
}

export const PG_ADMIN_URL = getDialect("postgres").testing.serverUrl()!;

let warned: Promise<boolean> | undefined;
export async function pgReachable(): Promise<boolean> {
  warned ??= databaseAvailable("postgres");
  return warned;
}

/** Top-level-await friendly: `const PG = await pgAvailable(); describe.skipIf(!PG)(...)`. */
export async function pgAvailable(): Promise<boolean> {
  return pgReachable();
}

/** Creates a fresh, uniquely named database; call `drop()` in afterAll. */
export function createPgDatabase(prefix = "autogen_t"): Promise<TestPgDatabase> {
  return createTestDatabase("postgres", prefix);
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

/** The MySQL/MariaDB server (AUTOGEN_TEST_MYSQL_URL), without a database. */
export const MYSQL_ADMIN_URL = process.env.AUTOGEN_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

export function mysqlAvailable(): Promise<boolean> {
  return databaseAvailable("mysql");
}

export function createMysqlDatabase(prefix = "autogen_t"): Promise<TestDatabase> {
  return createTestDatabase("mysql", prefix);
}

/**
 * "A database of this kind": one description per registered database, so a test written
 * once runs on all of them (`for (const kind of DATABASE_KINDS) describe.skipIf(!(await
 * kind.available()))(…)`). `create` makes a fresh, empty database; `cleanup` removes it.
 */
export interface DatabaseKind {
  dialect: DialectName;
  available(): Promise<boolean>;
  create(prefix?: string): Promise<{ url: string; cleanup(): Promise<void> }>;
  /** Runs an SQL script (offline `--sql` output) with the database's own client, stopping at the first error. */
  runScript(url: string, sql: string): void;
  /** A query for the names of the tables in the URL's database/schema, one column `name`, sorted. */
  tablesQuery: string;
  /** Whether the database lives on a server (not in a file). */
  server: boolean;
  /** Whether a value longer than its column's declared length is refused (SQLite keeps it). */
  enforcesLengths: boolean;
  /** A URL of this kind that cannot be reached (a closed port; a file in a directory that does not exist). */
  unreachableUrl(): string;
  /** The databases `autogen test` made on the server and has not dropped (none where they are files). */
  scratchDatabases(): Promise<string[]>;
}

export const DATABASE_KINDS: readonly DatabaseKind[] = DIALECT_NAMES.map((name): DatabaseKind => {
  const dialect = getDialect(name);
  const { testing } = dialect;
  return {
    dialect: name,
    available: () => databaseAvailable(name),
    create: async (prefix) => {
      const db = await createTestDatabase(name, prefix);
      return { url: db.url, cleanup: () => db.drop() };
    },
    runScript: (url, sql) => {
      const { command, args } = testing.scriptClient(url);
      execFileSync(command, args, { input: sql, encoding: "utf8" });
    },
    tablesQuery: testing.tablesQuery,
    server: testing.serverUrl() !== undefined,
    enforcesLengths: testing.enforcesLengths,
    unreachableUrl: () =>
      testing.serverUrl() !== undefined
        ? `${dialect.urls.schemes[0]}://nobody@127.0.0.1:1/nowhere`
        : `${dialect.urls.schemes[0]}:${path.join(tmpdir(), `autogen-missing-${process.pid}`, "no", "db.sqlite")}`,
    scratchDatabases: async () => {
      const url = testing.serverUrl();
      if (url === undefined || testing.scratchDatabasesQuery === undefined) return [];
      const conn = await dialect.connect(url);
      try {
        return (await conn.query<{ name: string }>(testing.scratchDatabasesQuery)).map((r) => r.name);
      } finally {
        await conn.close();
      }
    },
  };
});

/** Every registered database's name, for `describe.each(TEST_DIALECTS)`. */
export const TEST_DIALECTS: readonly DialectName[] = DATABASE_KINDS.map((k) => k.dialect);

/** Which registered databases the tests can reach (top-level await: `const AVAILABLE = await availability()`). */
export async function availability(): Promise<Record<DialectName, boolean>> {
  const entries = await Promise.all(DATABASE_KINDS.map(async (k) => [k.dialect, await k.available()] as const));
  return Object.fromEntries(entries) as Record<DialectName, boolean>;
}

/** The description of one database, by name. */
export function databaseKind(name: DialectName): DatabaseKind {
  return DATABASE_KINDS.find((k) => k.dialect === name)!;
}

/**
 * Set-up SQL of several statements, sent one statement per call as autogen's connections
 * require (PostgreSQL's extended protocol refuses two in one), cut by the database's lexis.
 */
export async function queryEach(conn: DbConnection, sql: string): Promise<void> {
  for (const statement of splitStatements(sql, getDialect(conn.dialect).lexis)) await conn.query(statement);
}
