/**
 * `autogen init --ci github` writes a workflow whose steps run real autogen commands with
 * real flags: the YAML is parsed (package `yaml`), every `npx autogen …` line is checked
 * against the command's own `--help`. The README shows the same workflow and a GitLab
 * equivalent, checked the same way.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { githubWorkflow, gitlabWorkflow } from "../src/api/ci-workflow.js";
import { createTempDir, type TempDir } from "./helpers/databases.js";
import { REPO_ROOT } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

// Each test runs several CLI processes in turn: on a busy machine that takes minutes, not seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const helpCache = new Map<string, string>();
async function helpOf(command: string): Promise<string> {
  let help = helpCache.get(command);
  if (help === undefined) {
    const r = await runCli([command, "--help"], { cwd: REPO_ROOT });
    expect(r.status, `autogen ${command} --help`).toBe(0);
    help = r.stdout;
    helpCache.set(command, help);
  }
  return help;
}

/** Every `npx autogen …` invocation in a shell script line, with its flags checked against --help. */
async function expectRealInvocations(script: string): Promise<string[]> {
  const found: string[] = [];
  for (const match of script.matchAll(/npx autogen ([^\n>|&;]+)/g)) {
    const words = match[1]!.trim().split(/\s+/);
    const [command, ...rest] = words;
    found.push(words.join(" "));
    const help = await helpOf(command!);
    for (let i = 0; i < rest.length; i++) {
      const word = rest[i]!;
      if (!word.startsWith("--")) continue;
      expect(help, `autogen ${command} has ${word}`).toContain(word);
      const value = rest[i + 1];
      if (word === "--format") {
        expect(["text", "json", "github", "markdown"], `--format ${value}`).toContain(value);
        expect(help).toContain(`"${value}"`);
      }
    }
  }
  return found;
}

describe("init --ci github", () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = createTempDir("autogen-ci-workflow-");
  });
  afterEach(() => tmp.remove());

  it("writes .github/workflows/autogen.yml: a PostgreSQL service, npm ci, autogen test, autogen check --format github", async () => {
    // A project on PostgreSQL: its driver says so.
    writeFileSync(tmp.file("package.json"), JSON.stringify({ dependencies: { pg: "^8", typeorm: "^0.3" } }));
    const r = await runCli(["init", "--ci", "github"], { cwd: tmp.dir });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(tmp.file("autogen.config.json"))).toBe(true);
    const file = tmp.file(".github/workflows/autogen.yml");
    const text = readFileSync(file, "utf8");
    expect(text).toBe(githubWorkflow("postgres"));
    expect(r.stdout).toContain("ci: a postgres:16 service for the PostgreSQL database");
    const workflow = parse(text) as {
      on: Record<string, unknown>;
      jobs: Record<
        string,
        {
          services: Record<string, { image: string; ports: string[] }>;
          env: Record<string, string>;
          steps: Array<{ run?: string; uses?: string }>;
        }
      >;
    };
    expect(Object.keys(workflow.on)).toContain("pull_request");
    const job = workflow.jobs.migrations!;
    expect(job.services.postgres!.image).toMatch(/^postgres:\d+/);
    expect(job.services.postgres!.ports).toContain("5432:5432");
    expect(job.env.AUTOGEN_DATABASE_URL).toMatch(/^postgres:\/\/postgres:postgres@localhost:5432\/\w+$/);
    const runs = job.steps.map((s) => s.run).filter((s): s is string => s !== undefined);
    expect(runs).toContain("npm ci");
    const invocations = await expectRealInvocations(runs.join("\n"));
    expect(invocations).toEqual(["test --format github", "upgrade head", "check --format github", "check --format markdown"]);
    // `npm ci` comes before autogen runs; the test before the check.
    expect(runs.indexOf("npm ci")).toBeLessThan(runs.findIndex((s) => s.includes("autogen test")));
    expect(job.steps[0]!.uses).toMatch(/^actions\/checkout@/);
  });

  it("in a project that is set up already, writes only the workflow, and never overwrites one", async () => {
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: "sqlite:./db.sqlite", entities: ["src/*.ts"] }));
    const r = await runCli(["init", "--ci", "github"], { cwd: tmp.dir });
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(tmp.file("autogen.config.json"), "utf8"))).toEqual({
      url: "sqlite:./db.sqlite",
      entities: ["src/*.ts"],
    });
    expect(existsSync(tmp.file("versions"))).toBe(false);
    const again = await runCli(["init", "--ci", "github"], { cwd: tmp.dir });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("autogen.yml already exists");
    expect((await runCli(["init", "--ci", "jenkins"], { cwd: tmp.dir })).status).toBe(2);
  });

  it("follows the configured database: a MariaDB service for MySQL, none for SQLite; GitLab too", async () => {
    writeFileSync(tmp.file("package.json"), JSON.stringify({ dependencies: { mysql2: "^3" } }));
    expect((await runCli(["init", "--ci", "github"], { cwd: tmp.dir })).status).toBe(0);
    const mysql = parse(readFileSync(tmp.file(".github/workflows/autogen.yml"), "utf8")) as {
      jobs: { migrations: { services: Record<string, { image: string }>; env: Record<string, string> } };
    };
    expect(mysql.jobs.migrations.services.mariadb!.image).toMatch(/^mariadb:/);
    expect(mysql.jobs.migrations.env.AUTOGEN_DATABASE_URL).toMatch(/^mariadb:\/\/root:root@localhost:3306\/app$/);
    // GitLab beside an existing pipeline: a file to include, the pipeline untouched.
    writeFileSync(tmp.file(".gitlab-ci.yml"), "stages: [test]\n");
    const gitlab = await runCli(["init", "--ci", "gitlab"], { cwd: tmp.dir });
    expect(gitlab.status).toBe(0);
    expect(gitlab.stdout).toContain("include: [{ local: .gitlab/ci/autogen.yml }]");
    expect(readFileSync(tmp.file(".gitlab-ci.yml"), "utf8")).toBe("stages: [test]\n");
    const job = parse(readFileSync(tmp.file(".gitlab/ci/autogen.yml"), "utf8")) as {
      autogen: { services: Array<{ name: string; alias: string }>; variables: Record<string, string> };
    };
    expect(job.autogen.services[0]).toEqual({ name: "mariadb:11", alias: "mariadb" });
    expect(job.autogen.variables.AUTOGEN_DATABASE_URL).toBe("mariadb://root:root@mariadb:3306/app");

    const sqlite = createTempDir("autogen-ci-sqlite-");
    try {
      writeFileSync(sqlite.file("package.json"), JSON.stringify({ dependencies: { "better-sqlite3": "^12" } }));
      const r = await runCli(["init", "--ci", "github"], { cwd: sqlite.dir });
      expect(r.stdout).toContain("ci: no database service (SQLite is a file)");
      const workflow = parse(readFileSync(sqlite.file(".github/workflows/autogen.yml"), "utf8")) as {
        jobs: { migrations: Record<string, unknown> };
      };
      expect(workflow.jobs.migrations.services).toBeUndefined();
      expect(workflow.jobs.migrations.env).toBeUndefined();
      expect((await runCli(["init", "--ci", "gitlab"], { cwd: sqlite.dir })).status).toBe(0);
      const job = parse(readFileSync(sqlite.file(".gitlab-ci.yml"), "utf8")) as { autogen: Record<string, unknown> };
      expect(job.autogen.services).toBeUndefined();
      await expectRealInvocations((job.autogen.script as string[]).join("\n"));
    } finally {
      sqlite.remove();
    }
  });

  it("the README shows this workflow and a GitLab job running the same commands", async () => {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    expect(readme).toContain(githubWorkflow("postgres"));
    expect(readme).toContain(gitlabWorkflow("postgres"));
    const gitlab = /<!-- gitlab-ci -->\n+```yaml\n([\s\S]*?)```/.exec(readme);
    expect(gitlab, "README has a ```yaml block after <!-- gitlab-ci -->").not.toBeNull();
    const config = parse(gitlab![1]!) as Record<
      string,
      { services?: Array<{ name: string } | string>; script?: string[]; variables?: Record<string, string> }
    >;
    const job = Object.values(config).find((j) => Array.isArray(j?.script));
    expect(job).toBeDefined();
    expect(JSON.stringify(job!.services)).toContain("postgres");
    expect(job!.script).toContain("npm ci");
    const invocations = await expectRealInvocations(job!.script!.join("\n"));
    expect(invocations).toContain("test");
    expect(invocations.some((i) => i.startsWith("check"))).toBe(true);
  });
});
