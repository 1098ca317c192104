/**
 * The terminal side of the CLI, run on a real pseudo-terminal (util-linux `script`):
 * prompts (@clack/prompts) for destructive commands and rename questions, colour that
 * never reaches a pipe or NO_COLOR, and progress only on a TTY.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDir, type TempDir } from "./helpers/databases.js";
import { fixtureEntities, REPO_ROOT } from "./helpers/project.js";
import { ptyAvailable, runOnPty } from "./helpers/pty.js";

const CLI = path.join(REPO_ROOT, "dist/cli/main.js");
const PTY = ptyAvailable();
// Colour decisions must come from the test, not from the shell vitest runs in.
const { NO_COLOR: _n, FORCE_COLOR: _f, CI: _c, ...baseEnv } = process.env;
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...baseEnv, AUTOGEN_DATABASE_URL: "", TERM: "xterm-256color", ...extra });

function cli(cwd: string, args: string[], extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: env(extra) });
}

let tmp: TempDir;
const writeConfig = (entities: string) =>
  writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: "sqlite:./db.sqlite", entities: [entities] }));

beforeEach(() => {
  tmp = createTempDir("autogen-eco-term-");
});
afterEach(() => tmp.remove());

describe.skipIf(!PTY)("prompts on a terminal", () => {
  it("fresh asks first; n leaves everything in place", async () => {
    writeConfig(fixtureEntities("rename-before"));
    expect(cli(tmp.dir, ["revision", "--autogenerate", "-m", "one"]).status).toBe(0);
    expect(cli(tmp.dir, ["upgrade", "head"]).status).toBe(0);
    const r = await runOnPty([process.execPath, CLI, "fresh"], {
      cwd: tmp.dir,
      env: env(),
      answers: [{ when: "run all migrations again?", keys: "n" }],
    });
    expect(r.output).toContain("Drop every table in sqlite:");
    expect(r.output).toContain("fresh: not confirmed; nothing was dropped");
    expect(r.status).toBe(1);
    expect(cli(tmp.dir, ["current"]).stdout).toMatch(/\(head\)/);
  });

  it("fresh: y confirms", async () => {
    writeConfig(fixtureEntities("rename-before"));
    expect(cli(tmp.dir, ["revision", "--autogenerate", "-m", "one"]).status).toBe(0);
    expect(cli(tmp.dir, ["upgrade", "head"]).status).toBe(0);
    const r = await runOnPty([process.execPath, CLI, "fresh"], {
      cwd: tmp.dir,
      env: env(),
      answers: [{ when: "run all migrations again?", keys: "y" }],
    });
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/Dropped \d+ object/);
  });

  async function renameRun(keys: string): Promise<string> {
    writeConfig(fixtureEntities("rename-before"));
    expect(cli(tmp.dir, ["revision", "--autogenerate", "-m", "one", "--rev-id", "aaaa00000001"]).status).toBe(0);
    expect(cli(tmp.dir, ["upgrade", "head"]).status).toBe(0);
    writeConfig(fixtureEntities("rename-after"));
    const r = await runOnPty([process.execPath, CLI, "revision", "--autogenerate", "-m", "two", "--rev-id", "bbbb00000002"], {
      cwd: tmp.dir,
      env: env(),
      answers: [{ when: "Did you rename column people.name -> people.fullName?", keys }],
    });
    expect(r.status).toBe(0);
    // Both outcomes are spelled out, so the default is a conscious choice.
    expect(r.output).toContain("Yes: rename the column (keeps its data)");
    expect(r.output).toContain("No: drop name and add fullName (loses its data)");
    const file = readdirSync(tmp.file("versions")).find((f) => f.startsWith("bbbb00000002"))!;
    return readFileSync(tmp.file(`versions/${file}`), "utf8");
  }

  it("rename question: y renames", async () => {
    expect(await renameRun("y")).toContain('op.renameColumn("people", "name", "fullName")');
  });

  it("rename question: Enter takes the default, No (drop + add)", async () => {
    const text = await renameRun("\r");
    expect(text).not.toContain("op.renameColumn");
    expect(text).toContain('op.dropColumn("people", "name"');
  });
});
