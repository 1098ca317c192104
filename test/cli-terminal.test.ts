/**
 * The terminal side of the CLI, run on a real pseudo-terminal (util-linux `script`):
 * prompts (@clack/prompts) for destructive commands and rename questions, colour that
 * never reaches a pipe or NO_COLOR, and progress only on a TTY.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDir, type TempDir } from "./helpers/databases.js";
import { fixtureEntities } from "./helpers/project.js";
import { ptyAvailable, runOnPty } from "./helpers/pty.js";
import { assertBuilt, BIN, runCli } from "./helpers/cli.js";
import { colourEnabled } from "../src/cli/colour.js";
import { isCi, progressWanted, StatusLine } from "../src/cli/progress.js";
import type { ProgressSink } from "../src/api/progress.js";
import { revision, upgrade } from "../src/api/index.js";

const PTY = ptyAvailable();
// Colour decisions must come from the test, not from the shell vitest runs in.
const { NO_COLOR: _n, FORCE_COLOR: _f, CI: _c, ...baseEnv } = process.env;
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...baseEnv,
  AUTOGEN_DATABASE_URL: "",
  TERM: "xterm-256color",
  ...extra,
});

/** The command in-process (stdin, stdout and stderr are pipes there), with the test's colour settings. */
function cli(cwd: string, args: string[], extra: Record<string, string> = {}) {
  return runCli(args, { cwd, env: { NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, TERM: "xterm-256color", ...extra } });
}

/** The built executable, for runs on a real terminal (a pty needs a process of its own). */
function onTerminal(): string[] {
  assertBuilt();
  return [process.execPath, BIN];
}

let tmp: TempDir;
const writeConfig = (entities: string) =>
  writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: "sqlite:./db.sqlite", entities: [entities] }));

beforeEach(() => {
  tmp = createTempDir("autogen-cli-terminal-");
});
afterEach(() => tmp.remove());

describe.skipIf(!PTY)("prompts on a terminal", () => {
  it("fresh asks first; n leaves everything in place", async () => {
    writeConfig(fixtureEntities("rename-before"));
    expect((await cli(tmp.dir, ["revision", "--autogenerate", "-m", "one"])).status).toBe(0);
    expect((await cli(tmp.dir, ["upgrade", "head"])).status).toBe(0);
    const r = await runOnPty([...onTerminal(), "fresh"], {
      cwd: tmp.dir,
      env: env(),
      answers: [{ when: "run all migrations again?", keys: "n" }],
    });
    expect(r.output).toContain("Drop every table in sqlite:");
    expect(r.output).toContain("fresh: not confirmed; nothing was dropped");
    expect(r.status).toBe(1);
    expect((await cli(tmp.dir, ["current"])).stdout).toMatch(/\(head\)/);
  });

  it("fresh: y confirms", async () => {
    writeConfig(fixtureEntities("rename-before"));
    expect((await cli(tmp.dir, ["revision", "--autogenerate", "-m", "one"])).status).toBe(0);
    expect((await cli(tmp.dir, ["upgrade", "head"])).status).toBe(0);
    const r = await runOnPty([...onTerminal(), "fresh"], {
      cwd: tmp.dir,
      env: env(),
      answers: [{ when: "run all migrations again?", keys: "y" }],
    });
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/Dropped \d+ object/);
  });

  async function renameRun(keys: string): Promise<string> {
    writeConfig(fixtureEntities("rename-before"));
    expect((await cli(tmp.dir, ["revision", "--autogenerate", "-m", "one", "--rev-id", "aaaa00000001"])).status).toBe(0);
    expect((await cli(tmp.dir, ["upgrade", "head"])).status).toBe(0);
    writeConfig(fixtureEntities("rename-after"));
    const r = await runOnPty([...onTerminal(), "revision", "--autogenerate", "-m", "two", "--rev-id", "bbbb00000002"], {
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

const ESC = "\u001b";

/** `count` revisions, each creating one table, in `dir`/versions. */
function writeRevisions(dir: TempDir, count: number): void {
  mkdirSync(dir.file("versions"), { recursive: true });
  for (let i = 1; i <= count; i++) {
    const id = `r${String(i).padStart(4, "0")}`;
    const down = i === 1 ? "null" : `"r${String(i - 1).padStart(4, "0")}"`;
    writeFileSync(
      dir.file(`versions/${id}_t${i}.ts`),
      `export const revision = "${id}";\nexport const downRevision = ${down};\nexport const message = "table ${i}";\n` +
        `export function upgrade(op: any) { op.execute("CREATE TABLE t${i} (id integer)"); }\n` +
        `export function downgrade(op: any) { op.execute("DROP TABLE t${i}"); }\n`,
    );
  }
  writeFileSync(dir.file("autogen.config.json"), JSON.stringify({ url: "sqlite:./db.sqlite", entities: ["none/*.ts"] }));
}

describe("colour and progress decisions", () => {
  it("colour: NO_COLOR wins, FORCE_COLOR forces (0/false: off), otherwise a TTY that is not dumb", () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: "" })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: "" })).toBe(true);
    expect(colourEnabled(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(colourEnabled(tty, { TERM: "dumb" })).toBe(false);
  });

  it("progress: a TTY only, never in CI or for --format json", () => {
    expect(progressWanted({ isTTY: true }, {})).toBe(true);
    expect(progressWanted({ isTTY: false }, {})).toBe(false);
    expect(progressWanted({ isTTY: true }, { CI: "true" })).toBe(false);
    expect(progressWanted({ isTTY: true }, { GITHUB_ACTIONS: "true" })).toBe(false);
    expect(progressWanted({ isTTY: true }, { CI: "false" })).toBe(true);
    expect(progressWanted({ isTTY: true }, {}, { format: "json" })).toBe(false);
    expect(isCi({ BUILD_NUMBER: "12" })).toBe(true);
  });

  it("the status line shows big work at once, small work only after a second, and erases itself", () => {
    let now = 0;
    const written: string[] = [];
    const stream = { isTTY: false, columns: 200, write: (s: string) => (written.push(s), true) };
    const line = new StatusLine(stream, () => now);
    line.begin("upgrade", { total: 3, count: () => 7, countLabel: "statements" });
    line.item(1, "Running upgrade <base> -> a");
    expect(written).toEqual([]); // small: nothing yet
    now = 1500;
    (line as unknown as { tick(): void }).tick();
    expect(written.at(-1)).toBe("\rupgrade: revision 1/3 · Running upgrade <base> -> a · 7 statements · 1.5 s");
    line.end();
    expect(written.at(-1)).toMatch(/^\r +\r$/);

    written.length = 0;
    now = 0;
    line.begin("upgrade", { total: 40 });
    line.item(2, "Running upgrade a -> b");
    expect(written.at(-1)).toBe("\rupgrade: revision 2/40 · Running upgrade a -> b · 0.0 s");
    line.end();
    line.begin("autogenerate");
    line.phase("comparing 2000 tables", 2000);
    expect(written.at(-1)).toBe("\rautogenerate: comparing 2000 tables · 0.0 s");
    // Ordinary output lifts the line and puts it back.
    const order: string[] = [];
    const before = written.length;
    line.above(() => order.push("out"));
    expect(written.slice(before).map((w) => (w.trim() === "" ? "erase" : "draw"))).toEqual(["erase", "draw"]);
    line.end();
    expect(written.join("")).not.toContain(ESC);
  });
});

describe("no escape codes in pipes or with NO_COLOR", () => {
  it("in a pipe: errors, status and a long upgrade carry no escape codes and no status line", async () => {
    writeRevisions(tmp, 12);
    const up = await cli(tmp.dir, ["upgrade", "head"]);
    expect(up.status).toBe(0);
    expect(up.stdout).toContain("Running upgrade r0011 -> r0012, table 12");
    expect(up.stderr).toBe("");
    const status = await cli(tmp.dir, ["status"]);
    const bad = await cli(tmp.dir, ["upgrade", "nope"]);
    expect(bad.stderr).toMatch(/^autogen: error: /);
    for (const r of [up, status, bad]) {
      expect(r.stdout).not.toContain(ESC);
      expect(r.stderr).not.toContain(ESC);
      expect(r.stdout).not.toContain("revision 1/");
    }
    // The assertion can fail: FORCE_COLOR colours the same pipe.
    expect((await cli(tmp.dir, ["upgrade", "nope"], { FORCE_COLOR: "1" })).stderr).toContain(`${ESC}[31mautogen: error:`);
  });

  it.skipIf(!PTY)("on a terminal with NO_COLOR=1: no escape codes, even with progress", async () => {
    writeRevisions(tmp, 12);
    const up = await runOnPty([...onTerminal(), "upgrade", "head"], { cwd: tmp.dir, env: env({ NO_COLOR: "1" }) });
    expect(up.status).toBe(0);
    expect(up.output).toContain("revision 12/12");
    const status = await runOnPty([...onTerminal(), "status"], { cwd: tmp.dir, env: env({ NO_COLOR: "1" }) });
    const bad = await runOnPty([...onTerminal(), "upgrade", "nope"], { cwd: tmp.dir, env: env({ NO_COLOR: "1" }) });
    for (const r of [up, status, bad]) expect(r.output).not.toContain(ESC);
    // Without NO_COLOR the same terminal gets colour.
    const coloured = await runOnPty([...onTerminal(), "upgrade", "nope"], { cwd: tmp.dir, env: env() });
    expect(coloured.output).toContain(`${ESC}[31mautogen: error:`);
  });
});

describe.skipIf(!PTY)("progress on a terminal", () => {
  it("a long upgrade shows revision n/m, statements and elapsed time; CI and --sql do not", async () => {
    writeRevisions(tmp, 30);
    const r = await runOnPty([...onTerminal(), "upgrade", "head"], { cwd: tmp.dir, env: env() });
    expect(r.status).toBe(0);
    for (const n of [1, 15, 30]) expect(r.output).toContain(`revision ${n}/30`);
    expect(r.output).toMatch(/revision 30\/30 · Running upgrade r0029 -> r0030, table 30 · \d+ statements · \d+\.\d s/);
    expect(r.output).toContain("Running upgrade r0029 -> r0030, table 30\r\n");

    const down = await runOnPty([...onTerminal(), "downgrade", "base"], { cwd: tmp.dir, env: env({ CI: "true" }) });
    expect(down.status).toBe(0);
    expect(down.output).toContain("Running downgrade r0001 -> <base>");
    expect(down.output).not.toContain("revision 1/30");
    const sql = await runOnPty([...onTerminal(), "upgrade", "head", "--sql"], { cwd: tmp.dir, env: env() });
    expect(sql.output).toContain("CREATE TABLE t30");
    expect(sql.output).not.toContain("revision 1/30");
  });
});

describe("what the API tells a progress sink", () => {
  function recorder() {
    const events: string[] = [];
    const sink: ProgressSink = {
      begin: (title, o) => events.push(`begin ${title}${o?.total !== undefined ? ` total=${o.total}` : ""}`),
      item: (n, label) => events.push(`item ${n} ${label}`),
      phase: (label, size) => events.push(`phase ${label}${size !== undefined ? ` size=${size}` : ""}`),
      end: () => events.push("end"),
    };
    return { events, sink };
  }

  it("upgrade: one item per revision between begin and end; autogenerate: its phases with the table count", async () => {
    writeRevisions(tmp, 3);
    const { events, sink } = recorder();
    await upgrade({ cwd: tmp.dir, env: {}, progress: sink });
    expect(events).toEqual([
      "begin upgrade total=3",
      "item 1 Running upgrade <base> -> r0001, table 1",
      "item 2 Running upgrade r0001 -> r0002, table 2",
      "item 3 Running upgrade r0002 -> r0003, table 3",
      "end",
    ]);

    writeConfig(fixtureEntities("rename-before"));
    const auto = recorder();
    await revision({ cwd: tmp.dir, env: {}, message: "m", autogenerate: true, progress: auto.sink });
    expect(auto.events).toEqual([
      "begin autogenerate",
      "phase reading the models",
      "phase reading the database (1 tables in the models) size=1",
      "phase comparing 1 tables size=1",
      "end",
    ]);
  });
});
