/**
 * Issue 15.6: two `revision --autogenerate` at the same time. The versions directory is
 * locked (an O_EXCL lock file with pid, host and time) while a revision is planned and
 * written, and the graph is read again once the lock is taken. Caused for real: two
 * built CLI processes start while the lock is held, both wait, the lock is released;
 * the first writes the revision, the second sees it (not applied yet, compared as it
 * will leave the database) and writes nothing. One head, and upgrade + check finish.
 * Also: a lock left by a killed process (dead pid) is taken over; --lock-timeout gives up
 * with one line naming the holder.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialectName } from "../src/schema/ir.js";
import { assertBuilt, BIN } from "./helpers/cli.js";
import { availability, TEST_DIALECTS } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const AVAILABLE = await availability();

interface Run {
  done: Promise<{ status: number | null; stdout: string; stderr: string }>;
  stdout(): string;
}

function start(cwd: string, args: string[]): Run {
  let stdout = "";
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, AUTOGEN_DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
  return { done, stdout: () => stdout };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

const ENTITY = (columns: string) =>
  `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";\n@Entity("thing")\nexport class Thing {\n  @PrimaryGeneratedColumn() id!: number;\n${columns}}\n`;

describe.each<DialectName>(TEST_DIALECTS)("two revision --autogenerate at once on %s", (dialect) => {
  let project: SafetyProject;
  const skip = !AVAILABLE[dialect];
  const lockFile = () => project.dir.file("versions/.autogen.lock");
  const holdLock = (pid: number) =>
    writeFileSync(lockFile(), JSON.stringify({ pid, host: hostname(), since: new Date().toISOString(), command: "test" }));

  beforeAll(async () => {
    if (skip) return;
    assertBuilt();
    project = await createSafetyProject(dialect);
    project.entity("thing", ENTITY(`  @Column({ type: "varchar", length: 20 }) name!: string;\n`));
  });
  afterAll(async () => project?.remove());

  it.skipIf(skip)("both exit 0, one revision is written, one head; upgrade and check finish", async () => {
    holdLock(process.pid);
    const runs = [1, 2].map(() => start(project.dir.dir, ["revision", "--autogenerate", "-m", "thing"]));
    // Both have read the graph and wait for the directory: then let them go.
    await until(() => runs.every((r) => r.stdout().includes("Waiting for the lock on the versions directory")));
    for (const r of runs) expect(r.stdout()).toContain(`is held by pid ${process.pid} on ${hostname()}, test`);
    expect(existsSync(lockFile())).toBe(true);
    rmSync(lockFile());
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) {
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    }
    expect(results.filter((r) => r.stdout.includes("Generating ")).length).toBe(1);
    const second = results.find((r) => !r.stdout.includes("Generating "))!;
    expect(second.stdout).toMatch(/were written by another run while this one waited/);
    expect(second.stdout).toContain("No changes in schema detected.");
    expect(project.versionFiles()).toHaveLength(1);
    expect(readdirSync(project.dir.file("versions")).filter((f) => f.startsWith("."))).toEqual([]);

    const heads = await project.cli(["heads"]);
    expect(heads.stdout.trim().split("\n")).toHaveLength(1);
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    expect((await project.query("SELECT version_num FROM autogen_version")).length).toBe(1);
    const check = await project.cli(["check"]);
    expect(check.status).toBe(0);
  });

  it.skipIf(skip)("a lock left by a killed process is taken over; --lock-timeout gives up naming a live holder", async () => {
    // A pid that was alive and is not any more.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    holdLock(Number(dead.stdout));
    project.entity(
      "thing",
      ENTITY(
        `  @Column({ type: "varchar", length: 20 }) name!: string;\n  @Column({ type: "integer", nullable: true }) height!: number | null;\n`,
      ),
    );
    const r = await project.cli(["revision", "--autogenerate", "-m", "height"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Removing a stale lock on the versions directory`);
    expect(r.stdout).toContain(`pid ${dead.stdout} on ${hostname()}, test`);
    expect(existsSync(lockFile())).toBe(false);
    const files = project.versionFiles().length;

    holdLock(process.pid);
    try {
      const t = await project.cli(["revision", "-m", "blocked", "--lock-timeout", "1s"]);
      expect(t.status).not.toBe(0);
      expect(t.stderr.trim().split("\n")).toHaveLength(1);
      expect(t.stderr).toContain(`gave up waiting for the lock on the versions directory after 1s (--lock-timeout)`);
      expect(t.stderr).toContain(`held by pid ${process.pid} on ${hostname()}`);
      expect(project.versionFiles()).toHaveLength(files);
    } finally {
      rmSync(lockFile(), { force: true });
    }
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    expect((await project.cli(["check"])).status).toBe(0);
  });
});
