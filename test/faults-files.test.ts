/**
 * Issue 15.4 and 15.5, caused for real: the built CLI runs under a file-size limit
 * (`ulimit -f`, with SIGXFSZ ignored so a write returns EFBIG instead of killing the
 * process), and against a directory it cannot write into.
 * - 15.4: every file autogen writes is whole or absent. A revision that cannot be
 *   written fails with one line naming the file; the versions directory holds nothing
 *   afterwards (no half file, no temp file), and a re-run writes it whole and applies it.
 *   `init` leaves nothing behind. Caches that cannot be written cost speed only.
 * - 15.5: the compiler failing to write its output is reported as the compiler's failure,
 *   never as a syntax error in an entity file that is fine.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialectName } from "../src/schema/ir.js";
import { nativeTscPath } from "../src/load/compiler.js";
import { assertBuilt, BIN } from "./helpers/cli.js";
import { createTempDir, availability, type TempDir, TEST_DIALECTS } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const AVAILABLE = await availability();

/** The built CLI in a shell whose file-size limit is `kib` KiB (none when undefined), SIGXFSZ ignored. */
function cliLimited(cwd: string, args: string[], kib?: number): { status: number | null; stdout: string; stderr: string } {
  assertBuilt();
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const limit = kib === undefined ? "" : `ulimit -f ${kib}; `;
  const r = spawnSync("bash", ["-c", `trap '' XFSZ; ${limit}exec ${quoted}`], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, AUTOGEN_DATABASE_URL: "" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir`, hidden ones included, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const leftovers = (dir: string) => filesUnder(dir).filter((f) => /\.tmp\b|\.tmp-/.test(f));

/** Entities whose first revision is several KiB long. */
function writeEntities(project: SafetyProject, columnsEach = 8): void {
  for (let i = 1; i <= 6; i++) {
    const columns = Array.from(
      { length: columnsEach },
      (_, c) => `  @Column({ type: "varchar", length: ${20 + c}, nullable: true }) field_${c}_of_entity_${i}!: string | null;`,
    ).join("\n");
    project.entity(
      `entity${i}`,
      `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";\n@Entity("entity_${i}")\nexport class Entity${i} {\n  @PrimaryGeneratedColumn() id!: number;\n${columns}\n}\n`,
    );
  }
}

describe.each<DialectName>(TEST_DIALECTS)("a revision that cannot be written on %s", (dialect) => {
  let project: SafetyProject;
  const skip = !AVAILABLE[dialect];
  beforeAll(async () => {
    if (skip) return;
    project = await createSafetyProject(dialect, { cache: ".cache" });
    writeEntities(project);
    // Compiled once without a limit: the limit below then hits the revision file, not the compiler.
    cliLimited(project.dir.dir, ["check", "--offline"]);
  });
  afterAll(async () => project?.remove());

  it.skipIf(skip)("file-size limit: one line naming the file, nothing left in versions/, a re-run writes and applies it", async () => {
    const versions = project.dir.file("versions");
    const r = cliLimited(project.dir.dir, ["revision", "--autogenerate", "-m", "first", "--rev-id", "f1"], 2);
    expect(r.status).not.toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `could not write ${path.join(versions, "f1_first.ts").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: the file is larger than the file-size limit allows \\(EFBIG\\); nothing was written`,
      ),
    );
    expect(filesUnder(versions)).toEqual([]);
    expect(leftovers(project.dir.file(".cache"))).toEqual([]);
    // Every later command still works (no half-written revision to trip over).
    expect(cliLimited(project.dir.dir, ["heads"]).status).toBe(0);

    const again = cliLimited(project.dir.dir, ["revision", "--autogenerate", "-m", "first", "--rev-id", "f1"]);
    expect(again.stderr).toBe("");
    expect(again.status).toBe(0);
    expect(filesUnder(versions)).toEqual(["f1_first.ts"]);
    expect(readFileSync(path.join(versions, "f1_first.ts"), "utf8")).toMatch(/export function downgrade/);
    expect(cliLimited(project.dir.dir, ["upgrade", "head"]).status).toBe(0);
    expect((await project.query("SELECT version_num FROM autogen_version")).map((x) => x.version_num)).toEqual(["f1"]);
    const log = await project.query("SELECT revision, action FROM autogen_version_log");
    // (MySQL also logs "partial" rows while a revision's statements commit one by one.)
    expect(log.filter((x) => x.action !== "partial").map((x) => `${String(x.action)} ${String(x.revision)}`)).toEqual(["upgrade f1"]);
    const check = cliLimited(project.dir.dir, ["check"]);
    expect(check.status).toBe(0);
  });

  it.skipIf(skip)("a versions directory that cannot be written: one line naming the file, nothing written", () => {
    const blocked = project.dir.file("blocked");
    const root = process.getuid?.() === 0;
    // root writes through any mode bits: a plain file in the path stands in for an unwritable directory.
    if (root) writeFileSync(blocked, "not a directory\n");
    else {
      mkdirSync(blocked, { recursive: true });
      chmodSync(blocked, 0o555);
    }
    const target = root ? path.join(blocked, "versions") : blocked;
    project.configure({ cache: ".cache", versionsDir: path.relative(project.dir.dir, target) });
    try {
      const r = cliLimited(project.dir.dir, ["revision", "-m", "empty", "--rev-id", "e1"]);
      expect(r.status).not.toBe(0);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      // Root: the directory cannot be made; otherwise the lock file (the first write) cannot be created in it.
      expect(lines[0]).toMatch(/could not (create the versions directory|create the lock file|write) /);
      expect(lines[0]).toContain(target);
      expect(lines[0]).toMatch(root ? /a part of the path is not a directory \(ENOTDIR\)/ : /permission denied \(EACCES\)/);
      expect(lines[0]).toContain("nothing was written");
      if (!root) expect(filesUnder(blocked)).toEqual([]);
    } finally {
      if (!root) chmodSync(blocked, 0o755);
      rmSync(blocked, { recursive: true, force: true });
      project.configure({ cache: ".cache" });
    }
  });
});

describe("init under a file-size limit", () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = createTempDir("autogen-faults-init-");
  });
  afterAll(() => dir.remove());

  it("fails naming the file and leaves nothing behind; a re-run creates everything", () => {
    // The template is over 1 KiB, the config under it: init fails half-way through.
    const r = cliLimited(dir.dir, ["init"], 1);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(
      `could not write ${dir.file("versions/script.ts.tmpl")}: the file is larger than the file-size limit allows (EFBIG)`,
    );
    expect(readdirSync(dir.dir)).toEqual([]);
    const again = cliLimited(dir.dir, ["init"]);
    expect(again.status).toBe(0);
    expect(filesUnder(dir.dir)).toEqual(["autogen.config.json", "versions/script.ts.tmpl"]);
  });
});

describe("the compiler cannot write its output", () => {
  let project: SafetyProject;
  beforeAll(async () => {
    project = await createSafetyProject("sqlite", { cache: ".cache" });
    // Each compiled entity over 4 KiB; the compiler's input (tsconfig) under it.
    writeEntities(project, 40);
  });
  afterAll(async () => project?.remove());

  it("is reported as the compiler's failure, never as a syntax error in a fine entity; a re-run works", () => {
    // A cold cache: the compiler's outputs hit the limit.
    const r = cliLimited(project.dir.dir, ["check", "--offline"], 4);
    expect(r.status).not.toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/syntax error/);
    expect(lines[0]).toMatch(/could not write its output: Could not write file '.*': .*file too large.*nothing in your files is at fault/);
    // Nothing half-written stays in the cache to be trusted later.
    expect(leftovers(project.dir.file(".cache"))).toEqual([]);
    expect(filesUnder(project.dir.file(".cache/programs")).filter((f) => f.endsWith("manifest.json"))).toEqual([]);

    const again = cliLimited(project.dir.dir, ["revision", "--autogenerate", "-m", "first", "--rev-id", "c1"]);
    expect(again.stderr).toBe("");
    expect(again.status).toBe(0);
    expect(cliLimited(project.dir.dir, ["upgrade", "head"]).status).toBe(0);
    expect(cliLimited(project.dir.dir, ["check"]).status).toBe(0);
  });

  it("killed (SIGKILL) while compiling: the compiler's failure, named as such; a re-run works", () => {
    // The compiler as a wrapper that is killed right away, before or after it becomes tsc.
    const real = nativeTscPath();
    const wrapper = project.dir.file("killed-tsc.sh");
    writeFileSync(wrapper, `#!/bin/bash\n(kill -9 $$) &\nexec ${JSON.stringify(real ?? "tsc")} "$@"\n`, { mode: 0o755 });
    rmSync(project.dir.file(".cache"), { recursive: true, force: true });
    assertBuilt();
    const r = spawnSync(process.execPath, [BIN, "check", "--offline"], {
      cwd: project.dir.dir,
      encoding: "utf8",
      env: { ...process.env, AUTOGEN_DATABASE_URL: "", AUTOGEN_TSC: wrapper },
    });
    expect(r.status).not.toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/was ended by SIGKILL while compiling the entities/);
    expect(lines[0]).not.toMatch(/syntax error/);
    expect(filesUnder(project.dir.file(".cache/programs")).filter((f) => f.endsWith("manifest.json"))).toEqual([]);
    expect(cliLimited(project.dir.dir, ["check"]).status).toBe(0);
  });
});
