/**
 * Shared by the test/safety-*.test.ts files: a throwaway project in a temp dir with its
 * own entity files, the CLI run in-process (test/helpers/cli.ts; stdin not a terminal), and
 * a raw query on its database, through that database's own driver.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import pg from "pg";
import sqlite3 from "sqlite3";
import { fileOfUrl } from "../../src/dialects/sqlite/url.js";
import type { DialectName } from "../../src/schema/ir.js";
import { createTempDir, createTestDatabase, type TempDir } from "./databases.js";
import { runCli, spawnCliAsync, type CliResult } from "./cli.js";

export type { CliResult };

export interface SafetyProject {
  dialect: DialectName;
  dir: TempDir;
  url: string;
  /** Writes models/<name>.ts. */
  entity(name: string, source: string): void;
  /** Rewrites autogen.config.json with these extra fields. */
  configure(fields?: Record<string, unknown>): void;
  cli(args: string[], options?: { env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  /** The built CLI as processes of their own (for runs that race each other). */
  cliAsync(args: string[]): Promise<CliResult>;
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  versionFiles(): string[];
  remove(): Promise<void>;
}

async function pgQuery(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(sql);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return (last?.rows ?? []) as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

async function mysqlQuery(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const mysql = await import("mysql2/promise");
  const u = new URL(url);
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || "root"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, "")),
    multipleStatements: true,
  });
  try {
    const [rows] = await conn.query(sql);
    return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
  } finally {
    await conn.end();
  }
}

function sqliteQuery(file: string, sql: string): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (openErr) => {
      if (openErr) return reject(openErr);
      db.exec("PRAGMA foreign_keys = ON", () => {
        const done = (err: Error | null, rows?: Array<Record<string, unknown>>) =>
          db.close(() => (err ? reject(err) : resolve(rows ?? [])));
        if (/;\s*\S/.test(sql.trim().replace(/;\s*$/, ""))) db.exec(sql, (err) => done(err));
        else db.all(sql, (err, rows) => done(err, rows as Array<Record<string, unknown>>));
      });
    });
  });
}

type Rows = Array<Record<string, unknown>>;

/**
 * A raw query through each database's own driver, taking several statements at once where
 * a test gives them (autogen's connections take one). A database joining the registry adds
 * its own here (the type asks for it).
 */
const RAW_QUERY: Record<DialectName, (url: string, sql: string) => Promise<Rows>> = {
  postgres: pgQuery,
  mysql: mysqlQuery,
  sqlite: (url, sql) => sqliteQuery(fileOfUrl(url), sql),
};

export async function createSafetyProject(dialect: DialectName, extra: Record<string, unknown> = {}): Promise<SafetyProject> {
  const dir = createTempDir(`autogen-safety-${dialect}-`);
  mkdirSync(dir.file("models"));
  mkdirSync(dir.file("versions"));
  const db = await createTestDatabase(dialect, "autogen_safety");
  const url = db.url;
  let fields = extra;
  const configure = (more: Record<string, unknown> = fields) => {
    fields = more;
    writeFileSync(
      dir.file("autogen.config.json"),
      JSON.stringify({ url, entities: ["models/*.ts"], versionsDir: "versions", ...more }, null, 2),
    );
  };
  configure();
  return {
    dialect,
    dir,
    url,
    entity: (name, source) => writeFileSync(dir.file(`models/${name}.ts`), source),
    configure,
    cli: (args, options = {}) => runCli(args, { cwd: dir.dir, ...(options.env ? { env: options.env } : {}) }),
    cliAsync: (args) => spawnCliAsync(args, { cwd: dir.dir }),
    query: (sql) => RAW_QUERY[dialect](url, sql),
    versionFiles: () => readdirSync(dir.file("versions")).filter((f) => f.endsWith(".ts")),
    remove: async () => {
      await db.drop();
      dir.remove();
    },
  };
}
