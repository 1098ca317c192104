/**
 * The command line's contract with scripts and CI: exit codes 0 / 1 / 2 as the README
 * states them, `--help` that lists each command's own options, offline mode's refusals,
 * and output piped into a reader that stops early.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { assertBuilt, BIN, runCli } from "./helpers/cli.js";

function revisionSource(id: string, down: string | null, upgradeBody: string): string {
  return `export const revision = ${JSON.stringify(id)};
export const downRevision = ${JSON.stringify(down)};
export const message = "rev ${id}";
export async function upgrade(op: any): Promise<void> {
  ${upgradeBody}
}
export function downgrade(op: any): void {
  op.execute("DROP TABLE t_${id}");
}
`;
}

describe("exit codes, --help, offline refusals", () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = createTempDir("autogen-cli-usage-");
    mkdirSync(tmp.file("versions"));
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: sqliteUrl(tmp), entities: ["models/*.ts"] }));
    writeFileSync(
      tmp.file("versions/a1_first.ts"),
      revisionSource("a1", null, `op.execute("CREATE TABLE t_a1 (id integer)", { reverse: "DROP TABLE t_a1" });`),
    );
    writeFileSync(
      tmp.file("versions/b2_count.ts"),
      revisionSource(
        "b2",
        "a1",
        `op.execute("CREATE TABLE t_b2 (id integer)", { reverse: "DROP TABLE t_b2" });
  const rows = await op.query<{ n: number }>("SELECT count(*) AS n FROM t_a1");
  if (rows[0]!.n > 0) op.execute("INSERT INTO t_b2 SELECT id FROM t_a1");`,
      ),
    );
  });
  afterEach(() => tmp.remove());

  it.each<[string, string[]]>([
    [
      "revision",
      ["--message", "--autogenerate", "--head", "--splice", "--branch-label", "--depends-on", "--rev-id", "--version-path", "--rename"],
    ],
    ["upgrade", ["[target]", "--sql"]],
    ["downgrade", ["<target>", "--sql"]],
    ["history", ["--rev", "--indicate-current"]],
    ["stamp", ["--purge", "--sql"]],
    ["merge", ["--message", "--rev-id", "--branch-label"]],
    ["fresh", ["--force"]],
    ["init", ["[dir]", "--entities"]],
  ])("%s --help lists its own options and the global ones, exit 0", async (command, options) => {
    const r = await runCli([command, "--help"], { cwd: tmp.dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    for (const o of [...options, "--config", "--url", "--verbose"]) expect(r.stdout).toContain(o);
  });

  it("exit 0 on success, 1 on failure, 2 on a usage mistake", async () => {
    expect((await runCli(["heads"], { cwd: tmp.dir })).status).toBe(0);
    expect((await runCli(["show", "nope"], { cwd: tmp.dir })).status).toBe(1);
    for (const args of [
      [],
      ["upgradee"],
      ["upgrade", "--nope"],
      ["downgrade"],
      ["show"],
      ["stamp"],
      ["revision"],
      ["upgrade", "a1", "b2"],
    ]) {
      const r = await runCli([...args], { cwd: tmp.dir });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr, args.join(" ")).toMatch(/^autogen: usage error: /);
    }
  });

  it("a from:to range outside --sql, and downgrade --sql without one, are usage errors (exit 2) that say what to do", async () => {
    const online = await runCli(["upgrade", "a1:b2"], { cwd: tmp.dir });
    expect(online.status).toBe(2);
    expect(online.stderr).toMatch(/^autogen: usage error: .*a1:b2.*--sql/);
    const down = await runCli(["downgrade", "base", "--sql"], { cwd: tmp.dir });
    expect(down.status).toBe(2);
    expect(down.stderr.trim().split("\n")).toHaveLength(1);
    expect(down.stderr).toContain("autogen downgrade <from>:<to> --sql");
    expect((await runCli(["downgrade", "a1:base", "--sql"], { cwd: tmp.dir })).status).toBe(0);
  });

  it("upgrade --sql through a revision that calls op.query is refused, naming the file and the query", async () => {
    const r = await runCli(["upgrade", "head", "--sql"], { cwd: tmp.dir });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("b2_count.ts");
    expect(lines[0]).toContain("offline");
    expect(lines[0]).toContain("SELECT count(*) AS n FROM t_a1");
    // Up to the revision before it, the script is printed.
    const partial = await runCli(["upgrade", "a1", "--sql"], { cwd: tmp.dir });
    expect(partial.status).toBe(0);
    expect(partial.stdout).toContain("CREATE TABLE t_a1 (id integer);");
    // Online, op.query works.
    expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
  });

  it("a message spanning lines stays a comment in the --sql script", async () => {
    writeFileSync(
      tmp.file("versions/b2_count.ts"),
      revisionSource("b2", "a1", `op.execute("CREATE TABLE t_b2 (id integer)");`).replace(
        'export const message = "rev b2";',
        'export const message = "cleanup\\nDELETE FROM t_a1;";',
      ),
    );
    const r = await runCli(["upgrade", "head", "--sql"], { cwd: tmp.dir });
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    // Step headers carry the message's first line only; nothing of it becomes a statement.
    expect(lines).toContain("-- Running upgrade a1 -> b2, cleanup");
    expect(r.stdout).not.toMatch(/^DELETE FROM t_a1;/m);
  });

  it("output piped into a reader that has gone is dropped, without a crash or a half-done migration", async () => {
    // A closed pipe needs a process of its own: the built executable, through a shell.
    assertBuilt();
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" upgrade head | true`], { cwd: tmp.dir, encoding: "utf8" });
    expect(r.stderr).not.toContain("EPIPE");
    expect(r.status).toBe(0);
    expect((await runCli(["current"], { cwd: tmp.dir })).stdout).toContain("b2 (head)");
    const history = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" history | true`], { cwd: tmp.dir, encoding: "utf8" });
    expect(history.stderr).toBe("");
  });

  it("a failed system call (a file where the versions directory should be) is one line, not an internal error", async () => {
    const other = createTempDir("autogen-cli-usage-file-");
    try {
      writeFileSync(other.file("versions"), "a file, not a directory");
      const r = await runCli(["init"], { cwd: other.dir });
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^autogen: error: /);
      expect(lines[0]).toContain(other.file("versions"));
      expect(readdirSync(other.dir)).toEqual(["versions"]);
    } finally {
      other.remove();
    }
  });
});
