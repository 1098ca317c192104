/**
 * Issue 15.3: a run waiting on another session's migration lock says so. The lock is held
 * for real from another session (PostgreSQL: the advisory lock; MariaDB: the named lock;
 * SQLite: an open BEGIN IMMEDIATE on the file). With --lock-timeout the run ends with one
 * line naming the holder and applies nothing; without it, it prints one line naming the
 * holder, waits, and finishes once the lock is released. Schema, version table and log
 * agree afterwards and a re-run has nothing to do.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import mysql from "mysql2/promise";
import pg from "pg";
import sqlite3 from "sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialectName } from "../src/schema/ir.js";
import { assertBuilt, BIN } from "./helpers/cli.js";
import { fileOfUrl } from "../src/dialects/sqlite/url.js";
import { availability, databaseKind, TEST_DIALECTS } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const AVAILABLE = await availability();

const REVISION = `import type { Operations } from "autogen";
export const revision = "a1";
export const downRevision = null;
export const message = "create t1";
export function upgrade(op: Operations): void {
  op.createTable("t1", { columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { columns: ["id"] } });
}
export function downgrade(op: Operations): void {
  op.dropTable("t1");
}
`;

/** Another session holding autogen's run lock on the project's database. */
interface Holder {
  /** What the waiting run must name (the holder's pid / connection id / file). */
  identity: string;
  release(): Promise<void>;
}

/**
 * Each database's holder is written in its own terms, not through the dialect's runLock,
 * so that the test checks autogen's lock is the one an outside session would take. A
 * database that joins the registry must add its own here (the type asks for it).
 */
const LOCK_HOLDERS: Record<DialectName, (project: SafetyProject) => Promise<Holder>> = {
  postgres: async (project) => {
    const client = new pg.Client({ connectionString: project.url, application_name: "faults-lock-holder" });
    await client.connect();
    await client.query(
      "SELECT pg_advisory_lock(24935, hashtext(current_database() || '.' || current_schema() || '.' || 'autogen_version'))",
    );
    const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    return { identity: `pid ${pid} (application "faults-lock-holder"`, release: () => client.end() };
  },
  mysql: async (project) => {
    const u = new URL(project.url);
    const conn = await mysql.createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || "root"),
      password: decodeURIComponent(u.password),
      database: u.pathname.slice(1),
    });
    const [rows] = await conn.query(
      "SELECT GET_LOCK(CONCAT('autogen:', DATABASE(), ':', 'autogen_version'), 0) AS locked, CONNECTION_ID() AS id",
    );
    const row = (rows as Array<{ locked: unknown; id: unknown }>)[0]!;
    expect(String(row.locked)).toBe("1");
    return { identity: `connection id ${String(row.id)}`, release: () => conn.end() };
  },
  sqlite: async (project) => {
    const file = fileOfUrl(project.url);
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(opened)));
    });
    await new Promise<void>((resolve, reject) => db.exec("BEGIN IMMEDIATE", (err) => (err ? reject(err) : resolve())));
    return {
      identity: file,
      release: () => new Promise<void>((resolve, reject) => db.exec("ROLLBACK", () => db.close((err) => (err ? reject(err) : resolve())))),
    };
  },
};

const holdLock = (project: SafetyProject) => LOCK_HOLDERS[project.dialect](project);

/** The built CLI; `onStdout` sees its output as it comes (to release the lock once it says it waits). */
function spawnUpgrade(cwd: string, onStdout: (text: string) => void): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "upgrade", "head"], {
      cwd,
      env: { ...process.env, AUTOGEN_DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      onStdout(stdout);
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

async function tableNames(project: SafetyProject): Promise<string[]> {
  return (await project.query(databaseKind(project.dialect).tablesQuery)).map((r) => String(r.name)).sort();
}

describe.each<DialectName>(TEST_DIALECTS)("a run waiting on the migration lock on %s", (dialect) => {
  let project: SafetyProject;
  const skip = !AVAILABLE[dialect];
  beforeAll(async () => {
    if (skip) return;
    project = await createSafetyProject(dialect);
    writeFileSync(project.dir.file("versions/a1_create_t1.ts"), REVISION);
  });
  afterAll(async () => project?.remove());

  it.skipIf(skip)("--lock-timeout ends the wait with one line naming the holder; nothing is applied; a re-run finishes", async () => {
    const holder = await holdLock(project);
    let r;
    try {
      r = await project.cli(["upgrade", "head", "--lock-timeout", "2500ms"]);
    } finally {
      await holder.release();
    }
    expect(r.status).not.toBe(0);
    const errorLines = r.stderr.trim().split("\n");
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/gave up waiting for the migration lock on version table autogen_version after 2500ms/);
    expect(errorLines[0]).toContain(holder.identity);
    expect(r.stdout).toMatch(/Waiting for the migration lock on version table autogen_version, held by .*; waiting up to 2500ms/);
    // Nothing applied: no t1, no version row, no log row.
    expect(await tableNames(project)).not.toContain("t1");

    const again = await project.cli(["upgrade", "head"]);
    expect(again.stderr).toBe("");
    expect(again.status).toBe(0);
    expect(await tableNames(project)).toContain("t1");
    expect((await project.query("SELECT version_num FROM autogen_version")).map((x) => x.version_num)).toEqual(["a1"]);
    const log = await project.query("SELECT revision, action FROM autogen_version_log ORDER BY id");
    expect(log.filter((x) => x.action === "upgrade").map((x) => x.revision)).toEqual(["a1"]);
    const third = await project.cli(["upgrade", "head"]);
    expect(third.status).toBe(0);
    expect(third.stdout).toContain("Nothing to do");
  });

  it.skipIf(skip)("without a timeout it says once who holds the lock, waits, and applies once it is released", async () => {
    assertBuilt();
    await project.cli(["downgrade", "base"]);
    expect(await tableNames(project)).not.toContain("t1");
    const holder = await holdLock(project);
    let released = false;
    const run = spawnUpgrade(project.dir.dir, (stdout) => {
      if (!released && stdout.includes("Waiting for the migration lock")) {
        released = true;
        void holder.release();
      }
    });
    const r = await run;
    if (!released) await holder.release();
    expect(released).toBe(true);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const waiting = r.stdout.split("\n").filter((l) => l.startsWith("Waiting for the migration lock"));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toContain(holder.identity);
    expect(waiting[0]).toContain("until it is released (--lock-timeout to give up)");
    expect(await tableNames(project)).toContain("t1");
    expect((await project.query("SELECT version_num FROM autogen_version")).map((x) => x.version_num)).toEqual(["a1"]);
  });
});
