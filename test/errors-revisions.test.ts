/**
 * Bad revision files and bad revision targets, as a user meets them on the command
 * line: every one is a single line on stderr naming the file (or the revision), exit
 * code 1, and the database is left exactly as it was.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Workspace } from "../src/api/index.js";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { runCli } from "./helpers/cli.js";

/** A revision that creates table `t_<id>` (and drops it on the way down). */
function revisionSource(id: string, down: string | string[] | null, extra = ""): string {
  return `export const revision = ${JSON.stringify(id)};
export const downRevision = ${JSON.stringify(down)};
export const message = "rev ${id}";
export function upgrade(op: any): void {
  op.execute("CREATE TABLE t_${id} (id integer)", { reverse: "DROP TABLE t_${id}" });${extra}
}
export function downgrade(op: any): void {
  op.execute("DROP TABLE t_${id}");
}
`;
}

function expectOneLineError(r: { status: number | null; stderr: string }, ...fragments: string[]): void {
  expect(r.status).toBe(1);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^autogen: error: /);
  for (const f of fragments) expect(lines[0]).toContain(f);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("errors in revision files and targets (SQLite, CLI)", () => {
  let tmp: TempDir;
  let versions: string;
  const write = (name: string, text: string) => writeFileSync(path.join(versions, name), text);

  /** Version rows and user tables: the whole observable state. */
  async function state(): Promise<{ rows: string[]; tables: string[] }> {
    const ws = new Workspace({ cwd: tmp.dir });
    return ws.withConnection(async (conn) => {
      const rows = await ws.readHeads(conn);
      const tables = await conn.query<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\' ORDER BY name",
      );
      return { rows, tables: tables.map((t) => t.name) };
    });
  }

  beforeEach(async () => {
    tmp = createTempDir("autogen-errors-rev-");
    versions = tmp.file("versions");
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: sqliteUrl(tmp), entities: ["models/*.ts"] }));
    mkdirSync(versions);
    write("a1_first.ts", revisionSource("a1", null));
    expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
    expect(await state()).toEqual({ rows: ["a1"], tables: ["t_a1"] });
  });

  afterEach(() => tmp.remove());

  describe("a broken revision file stops every command before anything runs", () => {
    const cases: Array<[string, () => void, string[]]> = [
      [
        "a TypeScript syntax error",
        () => write("b2_broken.ts", revisionSource("b2", "a1").replace('op.execute("CREATE', 'op.execute(("CREATE')),
        ["b2_broken.ts:", "syntax error"],
      ],
      [
        "a JavaScript syntax error",
        () =>
          write(
            "b2_broken.js",
            'exports.revision = "b2";\nexports.downRevision = "a1";\nexports.upgrade = function (op) { op.execute("x" };\n',
          ),
        ["b2_broken.js:3", "syntax error"],
      ],
      [
        "a file that throws while loading",
        () => write("b2_broken.ts", `throw new Error("no database for you");\n${revisionSource("b2", "a1")}`),
        ["b2_broken.ts:1", "no database for you"],
      ],
      [
        "a missing `revision` export",
        () => write("b2_broken.ts", revisionSource("b2", "a1").replace("export const revision", "const revision")),
        ["b2_broken.ts", 'missing export "revision"'],
      ],
      [
        "a missing `downgrade` export",
        () => write("b2_broken.ts", revisionSource("b2", "a1").replace("export function downgrade", "function downgrade")),
        ["b2_broken.ts", '"downgrade"'],
      ],
      [
        "a downRevision pointing nowhere",
        () => write("b2_broken.ts", revisionSource("b2", "nowhere")),
        ["b2_broken.ts", "'nowhere'", "does not exist"],
      ],
      ["two files with the same id", () => write("b2_copy.ts", revisionSource("a1", null)), ["'a1'", "a1_first.ts", "b2_copy.ts"]],
      [
        "a cycle",
        () => {
          write("c3_loop.ts", revisionSource("c3", "d4"));
          write("d4_loop.ts", revisionSource("d4", "c3"));
        },
        ["cycle", "c3_loop.ts", "d4_loop.ts"],
      ],
    ];

    it.each(cases)("%s", async (_name, breakIt, fragments) => {
      breakIt();
      // One command that migrates, one that only reads the files, one that writes the version table.
      for (const command of [["upgrade", "head"], ["history"], ["stamp", "base"]]) {
        expectOneLineError(await runCli([...command], { cwd: tmp.dir }), ...fragments);
      }
      expect(await state()).toEqual({ rows: ["a1"], tables: ["t_a1"] });
    });
  });

  describe("bad targets: one line, exit 1, nothing changed", () => {
    beforeEach(() => {
      write("b2_left.ts", revisionSource("b2", "a1"));
      write("b3_right.ts", revisionSource("b3", "a1"));
    });

    it.each<[string, string[], string[]]>([
      ["unknown revision id", ["upgrade", "zzz"], ["Can't locate revision identified by 'zzz'"]],
      ["ambiguous prefix", ["upgrade", "b"], ["'b'", "b2", "b3"]],
      ["upgrade head with two heads", ["upgrade", "head"], ["Multiple heads", "b2", "b3", "merge heads"]],
      ["downgrade +1", ["downgrade", "+1"], ["'+1'", "use upgrade"]],
      ["downgrade -5, too far", ["downgrade", "-5"], ["'-5'", "below base"]],
      ["upgrade -1", ["upgrade", "-1"], ["'-1'", "use downgrade"]],
      ["downgrade to an unknown id", ["downgrade", "zzz"], ["'zzz'"]],
      ["stamp an unknown revision", ["stamp", "zzz"], ["'zzz'"]],
      ["show an unknown revision", ["show", "zzz"], ["'zzz'"]],
      ["history of an unknown range", ["history", "-r", "zzz:head"], ["'zzz'"]],
    ])("%s", async (_name, args, fragments) => {
      expectOneLineError(await runCli([...args], { cwd: tmp.dir }), ...fragments);
      expect(await state()).toEqual({ rows: ["a1"], tables: ["t_a1"] });
    });

    it("revision with two heads and no --head says to pass --head or merge, and writes no file", async () => {
      expectOneLineError(await runCli(["revision", "-m", "next"], { cwd: tmp.dir }), "Multiple heads", "b2, b3", "--head", "merge heads");
      expect(readdirSync(versions).sort()).toEqual(["a1_first.ts", "b2_left.ts", "b3_right.ts"]);
      expect((await runCli(["revision", "-m", "next", "--head", "b2", "--rev-id", "c4"], { cwd: tmp.dir })).status).toBe(0);
    });

    it("merge with a single head says there is nothing to merge and writes no file", async () => {
      rmSync(path.join(versions, "b3_right.ts"));
      expectOneLineError(await runCli(["merge", "heads", "-m", "join"], { cwd: tmp.dir }), "Nothing to merge", "b2");
      expectOneLineError(await runCli(["merge", "-m", "join"], { cwd: tmp.dir }), "Nothing to merge", "b2");
      expect(readdirSync(versions).sort()).toEqual(["a1_first.ts", "b2_left.ts"]);
    });

    it("downgrade -1 with two applied heads asks for a branch", async () => {
      expect((await runCli(["upgrade", "heads"], { cwd: tmp.dir })).status).toBe(0);
      expectOneLineError(await runCli(["downgrade", "-1"], { cwd: tmp.dir }), "'-1'", "b2", "b3");
      expect(await state()).toEqual({ rows: ["b2", "b3"], tables: ["t_a1", "t_b2", "t_b3"] });
    });

    it("a version row naming a missing file is reported, and stamp --purge recovers", async () => {
      const ws = new Workspace({ cwd: tmp.dir });
      await ws.withConnection((conn) => conn.query(`INSERT INTO autogen_version (version_num) VALUES ('ghost')`));
      for (const args of [["current"], ["upgrade", "head"], ["status"], ["downgrade", "base"]]) {
        expectOneLineError(await runCli([...args], { cwd: tmp.dir }), "'ghost'", "version table");
      }
      expect((await runCli(["stamp", "a1", "--purge"], { cwd: tmp.dir })).status).toBe(0);
      expect(await state()).toEqual({ rows: ["a1"], tables: ["t_a1"] });
    });
  });
});
