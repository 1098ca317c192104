/**
 * `autogen lint --format json|github|markdown`: the same report object as `check`'s
 * formats (validated against schemas/report.schema.json), GitHub annotations at the op's
 * line in the revision file, exit 1 on a finding. Lint needs only the dialect.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTempDir, type TempDir } from "./helpers/databases.js";
import { REPO_ROOT } from "./helpers/project.js";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const BIN = path.join(REPO_ROOT, "dist/cli/main.js");
const validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(path.join(REPO_ROOT, "schemas/report.schema.json"), "utf8")));

describe("lint --format", () => {
  let tmp: TempDir;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp.dir, encoding: "utf8", input: "", env: { ...process.env, AUTOGEN_DATABASE_URL: "" } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
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

  it("json validates against the schema and names the rule, revision and line; exit 1", () => {
    const r = run("lint", "--format", "json");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.status).toBe("findings");
    expect(report.findings).toContainEqual(
      expect.objectContaining({ revision: "r2", rule: "not-null-without-default", direction: "upgrade", line: 5, path: tmp.file("versions/r2_email.ts") }),
    );
  });

  it("github: an annotation at the op's line; markdown: a table", () => {
    const gh = run("lint", "--format", "github");
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(/^::error file=versions\/r2_email\.ts,line=5,title=autogen lint%3A not-null-without-default \(r2\)::upgrade: /m);
    const md = run("lint", "--format", "markdown");
    expect(md.stdout).toMatch(/^### autogen lint: \d+ findings?/);
    expect(md.stdout).toContain("| versions/r2_email.ts:5 | upgrade | not-null-without-default |");
  });

  it("an error is reported in the format too, with check's exit codes", () => {
    const r = run("lint", "zzz", "--format", "json");
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ command: "lint", status: "error", exitCode: 2 });
  });
});
