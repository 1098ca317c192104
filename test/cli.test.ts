/**
 * The `autogen` binary as a user runs it (the built dist/cli/main.js): exit codes,
 * --help for every command, one-line errors, and the main job on SQLite.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { createProject, MODELS_EXAMPLE, REPO_ROOT, type TestProject } from "./helpers/project.js";

const BIN = path.join(REPO_ROOT, "dist/cli/main.js");

function autogen(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    encoding: "utf8",
    input: options.input ?? "",
    env: { ...process.env, AUTOGEN_DATABASE_URL: "", ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const COMMANDS = [
  "init",
  "revision",
  "upgrade",
  "downgrade",
  "current",
  "history",
  "heads",
  "branches",
  "show",
  "stamp",
  "merge",
  "check",
  "status",
  "fresh",
  "reset",
  "refresh",
  "seed",
];

describe("autogen CLI", () => {
  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
  });

  it.each(COMMANDS)("%s --help exits 0 and describes the command", (command) => {
    const r = autogen([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`autogen ${command}`);
  });

  it("exits 2 with a one-line usage error for an unknown command or option", () => {
    const unknown = autogen(["upgradee"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    const badFlag = autogen(["upgrade", "--nope"]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/nope/);
    const missing = autogen(["revision"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/message|m/);
  });

  it("exits 1 with a one-line error naming the file for a broken config, no stack trace", () => {
    const dir = createTempDir();
    try {
      writeFileSync(dir.file("autogen.config.json"), '{ "url": "sqlite:./x.db", "dialect": "oracle" }');
      const r = autogen(["current"], { cwd: dir.dir });
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("autogen.config.json");
      expect(lines[0]).toContain('unknown dialect "oracle"');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const verbose = autogen(["current", "--verbose"], { cwd: dir.dir });
      expect(verbose.stderr).toMatch(/\n\s+at /);
    } finally {
      dir.remove();
    }
  });

  it("reports an unreachable database in one line", () => {
    const r = autogen(["current", "--url", "postgres://postgres@127.0.0.1:1/none"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/127\.0\.0\.1:1/);
  });

  describe("main job on SQLite", () => {
    let db: TempDir;
    let project: TestProject;
    beforeAll(() => {
      db = createTempDir();
      project = createProject({ url: sqliteUrl(db), entities: [MODELS_EXAMPLE] });
    });
    afterAll(() => {
      project.remove();
      db.remove();
    });
    const run = (args: string[]) => autogen([...args, "--config", project.config]);

    it("revision --autogenerate, upgrade head, current, no-change, history, downgrade -1", () => {
      const rev = run(["revision", "--autogenerate", "-m", "create users and posts"]);
      expect(rev.stderr).toBe("");
      expect(rev.code).toBe(0);
      const files = readdirSync(project.dir.file("versions"));
      expect(files).toHaveLength(1);
      const id = files[0]!.split("_")[0]!;
      expect(readFileSync(project.dir.file(`versions/${files[0]}`), "utf8")).toContain('op.createTable("users"');

      const up = run(["upgrade", "head"]);
      expect(up.code).toBe(0);
      expect(up.stdout).toContain(`Running upgrade <base> -> ${id}`);

      const cur = run(["current"]);
      expect(cur.code).toBe(0);
      expect(cur.stdout).toContain(id);

      const none = run(["revision", "--autogenerate", "-m", "nothing"]);
      expect(none.code).toBe(0);
      expect(none.stdout).toContain("No changes in schema detected");
      expect(readdirSync(project.dir.file("versions"))).toHaveLength(1);

      const check = run(["check"]);
      expect(check.code).toBe(0);

      const hist = run(["history", "--indicate-current"]);
      expect(hist.stdout).toContain(`<base> -> ${id} (head) (current), create users and posts`);

      const down = run(["downgrade", "-1"]);
      expect(down.code).toBe(0);
      expect(run(["current"]).stdout).toContain("<base>");

      const notUpToDate = run(["check"]);
      expect(notUpToDate.code).toBe(3); // README "Exit codes": behind head
      expect(notUpToDate.stderr).toMatch(/database is not up to date \(current: <base>; head: /);
    });

    it("fresh refuses without --force when stdin is not a terminal, and changes nothing", () => {
      expect(run(["upgrade", "head"]).code).toBe(0);
      const before = run(["status"]).stdout;
      const r = run(["fresh"]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/refusing to drop the database without --force/);
      expect(run(["status"]).stdout).toBe(before);
      expect(run(["current"]).stdout).toMatch(/\(current\)/);
    });

    it("check exits 1 and lists the operations when the models drift", () => {
      run(["upgrade", "head"]);
      writeFileSync(
        project.config,
        JSON.stringify({ url: sqliteUrl(db), entities: [path.join(REPO_ROOT, "fixtures/entities/length-100/*.ts")], versionsDir: "versions" }),
      );
      const r = run(["check"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("New upgrade operations detected");
      expect(r.stdout).toContain('op.createTable("articles"');
    });
  });
});
