/**
 * `revision` and `merge` as files on disk: --head/--splice/--branch-label/--depends-on/
 * --rev-id/--version-path, the project template, and merge revisions. No database is
 * needed for hand-written revisions.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as api from "../src/api/index.js";
import { UserError } from "../src/errors.js";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { createProject, type TestProject } from "./helpers/project.js";

let db: TempDir;
let project: TestProject;
let cfg: { config: string };

beforeEach(() => {
  db = createTempDir();
  project = createProject({ url: sqliteUrl(db), versionLocations: ["more-versions"] });
  cfg = { config: project.config };
});
afterEach(() => {
  project.remove();
  db.remove();
});

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UserError) return err.message;
    throw err;
  }
  throw new Error("expected a UserError");
}

describe("revision", () => {
  it("writes an empty, valid revision chained onto the head", async () => {
    const a = await api.revision({ ...cfg, message: "first", revId: "aaa" });
    const b = await api.revision({ ...cfg, message: "Second: add things!", revId: "bbb" });
    if (!a.written || !b.written) throw new Error("expected files");
    expect(path.basename(b.path)).toBe("bbb_second_add_things.ts");
    const text = readFileSync(b.path, "utf8");
    expect(text).toContain('export const revision = "bbb";');
    expect(text).toContain('export const downRevision = "aaa";');
    expect((await api.heads(cfg)).map((h) => h.revision)).toEqual(["bbb"]);
  });

  it("branches with --head/--splice and labels, depends across branches, and merges", async () => {
    await api.revision({ ...cfg, message: "base", revId: "base1" });
    await api.revision({ ...cfg, message: "left", revId: "left1", branchLabel: ["left"] });
    expect(await failure(api.revision({ ...cfg, message: "right", head: "base1" }))).toMatch(/base1 is not a head revision; pass --splice/);
    await api.revision({ ...cfg, message: "right", revId: "right1", head: "base1", splice: true, branchLabel: ["right"] });
    expect((await api.heads(cfg)).map((h) => h.revision).sort()).toEqual(["left1", "right1"]);
    expect(await failure(api.revision({ ...cfg, message: "x" }))).toMatch(/Multiple heads are present/);

    const labels = readFileSync(path.join(project.dir.dir, "versions", "left1_left.ts"), "utf8");
    expect(labels).toMatch(/export const branchLabels = \["left"\];/);

    const merged = await api.merge({ ...cfg, message: "join", revId: "join1" });
    expect([...merged.downRevision].sort()).toEqual(["left1", "right1"]);
    expect(readFileSync(merged.path, "utf8")).toMatch(/export const downRevision = \["left1", "right1"\];/);
    expect((await api.heads(cfg)).map((h) => h.revision)).toEqual(["join1"]);

    // A new root that depends on the left branch (as Alembic's --depends-on).
    const dep = await api.revision({ ...cfg, message: "plugin", revId: "plug1", head: "base", dependsOn: ["left"] });
    if (!dep.written) throw new Error("expected a file");
    expect(readFileSync(dep.path, "utf8")).toMatch(/export const downRevision = null;[\s\S]*export const dependsOn = \["left"\];/);
    expect((await api.heads(cfg)).map((h) => h.revision).sort()).toEqual(["join1", "plug1"]);
    const [info] = await api.show({ ...cfg, revision: "plug1" });
    expect(info?.dependsOn).toEqual(["left1"]);
    await api.merge({ ...cfg, message: "join all", revId: "join2" });
    expect(await failure(api.merge({ ...cfg, message: "again" }))).toMatch(/Nothing to merge/);
  });

  it("refuses a duplicate --rev-id and an unconfigured --version-path; writes to a configured one", async () => {
    await api.revision({ ...cfg, message: "one", revId: "r1" });
    expect(await failure(api.revision({ ...cfg, message: "two", revId: "r1" }))).toMatch(/Revision id 'r1' already exists/);
    expect(await failure(api.revision({ ...cfg, message: "two", versionPath: db.dir }))).toMatch(
      /not one of the configured version locations/,
    );
    const other = await api.revision({ ...cfg, message: "two", revId: "r2", versionPath: path.join(project.dir.dir, "more-versions") });
    if (!other.written) throw new Error("expected a file");
    expect(path.dirname(other.path)).toBe(path.join(project.dir.dir, "more-versions"));
    expect((await api.heads(cfg)).map((h) => h.revision)).toEqual(["r2"]);
  });

  it("renders through the project's own template when there is one", async () => {
    const versions = path.join(project.dir.dir, "versions");
    mkdirSync(versions, { recursive: true });
    writeFileSync(
      path.join(versions, "script.ts.tmpl"),
      [
        "## house style",
        "${header}",
        "// Reviewed-by: <fill in>",
        "${imports}",
        "${exports}",
        "export function upgrade(op: Operations): void {",
        "  ${upgrades}",
        "}",
        "export function downgrade(op: Operations): void {",
        "  ${downgrades}",
        "}",
      ].join("\n"),
    );
    const r = await api.revision({ ...cfg, message: "templated", revId: "t1" });
    if (!r.written) throw new Error("expected a file");
    const text = readFileSync(r.path, "utf8");
    expect(text).toContain("// Reviewed-by: <fill in>");
    expect(text).not.toContain("house style");
    expect(text).toContain("export function upgrade(op: Operations)");
  });
});
