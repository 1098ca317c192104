/**
 * Issue 7.2: one URL redaction for every password form (user:password@, ?password=, an
 * unencoded `/` in the password, a URL without `//`), online, offline and with -v; and
 * driver errors in full: PostgreSQL's DETAIL and HINT, the failing statement cut at a
 * word (never mid-word) on the one line, whole with -v.
 */
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactUrl, redactUrlsIn } from "../src/dialects/redact.js";
import { pgAvailable } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const PG = await pgAvailable();
const SECRET = "S3cretPW";

describe("redactUrl", () => {
  it.each([
    ["postgres://me:S3cretPW@host/db", "postgres://me:***@host/db"],
    ["postgres://me@host/db?password=S3cretPW", "postgres://me@host/db?password=***"],
    ["postgres://me@host/db?sslmode=require&password=S3cretPW&x=1", "postgres://me@host/db?sslmode=require&password=***&x=1"],
    ["postgres://me:S3c/ret@PW@host:5432/db", "postgres://me:***@host:5432/db"],
    ["postgres:me:S3cretPW@host/db", "postgres:me:***@host/db"],
    ["postgresql://:S3cretPW@host", "postgresql://:***@host"],
    ["postgres://me:p%40S3cretPW@host/db", "postgres://me:***@host/db"],
    ["sqlite:/tmp/a@b.db", "sqlite:/tmp/a@b.db"],
    ["postgres://host/db", "postgres://host/db"],
  ])("%s -> %s", (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
    expect(redactUrlsIn(`cannot connect to "${url}" now`)).toBe(`cannot connect to "${shown}" now`);
  });
});

describe.skipIf(!PG)("passwords never printed by the CLI", () => {
  let project: SafetyProject;
  beforeAll(async () => {
    project = await createSafetyProject("postgres");
    project.entity(
      "thing",
      `import { Entity, PrimaryGeneratedColumn } from "typeorm";\n@Entity("thing")\nexport class Thing { @PrimaryGeneratedColumn() id!: number; }\n`,
    );
    expect((await project.cli(["revision", "--autogenerate", "-m", "thing", "--rev-id", "r1"])).status).toBe(0);
  });
  afterAll(async () => project?.remove());

  const withPassword = (transform: (u: URL) => string) => transform(new URL(project.url));
  const forms = (): Array<[string, string]> => [
    ["user:password@", withPassword((u) => `postgres://${u.username}:${SECRET}@${u.host}${u.pathname}`)],
    ["?password=", withPassword((u) => `postgres://${u.username}@${u.host}${u.pathname}?password=${SECRET}`)],
    ["unencoded / in the password", withPassword((u) => `postgres://${u.username}:S3c/retPW@${u.host}${u.pathname}`)],
    ["no //", withPassword((u) => `postgres:${u.username}:${SECRET}@${u.host}${u.pathname}`)],
    ["unreachable server", `postgres://nobody:${SECRET}@127.0.0.1:1/nowhere`],
    ["unknown database", withPassword((u) => `postgres://${u.username}:${SECRET}@${u.host}/no_such_db_${process.pid}`)],
  ];

  it("in any command's output, online, --sql and -v", async () => {
    for (const [form, url] of forms()) {
      for (const args of [
        ["upgrade", "head"],
        ["upgrade", "head", "--sql", "-v"],
        ["current", "-v"],
        ["upgrade", "head", "-v"],
      ]) {
        const what = `${form}: ${args.join(" ")}`;
        const r = await project.cli([...args, "--url", url]);
        const output = r.stdout + r.stderr;
        expect(output, what).not.toContain(SECRET);
        expect(output, what).not.toContain("retPW");
        expect(output.length, what).toBeGreaterThan(0);
      }
    }
  }, 300_000);
  it("the password form that connects still works", async () => {
    const r = await project.cli(["upgrade", "head", "--url", forms()[1]![1]]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

const FAILING_REVISION = (sql: string) => `import type { Operations } from "autogen";
export const revision = "r2";
export const downRevision = "r1";
export const message = "fails";
export function upgrade(op: Operations): void {
  op.execute(${JSON.stringify(sql)});
}
export function downgrade(op: Operations): void {}
`;

describe.skipIf(!PG)("PostgreSQL errors keep DETAIL and HINT", () => {
  let project: SafetyProject;
  beforeAll(async () => {
    project = await createSafetyProject("postgres");
    project.entity(
      "thing",
      `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";\n@Entity("thing")\nexport class Thing { @PrimaryGeneratedColumn() id!: number; @Column({ unique: true }) name!: string; }\n`,
    );
    expect((await project.cli(["revision", "--autogenerate", "-m", "thing", "--rev-id", "r1"])).status).toBe(0);
  });
  afterAll(async () => project?.remove());

  it("a unique violation says which key", async () => {
    writeFileSync(project.dir.file("versions/r2_fails.ts"), FAILING_REVISION(`INSERT INTO thing (name) VALUES ('dup'), ('dup')`));
    const r = await project.cli(["upgrade", "head"]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("Key (name)=(dup) already exists");
    expect(r.stderr).toContain("INSERT INTO thing");
  });
  it("a hint is kept", async () => {
    writeFileSync(project.dir.file("versions/r2_fails.ts"), FAILING_REVISION(`SELECT no_such_function_xyz(1::integer)`));
    const r = await project.cli(["upgrade", "head"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("HINT: No function matches the given name and argument types");
  });
});

describe("SQLite statements are not cut mid-word", () => {
  let project: SafetyProject;
  beforeAll(async () => {
    project = await createSafetyProject("sqlite");
    project.entity(
      "thing",
      `import { Entity, PrimaryGeneratedColumn } from "typeorm";\n@Entity("thing")\nexport class Thing { @PrimaryGeneratedColumn() id!: number; }\n`,
    );
    expect((await project.cli(["revision", "--autogenerate", "-m", "thing", "--rev-id", "r1"])).status).toBe(0);
  });
  afterAll(async () => project?.remove());

  it("cut at a word on the line, whole with -v", async () => {
    const columns = Array.from({ length: 40 }, (_, i) => `column_number_${i}`).join(", ");
    const sql = `SELECT ${columns}, final_column_that_does_not_exist FROM thing`;
    writeFileSync(project.dir.file("versions/r2_fails.ts"), FAILING_REVISION(sql));
    const r = await project.cli(["upgrade", "head"]);
    expect(r.status).toBe(1);
    const line = r.stderr.trim().split("\n")[0]!;
    const shown = /\[while running: (.*)\]$/.exec(line)![1]!;
    expect(shown).toMatch(/ …$/);
    const words = shown.replace(/ …$/, "").split(/[ ,]+/).filter(Boolean);
    // Every word shown is a whole word of the statement.
    for (const w of words) expect(sql.split(/[ ,]+/)).toContain(w);
    const verbose = await project.cli(["upgrade", "head", "-v"]);
    expect(verbose.stderr).toContain(sql);
  });
});
