/**
 * The benchmark's real databases: SQLite files in a temp directory, and a fresh
 * PostgreSQL database (created on the server at AUTOGEN_TEST_PG_URL, dropped at the end).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { DbConnection, Dialect } from "../dialects/dialect.js";
import { errorMessage } from "../errors.js";
import { SchemaState } from "../ops/apply.js";
import type { Op } from "../ops/ops.js";
import { emptySchema, type SchemaIR } from "../schema/ir.js";

export const PG_ADMIN_URL = process.env.AUTOGEN_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TempDir {
  dir: string;
  file(name: string): string;
  remove(): void;
}

export function createTempDir(prefix: string): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    file: (name) => path.join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface BenchPgDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database, or the reason the server could not be used. */
export async function createPgDatabase(): Promise<BenchPgDatabase | { unavailable: string }> {
  const name = `autogen_bench_${process.pid}_${Date.now().toString(36)}`;
  try {
    await adminQuery(`CREATE DATABASE "${name}"`);
  } catch (err) {
    // A refused dual-stack connect is an AggregateError with an empty message: fall back to its code.
    const reason = errorMessage(err).split("\n")[0] || (err as { code?: string }).code || "connection failed";
    return { unavailable: reason };
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/**
 * Runs ops against the database through the dialect's own DDL, in one transaction (one
 * fsync on SQLite instead of one per statement). `state` is the schema before the ops;
 * the schema after them is returned.
 */
export async function runOps(conn: DbConnection, dialect: Dialect, state: SchemaIR, ops: readonly Op[]): Promise<SchemaIR> {
  const working = new SchemaState(state);
  for (const sql of dialect.beginTransaction()) await conn.query(sql);
  try {
    for (const op of ops) {
      for (const sql of dialect.renderOp(op, working.schema)) await conn.query(sql);
      working.apply(op);
    }
  } catch (err) {
    for (const sql of dialect.rollbackTransaction()) await conn.query(sql);
    throw err;
  }
  for (const sql of dialect.commitTransaction()) await conn.query(sql);
  return working.schema;
}

export const emptyState = (dialect: Dialect): SchemaIR => emptySchema(dialect.name);

/** The MySQL/MariaDB server the tests use (AUTOGEN_TEST_MYSQL_URL). */
export const MYSQL_ADMIN_URL = process.env.AUTOGEN_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

/** A fresh MySQL database, or the reason the server could not be used. */
export async function createMysqlDatabase(): Promise<BenchPgDatabase | { unavailable: string }> {
  const name = `autogen_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new URL(MYSQL_ADMIN_URL);
  const run = async (sql: string) => {
    const { default: mysql } = await import("mysql2/promise");
    const conn = await mysql.createConnection({
      host: admin.hostname,
      port: Number(admin.port || 3306),
      user: decodeURIComponent(admin.username || "root"),
      password: decodeURIComponent(admin.password),
    });
    try {
      await conn.query(sql);
    } finally {
      await conn.end();
    }
  };
  try {
    await run(`CREATE DATABASE \`${name}\``);
  } catch (err) {
    return { unavailable: errorMessage(err).split("\n")[0] || (err as { code?: string }).code || "connection failed" };
  }
  const url = new URL(MYSQL_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS \`${name}\``) };
}
