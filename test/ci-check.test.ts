/**
 * `autogen check` for CI, on real SQLite and PostgreSQL: every documented exit code from
 * a real situation (0 clean, 1 drift, 2 usage/config, 3 behind head or heads not merged,
 * 4 cannot connect), `--format json` validated against schemas/report.schema.json with
 * ajv, `--format github` annotations at the entity lines behind each drift, markdown
 * with destructive operations first, and `--offline` with an unreachable URL.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTempDir, DATABASE_KINDS, type TempDir } from "./helpers/databases.js";
import { REPO_ROOT, fixtureEntities } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

// Each test runs several CLI processes in turn: on a busy machine that takes minutes, not seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, "schemas/report.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function expectValidReport(stdout: string): Record<string, unknown> {
  const report = JSON.parse(stdout) as Record<string, unknown>;
  const ok = validate(report);
  expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
  expect(ok).toBe(true);
  return report;
}

for (const kind of DATABASE_KINDS) {
  const { dialect } = kind;
  describe.skipIf(!(await kind.available()))(`check for CI (${dialect})`, () => {
    let tmp: TempDir;
    let pg: { url: string; cleanup(): Promise<void> } | undefined;
    let url = "";

    const configure = (entities: string, extra: Record<string, unknown> = {}) =>
      writeFileSync(
        tmp.file("autogen.config.json"),
        JSON.stringify({ url, entities: [fixtureEntities(entities)], versionsDir: "versions", ...extra }, null, 2),
      );

    beforeAll(async () => {
      tmp = createTempDir("autogen-ci-check-");
      pg = await kind.create("autogen_ci_check");
      url = pg.url;
      configure("ci-before");
      expect((await runCli(["revision", "--autogenerate", "-m", "users and posts", "--rev-id", "aaaa0001"], { cwd: tmp.dir })).status).toBe(
        0,
      );
    });
    afterAll(async () => {
      await pg?.cleanup();
      tmp.remove();
    });

    it("exit 3 while the database is behind head, named in text and json", async () => {
      const text = await runCli(["check"], { cwd: tmp.dir });
      expect(text.status).toBe(3);
      expect(text.stderr.trim().split("\n")).toHaveLength(1);
      expect(text.stderr).toContain("database is not up to date (current: <base>; head: aaaa0001)");
      const json = await runCli(["check", "--format", "json"], { cwd: tmp.dir });
      expect(json.status).toBe(3);
      const report = expectValidReport(json.stdout);
      expect(report).toMatchObject({ status: "error", exitCode: 3, error: { category: "state" } });
    });

    it("exit 0 at head with no drift; json, github and markdown say so", async () => {
      expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
      expect((await runCli(["check"], { cwd: tmp.dir })).status).toBe(0);
      const json = await runCli(["check", "--format", "json"], { cwd: tmp.dir });
      expect(json.status).toBe(0);
      expect(expectValidReport(json.stdout)).toMatchObject({
        status: "clean",
        exitCode: 0,
        current: ["aaaa0001"],
        head: ["aaaa0001"],
        operations: [],
      });
      expect((await runCli(["check", "--format", "github"], { cwd: tmp.dir })).stdout).toMatch(/^::notice title=autogen check::/);
      expect((await runCli(["check", "--format", "markdown"], { cwd: tmp.dir })).stdout).toContain("### autogen check: clean");
    });

    it("exit 1 on drift: json validates, github annotations point at the entity lines", async () => {
      configure("ci-after");
      const text = await runCli(["check"], { cwd: tmp.dir });
      expect(text.status).toBe(1);
      expect(text.stdout).toContain("New upgrade operations detected");

      const json = await runCli(["check", "--format", "json"], { cwd: tmp.dir });
      expect(json.status).toBe(1);
      const report = expectValidReport(json.stdout) as {
        status: string;
        operations: Array<{ kind: string; table?: string; column?: string; code: string; location?: { file: string; line: number } }>;
      };
      expect(report.status).toBe("drift");
      const at = (kind: string, table: string, column?: string) =>
        report.operations.find((o) => o.kind === kind && o.table === table && (column === undefined || o.column === column));
      const role = at("addColumn", "users", "role");
      expect(role?.code).toMatch(/^op\.addColumn\("users", \{ name: "role"/);
      expect(role?.location).toEqual({ file: path.join(REPO_ROOT, "fixtures/entities/ci-after/User.ts"), line: 16 });
      expect(at("alterColumn", "posts", "title")?.location).toEqual({
        file: path.join(REPO_ROOT, "fixtures/entities/ci-after/Post.ts"),
        line: 11,
      });
      expect(at("createTable", "comments")?.location).toEqual({
        file: path.join(REPO_ROOT, "fixtures/entities/ci-after/Comment.ts"),
        line: 4,
      });
      expect(at("createForeignKey", "posts")?.location?.line).toBe(5); // the constraint belongs to the class

      const github = await runCli(["check", "--format", "github"], { cwd: tmp.dir });
      expect(github.status).toBe(1);
      const rel = (f: string) =>
        path
          .relative(tmp.dir, path.join(REPO_ROOT, "fixtures/entities/ci-after", f))
          .split(path.sep)
          .join("/");
      const lines = github.stdout.trim().split("\n");
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^::error file=${rel("User.ts").replace(/\./g, "\\.")},line=16,title=autogen%3A drift \\(addColumn users\\.role\\)::`),
        ),
      );
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^::error file=${rel("Post.ts").replace(/\./g, "\\.")},line=11,`)));
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^::error file=${rel("Comment.ts").replace(/\./g, "\\.")},line=4,`)));
    });

    it("markdown lists destructive operations first", async () => {
      // Back to the first models: the new column and table are dropped (destructive), the title shrinks.
      configure("ci-after");
      expect((await runCli(["revision", "--autogenerate", "-m", "after", "--rev-id", "aaaa0002"], { cwd: tmp.dir })).status).toBe(0);
      expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
      configure("ci-before");
      const md = await runCli(["check", "--format", "markdown"], { cwd: tmp.dir });
      expect(md.status).toBe(1);
      const destructive = md.stdout.indexOf("**Destructive operations (data loss):**");
      const other = md.stdout.indexOf("**Other operations:**");
      expect(destructive).toBeGreaterThan(0);
      expect(other).toBeGreaterThan(destructive);
      const dropTable = md.stdout.indexOf('op.dropTable("comments"');
      expect(dropTable).toBeGreaterThan(destructive);
      expect(dropTable).toBeLessThan(other);
      configure("ci-after");
      expect((await runCli(["check"], { cwd: tmp.dir })).status).toBe(0);
    });

    it("exit 3 with two unmerged heads, and the message says to merge them", async () => {
      configure("ci-after");
      // A second branch from the first revision: two heads, the database is at one of them.
      writeFileSync(
        tmp.file("versions/bbbb0001_side.ts"),
        `export const revision = "bbbb0001";\nexport const downRevision = "aaaa0001";\nexport const message = "side";\nexport function upgrade(op) {}\nexport function downgrade(op) {}\n`,
      );
      const r = await runCli(["check"], { cwd: tmp.dir });
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/2 heads \(.*\) that are not merged; run `autogen merge heads/);
      const json = await runCli(["check", "--format", "json"], { cwd: tmp.dir });
      expect(expectValidReport(json.stdout)).toMatchObject({ exitCode: 3, error: { category: "state" } });
      // Merging then upgrading is the way out.
      expect((await runCli(["merge", "heads", "-m", "merge", "--rev-id", "cccc0001"], { cwd: tmp.dir })).status).toBe(0);
      expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
      expect((await runCli(["check"], { cwd: tmp.dir })).status).toBe(0);
    });

    it("exit 2 on a usage or configuration error", async () => {
      expect((await runCli(["check", "--format", "yaml"], { cwd: tmp.dir })).status).toBe(2);
      writeFileSync(tmp.file("broken.json"), "{ not json");
      const broken = await runCli(["check", "--config", "broken.json", "--format", "json"], { cwd: tmp.dir });
      expect(broken.status).toBe(2);
      expect(expectValidReport(broken.stdout)).toMatchObject({ status: "error", exitCode: 2, error: { category: "config" } });
      writeFileSync(tmp.file("versions/zz_broken.ts"), "export const revision = 42;\n");
      const badRevision = await runCli(["check"], { cwd: tmp.dir });
      expect(badRevision.status).toBe(2);
      expect(badRevision.stderr).toContain("zz_broken.ts");
      rmSync(tmp.file("versions/zz_broken.ts"));
    });

    it("exit 4 when the database cannot be reached; --offline does not need it", async () => {
      const nowhere = kind.unreachableUrl();
      const r = await runCli(["check", "--url", nowhere], { cwd: tmp.dir });
      expect(r.status).toBe(4);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      const json = await runCli(["check", "--url", nowhere, "--format", "json"], { cwd: tmp.dir });
      expect(json.status).toBe(4);
      expect(expectValidReport(json.stdout)).toMatchObject({ exitCode: 4, error: { category: "connect" } });

      const offline = await runCli(["check", "--offline", "--url", nowhere, "--format", "json"], { cwd: tmp.dir });
      expect(offline.stderr).toBe("");
      expect(offline.status).toBe(0);
      expect(expectValidReport(offline.stdout)).toMatchObject({ status: "clean", offline: true });
      configure("ci-before");
      const drift = await runCli(["check", "--offline", "--url", nowhere], { cwd: tmp.dir });
      expect(drift.status).toBe(1);
      expect(drift.stdout).toContain('op.dropTable("comments"');
      configure("ci-after");
    });

    it("status --format json validates and lists every revision", async () => {
      const r = await runCli(["status", "--format", "json"], { cwd: tmp.dir });
      expect(r.status).toBe(0);
      const report = expectValidReport(r.stdout) as { revisions: Array<{ revision: string; applied: boolean }> };
      expect(report.revisions.map((x) => x.revision).sort()).toEqual(["aaaa0001", "aaaa0002", "bbbb0001", "cccc0001"]);
      expect(report.revisions.every((x) => x.applied)).toBe(true);
      expect((await runCli(["status", "--format", "markdown"], { cwd: tmp.dir })).stdout).toContain("### autogen status: up to date");
    });
  });
}
