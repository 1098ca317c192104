/**
 * The in-process CLI runner (test/helpers/cli.ts) that most CLI tests use: it must give
 * the process back as it found it, and run one command at a time.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTempDir } from "./helpers/databases.js";
import { REPO_ROOT } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

const tmp = createTempDir("autogen-cli-harness-");
afterAll(() => tmp.remove());

describe("runCli", () => {
  it("prints what yargs prints through console (--version) on the captured stdout", async () => {
    const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
    const r = await runCli(["--version"], { cwd: tmp.dir });
    expect(r).toEqual({ status: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("gives back cwd, environment and exit code after a failing command", async () => {
    const cwd = process.cwd();
    process.env.AUTOGEN_HARNESS_PROBE = "kept";
    const r = await runCli(["no-such-command", "--no-cache"], { cwd: tmp.dir, env: { AUTOGEN_HARNESS_PROBE: undefined, NO_COLOR: "1" } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^autogen: usage error: /);
    expect(process.cwd()).toBe(cwd);
    expect(process.env.AUTOGEN_HARNESS_PROBE).toBe("kept");
    expect(process.env.NO_COLOR).toBeUndefined();
    expect(process.env.AUTOGEN_NO_CACHE).toBeUndefined();
    expect(process.exitCode).toBeUndefined();
    delete process.env.AUTOGEN_HARNESS_PROBE;
  });

  it("runs calls made together one after the other, each in its own directory", async () => {
    const a = createTempDir("autogen-cli-harness-a-");
    const b = createTempDir("autogen-cli-harness-b-");
    try {
      const [ra, rb] = await Promise.all([
        runCli(["init", "--url", "sqlite:a.sqlite"], { cwd: a.dir }),
        runCli(["init", "--url", "sqlite:b.sqlite"], { cwd: b.dir }),
      ]);
      expect([ra.status, rb.status]).toEqual([0, 0]);
      expect(readFileSync(a.file("autogen.config.json"), "utf8")).toContain("a.sqlite");
      expect(readFileSync(b.file("autogen.config.json"), "utf8")).toContain("b.sqlite");
    } finally {
      a.remove();
      b.remove();
    }
  });

  it("colours follow each call's environment, not the first call's", async () => {
    const plain = await runCli(["no-such-command"], { cwd: tmp.dir });
    const coloured = await runCli(["no-such-command"], { cwd: tmp.dir, env: { FORCE_COLOR: "1" } });
    const plainAgain = await runCli(["no-such-command"], { cwd: tmp.dir });
    expect(plain.stderr).not.toContain("\u001b[");
    expect(coloured.stderr).toContain("\u001b[31m");
    expect(plainAgain.stderr).toBe(plain.stderr);
  });
});
