/**
 * Offline `--sql` that never breaks for a reason outside the range: a revision calling
 * `op.query` inside the range is rendered up to it, then a one-line error names it and
 * says how to go on; revisions before or after the range do not matter; an empty or
 * reversed range is a usage error instead of an empty script with exit 0.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { runCli } from "./helpers/cli.js";

// Each test runs several CLI processes in turn: on a busy machine that takes minutes, not seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

function revision(id: string, down: string | null, upgradeBody: string, downgradeBody = `op.dropTable("t_${id}");`): string {
  return `export const revision = ${JSON.stringify(id)};
export const downRevision = ${JSON.stringify(down)};
export const message = "rev ${id}";
export async function upgrade(op: any): Promise<void> {
  ${upgradeBody}
}
export async function downgrade(op: any): Promise<void> {
  ${downgradeBody}
}
`;
}

const table = (id: string) =>
  `op.createTable("t_${id}", { columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { columns: ["id"] } });`;

describe("offline --sql ranges", () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = createTempDir("autogen-ci-sql-");
    mkdirSync(tmp.file("versions"));
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: sqliteUrl(tmp), entities: ["models/*.ts"] }));
    // a1 -> b2 (reads rows with op.query) -> c3 -> d4
    writeFileSync(tmp.file("versions/a1.ts"), revision("a1", null, table("a1")));
    writeFileSync(
      tmp.file("versions/b2.ts"),
      revision(
        "b2",
        "a1",
        `${table("b2")}\n  const rows = await op.query("SELECT id FROM t_a1");\n  for (const r of rows) op.execute("INSERT INTO t_b2 VALUES (" + r.id + ")");`,
        `const rows = await op.query("SELECT id FROM t_b2");\n  void rows;\n  op.dropTable("t_b2");`,
      ),
    );
    writeFileSync(tmp.file("versions/c3.ts"), revision("c3", "b2", table("c3")));
    writeFileSync(tmp.file("versions/d4.ts"), revision("d4", "c3", table("d4")));
  });
  afterEach(() => tmp.remove());

  it("a revision calling op.query in the range: the script up to it, then one line naming it and the way on", async () => {
    const r = await runCli(["upgrade", "head", "--sql"], { cwd: tmp.dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('CREATE TABLE "t_a1"');
    expect(r.stdout).toContain("-- autogen: stopped before b2");
    expect(r.stdout).not.toContain('"t_b2"');
    expect(r.stdout).not.toContain('"t_c3"');
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path.join("versions", "b2.ts"));
    expect(lines[0]).toContain('op.query("SELECT id FROM t_a1")');
    expect(lines[0]).toContain("autogen upgrade b2:head --sql");
  });

  it("revisions outside the range do not matter", async () => {
    const after = await runCli(["upgrade", "b2:head", "--sql"], { cwd: tmp.dir });
    expect(after.stderr).toBe("");
    expect(after.status).toBe(0);
    expect(after.stdout).toContain('CREATE TABLE "t_c3"');
    expect(after.stdout).toContain('CREATE TABLE "t_d4"');
    expect(after.stdout).not.toContain('"t_a1"');
    const before = await runCli(["upgrade", "base:a1", "--sql"], { cwd: tmp.dir });
    expect(before.status).toBe(0);
    expect(before.stdout).toContain('CREATE TABLE "t_a1"');
    // Downgrading from head to c3 never runs b2's downgrade (which reads rows).
    const down = await runCli(["downgrade", "head:b2", "--sql"], { cwd: tmp.dir });
    expect(down.stderr).toBe("");
    expect(down.status).toBe(0);
    expect(down.stdout).toContain('DROP TABLE "t_d4"');
    expect(down.stdout).toContain('DROP TABLE "t_c3"');
    // Through b2 it stops there, after d4 and c3.
    const through = await runCli(["downgrade", "head:base", "--sql"], { cwd: tmp.dir });
    expect(through.status).toBe(1);
    expect(through.stdout).toContain('DROP TABLE "t_c3"');
    expect(through.stderr).toContain("downgrade() of b2");
  });

  it("an empty or reversed range is a usage error, not an empty script", async () => {
    for (const args of [
      ["upgrade", "head:base", "--sql"],
      ["upgrade", "c3:a1", "--sql"],
      ["upgrade", "c3:c3", "--sql"],
      ["downgrade", "base:head", "--sql"],
      ["downgrade", "a1:c3", "--sql"],
    ]) {
      const r = await runCli([...args], { cwd: tmp.dir });
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stdout, args.join(" ")).toBe("");
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr, args.join(" ")).toMatch(/empty or reversed/);
    }
  });
});
