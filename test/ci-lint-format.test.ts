/**
 * `autogen lint --format json|github|markdown`: the same report object as `check`'s
 * formats (validated against schemas/report.schema.json), GitHub annotations at the op's
 * line in the revision file, exit 1 on a finding. Lint needs only the dialect.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTempDir, type TempDir } from "./helpers/databases.js";
import { REPO_ROOT } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(path.join(REPO_ROOT, "schemas/report.schema.json"), "utf8")));

describe("lint --format", () => {
  let tmp: TempDir;
  beforeAll(() => {
    tmp = createTempDir("autogen-ci-lint-");
    mkdirSync(tmp.file("versions"));
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ dialect: "postgres", entities: ["models/*.ts"] }));
    writeFileSync(
      tmp.file("versions/r1_users.ts"),
      `export const revision = "r1";
export const downRevision = null;
export function upgrade(op: any) {
  op.createTable("users", { columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { columns: ["id"] } });
}
export function downgrade(op: any) {
  op.dropTable("users");
}
`,
    );
    writeFileSync(
      tmp.file("versions/r2_email.ts"),
      `export const revision = "r2";
export const downRevision = "r1";
export function upgrade(op: any) {
  // line 4: NOT NULL, no default, on a table that may hold rows
  op.addColumn("users", { name: "email", type: "varchar", length: 100, nullable: false });
}
export function downgrade(op: any) {
  op.dropColumn("users", "email");
}
`,
    );
  });
  afterAll(() => tmp.remove());

  it("json validates against the schema and names the rule, revision and line; exit 1", async () => {
    const r = await runCli(["lint", "--format", "json"], { cwd: tmp.dir });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.status).toBe("findings");
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        revision: "r2",
        rule: "not-null-without-default",
        direction: "upgrade",
        line: 5,
        path: tmp.file("versions/r2_email.ts"),
      }),
    );
  });

  it("github: an annotation at the op's line; markdown: a table", async () => {
    const gh = await runCli(["lint", "--format", "github"], { cwd: tmp.dir });
    expect(gh.status).toBe(1);
    expect(gh.stdout).toMatch(
      /^::error file=versions\/r2_email\.ts,line=5,title=autogen lint%3A not-null-without-default \(r2\)::upgrade: /m,
    );
    const md = await runCli(["lint", "--format", "markdown"], { cwd: tmp.dir });
    expect(md.stdout).toMatch(/^### autogen lint: \d+ findings?/);
    expect(md.stdout).toContain("| versions/r2_email.ts:5 | upgrade | not-null-without-default |");
  });

  it("an error is reported in the format too, with check's exit codes", async () => {
    const r = await runCli(["lint", "zzz", "--format", "json"], { cwd: tmp.dir });
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ command: "lint", status: "error", exitCode: 2 });
  });
});
