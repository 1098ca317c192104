/**
 * The `autogen` command as a user runs it (in-process, test/helpers/cli.ts): exit codes,
 * --help for every command, one-line errors, and the main job on SQLite.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { runCli, spawnCli } from "./helpers/cli.js";
import { createProject, MODELS_EXAMPLE, REPO_ROOT, type TestProject } from "./helpers/project.js";

/** `autogen <args>`, in-process, from the repository's root unless told otherwise. */
const autogen = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runCli(args, { cwd: options.cwd ?? REPO_ROOT, ...(options.env ? { env: options.env } : {}) });

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
  it("the built executable (dist/cli/main.js) starts and answers --version", () => {
    const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(spawnCli(["--version"], { cwd: REPO_ROOT })).toEqual({ status: 0, stdout: `${version}\n`, stderr: "" });
  });

  it.each(COMMANDS)("%s --help exits 0 and describes the command", async (command) => {
    const r = await autogen([command, "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`autogen ${command}`);
  });

  it("exits 2 with a one-line usage error for an unknown command or option", async () => {
    const unknown = await autogen(["upgradee"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    const badFlag = await autogen(["upgrade", "--nope"]);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toMatch(/nope/);
    const missing = await autogen(["revision"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/message|m/);
  });

  it("exits 1 with a one-line error naming the file for a broken config, no stack trace", async () => {
    const dir = createTempDir();
    try {
      writeFileSync(dir.file("autogen.config.json"), '{ "url": "sqlite:./x.db", "dialect": "oracle" }');
      const r = await autogen(["current"], { cwd: dir.dir });
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("autogen.config.json");
      expect(lines[0]).toContain('unknown dialect "oracle"');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const verbose = await autogen(["current", "--verbose"], { cwd: dir.dir });
      expect(verbose.stderr).toMatch(/\n\s+at /);
    } finally {
      dir.remove();
    }
  });

  it("reports an unreachable database in one line", async () => {
    const r = await autogen(["current", "--url", "postgres://postgres@127.0.0.1:1/none"]);
    expect(r.status).toBe(1);
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

    it("revision --autogenerate, upgrade head, current, no-change, history, downgrade -1", async () => {
      const rev = await run(["revision", "--autogenerate", "-m", "create users and posts"]);
      expect(rev.stderr).toBe("");
      expect(rev.status).toBe(0);
      const files = readdirSync(project.dir.file("versions"));
      expect(files).toHaveLength(1);
      const id = files[0]!.split("_")[0]!;
      expect(readFileSync(project.dir.file(`versions/${files[0]}`), "utf8")).toContain('op.createTable("users"');

      const up = await run(["upgrade", "head"]);
      expect(up.status).toBe(0);
      expect(up.stdout).toContain(`Running upgrade <base> -> ${id}`);

      const cur = await run(["current"]);
      expect(cur.status).toBe(0);
      expect(cur.stdout).toContain(id);

      const none = await run(["revision", "--autogenerate", "-m", "nothing"]);
      expect(none.status).toBe(0);
      expect(none.stdout).toContain("No changes in schema detected");
      expect(readdirSync(project.dir.file("versions"))).toHaveLength(1);

      const check = await run(["check"]);
      expect(check.status).toBe(0);

      const hist = await run(["history", "--indicate-current"]);
      expect(hist.stdout).toContain(`<base> -> ${id} (head) (current), create users and posts`);

      const down = await run(["downgrade", "-1"]);
      expect(down.status).toBe(0);
      expect((await run(["current"])).stdout).toContain("<base>");

      const notUpToDate = await run(["check"]);
      expect(notUpToDate.status).toBe(3); // README "Exit codes": behind head
      expect(notUpToDate.stderr).toMatch(/database is not up to date \(current: <base>; head: /);
    });

    it("fresh refuses without --force when stdin is not a terminal, and changes nothing", async () => {
      expect((await run(["upgrade", "head"])).status).toBe(0);
      const before = (await run(["status"])).stdout;
      const r = await run(["fresh"]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/refusing to drop the database without --force/);
      expect((await run(["status"])).stdout).toBe(before);
      expect((await run(["current"])).stdout).toMatch(/\(current\)/);
    });

    it("check exits 1 and lists the operations when the models drift", async () => {
      await run(["upgrade", "head"]);
      writeFileSync(
        project.config,
        JSON.stringify({
          url: sqliteUrl(db),
          entities: [path.join(REPO_ROOT, "fixtures/entities/length-100/*.ts")],
          versionsDir: "versions",
        }),
      );
      const r = await run(["check"]);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("New upgrade operations detected");
      expect(r.stdout).toContain('op.createTable("articles"');
    });
  });
});
