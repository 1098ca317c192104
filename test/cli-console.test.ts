/**
 * The console around revisions: "did you mean" for mistyped commands and flags (one
 * line, exit 2), `revision -m` writing async functions (a data migration may await
 * op.query, as the README's example does) with the default rendering and with the
 * template `init` copies, and the "Detected …" wording of each op.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { detectedLine } from "../src/ops/detected.js";
import { closest } from "../src/cli/suggest.js";
import { createTempDir, type TempDir } from "./helpers/databases.js";
import { runCli } from "./helpers/cli.js";

vi.setConfig({ testTimeout: 120_000 });

let tmp: TempDir;
beforeEach(() => {
  tmp = createTempDir("autogen-console-");
});
afterEach(() => tmp.remove());

describe("did you mean", () => {
  it("a mistyped command or flag is one line naming the closest one, exit 2", async () => {
    const command = await runCli(["revison", "-m", "x"], { cwd: tmp.dir });
    expect(command.status).toBe(2);
    expect(command.stderr.trim()).toBe(
      'autogen: usage error: unknown command "revison": did you mean `autogen revision`? (autogen --help lists the commands)',
    );
    const flag = await runCli(["revision", "-m", "x", "--autogenrate"], { cwd: tmp.dir });
    expect(flag.status).toBe(2);
    expect(flag.stderr.trim()).toBe(
      "autogen: usage error: unknown option --autogenrate: did you mean --autogenerate? (--help lists the options)",
    );
    const far = await runCli(["upgrade", "--banana"], { cwd: tmp.dir });
    expect(far.stderr.trim()).toBe("autogen: usage error: unknown option --banana (--help lists the options)");
  });

  it("suggests only what is close", () => {
    expect(closest("strcit", ["strict", "format"])).toBe("strict");
    expect(closest("verbos", ["verbose", "version"])).toBe("verbose");
    expect(closest("xyz", ["strict", "format"])).toBeUndefined();
  });
});

describe("revision -m writes async functions", () => {
  for (const withTemplate of [false, true]) {
    it(withTemplate ? "through the template init copies" : "with the default rendering", async () => {
      writeFileSync(
        tmp.file("autogen.config.json"),
        JSON.stringify({ url: "sqlite:./db.sqlite", entities: ["e/*.ts"], versionsDir: "versions" }),
      );
      if (withTemplate) {
        tmp.remove();
        tmp = createTempDir("autogen-console-");
        expect((await runCli(["init", "--url", "sqlite:./db.sqlite"], { cwd: tmp.dir })).status).toBe(0);
      }
      const r = await runCli(["revision", "-m", "backfill", "--rev-id", "a1"], { cwd: tmp.dir });
      expect(r.status).toBe(0);
      const file = tmp.file(`versions/${readdirSync(tmp.file("versions")).find((f) => f.startsWith("a1"))!}`);
      const text = readFileSync(file, "utf8");
      expect(text).toContain("export async function upgrade(op: Operations): Promise<void> {");
      expect(text).toContain("export async function downgrade(op: Operations): Promise<void> {");
      // The README's data migration, awaited, runs.
      writeFileSync(
        file,
        text.replace(
          /export async function upgrade\(op: Operations\): Promise<void> \{[\s\S]*?\n\}/,
          `export async function upgrade(op: Operations): Promise<void> {
  op.execute("CREATE TABLE t (n integer)", { reverse: "DROP TABLE t" });
  const rows = await op.query<{ n: number }>("SELECT 1 AS n");
  if (rows[0]?.n !== 1) throw new Error("no rows");
}`,
        ),
      );
      const up = await runCli(["upgrade", "head"], { cwd: tmp.dir });
      expect(up.stderr).toBe("");
      expect(up.status).toBe(0);
    });
  }
});

describe("Detected …", () => {
  it("names each op's object as Alembic does", () => {
    expect(detectedLine({ kind: "addColumn", table: "users", column: { name: "role", type: "varchar", nullable: true } })).toBe(
      "added column 'users.role'",
    );
    expect(
      detectedLine({
        kind: "alterColumn",
        table: "posts",
        column: "title",
        changes: {
          type: { from: { type: "varchar", length: 100 }, to: { type: "varchar", length: 200 } },
          nullable: { from: true, to: false },
        },
      }),
    ).toBe("changed column 'posts.title': type varchar(100) -> varchar(200), now NOT NULL");
    expect(detectedLine({ kind: "createUnique", table: "users", unique: { columns: ["email"] } })).toBe(
      "added unique constraint on 'users' (email)",
    );
    expect(detectedLine({ kind: "createExtension", extension: { name: "uuid-ossp" } })).toBe("added extension 'uuid-ossp'");
  });
});
