/**
 * Configuration and connection mistakes on the command line: each is one line on
 * stderr naming the file, field or database, exit code 1, never an internal error.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { createTempDir, PG_ADMIN_URL, pgAvailable, type TempDir } from "./helpers/databases.js";
import { runCli } from "./helpers/cli.js";

const PG = await pgAvailable();

function expectOneLineError(r: { status: number | null; stderr: string }, ...fragments: string[]): void {
  expectOneLineErrorWithCode(1, r, ...fragments);
}

function expectOneLineErrorWithCode(code: number, r: { status: number | null; stderr: string }, ...fragments: string[]): void {
  expect(r.status).toBe(code);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^autogen: error: /);
  for (const f of fragments) expect(lines[0]).toContain(f);
}

function pgUrl(database: string, user?: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${database}`;
  if (user) u.username = user;
  return u.toString();
}

describe("configuration mistakes", () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = createTempDir("autogen-errors-config-");
  });
  afterEach(() => tmp.remove());

  it("--config naming a directory is one line naming it", async () => {
    mkdirSync(tmp.file("conf"));
    expectOneLineError(await runCli(["current", "--config", "conf"], { cwd: tmp.dir }), tmp.file("conf"), "directory");
  });

  it("--config or --url without a value is a usage error (exit 2) naming the flag", async () => {
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: "sqlite:./db.sqlite" }));
    for (const [flag, args] of [
      ["--config", ["current", "--config"]],
      ["--url", ["current", "--url"]],
    ] as const) {
      const r = await runCli([...args], { cwd: tmp.dir });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^autogen: usage error: ${flag} needs`));
    }
    expect(existsSync(tmp.file("db.sqlite"))).toBe(false);
  });

  it("a config file saved with a byte-order mark is read like any other", () => {
    writeFileSync(tmp.file("autogen.config.json"), `\uFEFF${JSON.stringify({ url: "sqlite:./db.sqlite" })}`);
    const config = loadConfig({ cwd: tmp.dir });
    expect(config.url).toBe(`sqlite:${tmp.file("db.sqlite")}`);
  });

  it('"schema" other than main on SQLite names the field', async () => {
    writeFileSync(tmp.file("autogen.config.json"), `{\n  "url": "sqlite:./db.sqlite",\n  "schema": "app"\n}\n`);
    expectOneLineError(await runCli(["current"], { cwd: tmp.dir }), "autogen.config.json:3", '"schema"', "sqlite");
    // A PostgreSQL project pointed at SQLite with --url: the PostgreSQL-only field does not apply.
    expect(loadConfig({ cwd: tmp.dir, url: "sqlite:./other.sqlite" }).schema).toBeUndefined();
  });

  it("an sqlite: URL without a path is refused before anything is opened", async () => {
    expectOneLineError(await runCli(["current", "--url", "sqlite:"], { cwd: tmp.dir }), "--url", "sqlite:");
    expect(() => loadConfig({ cwd: tmp.dir, url: "sqlite://" })).toThrow(/no file/);
  });

  it("an unsupported URL in AUTOGEN_DATABASE_URL names the variable", async () => {
    expectOneLineError(
      await runCli(["current"], { cwd: tmp.dir, env: { AUTOGEN_DATABASE_URL: "oracle://root@localhost/db" } }),
      "AUTOGEN_DATABASE_URL",
      "oracle://",
    );
  });

  it("without a URL, commands that need no connection work and the others say what is missing", async () => {
    mkdirSync(tmp.file("versions"));
    writeFileSync(
      tmp.file("versions/a1_first.ts"),
      `export const revision = "a1";\nexport const downRevision = null;\nexport function upgrade(op: any) { op.execute("CREATE TABLE t1 (id integer)"); }\nexport function downgrade(op: any) { op.execute("DROP TABLE t1"); }\n`,
    );
    // A PostgreSQL project that keeps its credentials in AUTOGEN_DATABASE_URL, unset here.
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ dialect: "postgres", entities: ["models/*.ts"] }));
    for (const args of [["heads"], ["history"], ["show", "a1"], ["branches"]]) {
      const r = await runCli(args, { cwd: tmp.dir });
      expect(r.stderr, args.join(" ")).toBe("");
      expect(r.status, args.join(" ")).toBe(0);
    }
    const offline = await runCli(["upgrade", "head", "--sql"], { cwd: tmp.dir });
    expect(offline.status).toBe(0);
    expect(offline.stdout).toContain("CREATE TABLE t1 (id integer);");
    expect(offline.stdout).toContain(`INSERT INTO "autogen_version"`);
    expect((await runCli(["stamp", "a1", "--sql"], { cwd: tmp.dir })).status).toBe(0);
    for (const args of [["current"], ["upgrade", "head"], ["history", "--indicate-current"], ["status"]]) {
      expectOneLineError(await runCli(args, { cwd: tmp.dir }), "autogen.config.json", 'no database "url"', "AUTOGEN_DATABASE_URL");
    }

    // Offline without a dialect: it cannot know which SQL to write.
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ entities: ["models/*.ts"] }));
    expectOneLineError(await runCli(["upgrade", "head", "--sql"], { cwd: tmp.dir }), "autogen.config.json", '"dialect"');
    expect((await runCli(["heads"], { cwd: tmp.dir })).status).toBe(0);
  });

  it("an SQLite path in a missing directory is one line naming the directory", async () => {
    const missing = tmp.file("no/such/dir/db.sqlite");
    expectOneLineError(await runCli(["current", "--url", `sqlite:${missing}`], { cwd: tmp.dir }), tmp.file("no/such/dir"));
    expect(existsSync(tmp.file("no"))).toBe(false);
  });

  it("an SQLite file that is not a database is one line naming it", async () => {
    writeFileSync(tmp.file("junk.sqlite"), "this is not a database file, it is a note to self".repeat(4));
    expectOneLineError(await runCli(["upgrade", "head", "--url", "sqlite:junk.sqlite"], { cwd: tmp.dir }), tmp.file("junk.sqlite"));
  });
});

describe.skipIf(!PG)("PostgreSQL connection mistakes", () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = createTempDir("autogen-errors-pg-");
  });
  afterEach(() => tmp.remove());

  it.each([
    ["an unreachable server", "postgres://postgres@127.0.0.1:1/x", ["127.0.0.1:1", "ECONNREFUSED"]],
    ["an unknown host", "postgres://postgres@no-such-host.invalid:5432/x", ["no-such-host.invalid"]],
    ["a database that does not exist", pgUrl("autogen_no_such_db"), ['"autogen_no_such_db" does not exist']],
    ["a role that does not exist", pgUrl("postgres", "autogen_no_such_role"), ['"autogen_no_such_role" does not exist']],
  ])("%s", async (_name, url, fragments) => {
    for (const command of [["current"], ["upgrade", "head"], ["check"]]) {
      // check's documented exit code for "cannot connect" is 4 (README "Exit codes").
      const code = command[0] === "check" ? 4 : 1;
      expectOneLineErrorWithCode(code, await runCli([...command, "--url", url as string], { cwd: tmp.dir }), ...(fragments as string[]));
    }
  });

  it("a password in the URL is never printed", async () => {
    const r = await runCli(["current", "--url", "postgres://someone:s3cret-pw@127.0.0.1:1/x"], { cwd: tmp.dir });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain("s3cret-pw");
    expect(r.stderr).toContain("someone");
  });
});
