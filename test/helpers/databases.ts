/**
 * Real databases for tests: a fresh PostgreSQL database per test file (dropped
 * afterwards) and SQLite files in a temp directory. PostgreSQL is read from
 * AUTOGEN_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test). When it is
 * unreachable the PG tests skip with a loud message, except under CI=true where
 * they fail.
 */
import { execFileSync } from "node:child_process";
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
      throw new Error(`PostgreSQL is unreachable at ${PG_ADMIN_URL} and CI=true: ${why}`, { cause: err });
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

/**
 * MySQL/MariaDB, read from AUTOGEN_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306):
 * a fresh database per test file, dropped afterwards. Unreachable, the MySQL tests skip
 * loudly, except under CI=true where they fail.
 */
export const MYSQL_ADMIN_URL = process.env.AUTOGEN_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

async function mysqlAdminQuery(sql: string): Promise<void> {
  const mysql = await import("mysql2/promise");
  const u = new URL(MYSQL_ADMIN_URL);
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || "root"),
    password: decodeURIComponent(u.password),
  });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

let mysqlReachable: boolean | undefined;
export async function mysqlAvailable(): Promise<boolean> {
  if (mysqlReachable !== undefined) return mysqlReachable;
  try {
    await mysqlAdminQuery("SELECT 1");
    mysqlReachable = true;
  } catch (err) {
    mysqlReachable = false;
    const why = err instanceof Error ? err.message : String(err);
    if (process.env.CI === "true") throw new Error(`MySQL is unreachable at ${MYSQL_ADMIN_URL} and CI=true: ${why}`, { cause: err });
    console.warn(
      `\n!! MySQL unreachable at ${MYSQL_ADMIN_URL}: ${why}\n!! MySQL tests are SKIPPED. Set AUTOGEN_TEST_MYSQL_URL or start the server.\n`,
    );
  }
  return mysqlReachable;
}

export async function createMysqlDatabase(prefix = "autogen_t"): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
  await mysqlAdminQuery(`CREATE DATABASE \`${name}\``);
  const u = new URL(MYSQL_ADMIN_URL);
  u.pathname = `/${name}`;
  return { name, url: u.toString(), drop: () => mysqlAdminQuery(`DROP DATABASE IF EXISTS \`${name}\``) };
}

/**
 * "A database of this kind": one description per supported database, so a test written
 * once runs on all of them (`for (const kind of DATABASE_KINDS) describe.skipIf(!(await
 * kind.available()))(…)`). `create` makes a fresh, empty database; `cleanup` removes it.
 */
export interface DatabaseKind {
  dialect: "sqlite" | "postgres" | "mysql";
  available(): Promise<boolean>;
  create(prefix?: string): Promise<{ url: string; cleanup(): Promise<void> }>;
  /** Runs an SQL script (offline `--sql` output) with the database's own client, stopping at the first error. */
  runScript(url: string, sql: string): void;
  /** A query for the names of the tables in the URL's database/schema, one column `name`, sorted. */
  tablesQuery: string;
}

/** `mysql` client arguments for a mysql:// or mariadb:// URL (user, password, host, port, database). */
function mysqlClientArgs(url: string): string[] {
  const u = new URL(url);
  return [
    "--protocol=TCP",
    `--host=${u.hostname}`,
    `--port=${u.port || "3306"}`,
    `--user=${decodeURIComponent(u.username || "root")}`,
    ...(u.password ? [`--password=${decodeURIComponent(u.password)}`] : []),
    decodeURIComponent(u.pathname.replace(/^\//, "")),
  ];
}

export const DATABASE_KINDS: readonly DatabaseKind[] = [
  {
    dialect: "sqlite",
    available: async () => true,
    create: async () => {
      const dir = createTempDir();
      return { url: sqliteUrl(dir), cleanup: async () => dir.remove() };
    },
    runScript: (url, sql) => {
      execFileSync("sqlite3", ["-bail", url.replace(/^sqlite:/, "")], { input: sql, encoding: "utf8" });
    },
    tablesQuery: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  },
  {
    dialect: "postgres",
    available: pgAvailable,
    create: async (prefix) => {
      const db = await createPgDatabase(prefix);
      return { url: db.url, cleanup: () => db.drop() };
    },
    runScript: (url, sql) => {
      execFileSync("psql", ["-v", "ON_ERROR_STOP=1", "-q", "-d", url], { input: sql, encoding: "utf8" });
    },
    tablesQuery: "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  },
  {
    dialect: "mysql",
    available: mysqlAvailable,
    create: async (prefix) => {
      const db = await createMysqlDatabase(prefix);
      return { url: db.url, cleanup: () => db.drop() };
    },
    // The client stops at the first failing statement unless told --force.
    runScript: (url, sql) => {
      execFileSync("mysql", mysqlClientArgs(url), { input: sql, encoding: "utf8" });
    },
    tablesQuery:
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
  },
];
