/**
 * `autogen init --ci github` writes a workflow whose steps run real autogen commands with
 * real flags: the YAML is parsed (package `yaml`), every `npx autogen …` line is checked
 * against the command's own `--help`. The README shows the same workflow and a GitLab
 * equivalent, checked the same way.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { githubWorkflow } from "../src/api/ci-workflow.js";
import { createTempDir, type TempDir } from "./helpers/databases.js";
import { REPO_ROOT } from "./helpers/project.js";

// Each test runs several CLI processes in turn: on a busy machine that takes minutes, not seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const BIN = path.join(REPO_ROOT, "dist/cli/main.js");

function autogen(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", input: "", env: { ...process.env, AUTOGEN_DATABASE_URL: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const helpCache = new Map<string, string>();
function helpOf(command: string): string {
  let help = helpCache.get(command);
  if (help === undefined) {
    const r = autogen(REPO_ROOT, command, "--help");
    expect(r.code, `autogen ${command} --help`).toBe(0);
    help = r.stdout;
    helpCache.set(command, help);
  }
  return help;
}

/** Every `npx autogen …` invocation in a shell script line, with its flags checked against --help. */
function expectRealInvocations(script: string): string[] {
  const found: string[] = [];
  for (const match of script.matchAll(/npx autogen ([^\n>|&;]+)/g)) {
    const words = match[1]!.trim().split(/\s+/);
    const [command, ...rest] = words;
    found.push(words.join(" "));
    const help = helpOf(command!);
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

  it("writes .github/workflows/autogen.yml: a PostgreSQL service, npm ci, autogen test, autogen check --format github", () => {
    const r = autogen(tmp.dir, "init", "--ci", "github");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(existsSync(tmp.file("autogen.config.json"))).toBe(true);
    const file = tmp.file(".github/workflows/autogen.yml");
    const text = readFileSync(file, "utf8");
    expect(text).toBe(githubWorkflow());
    const workflow = parse(text) as {
      on: Record<string, unknown>;
      jobs: Record<string, { services: Record<string, { image: string; ports: string[] }>; env: Record<string, string>; steps: Array<{ run?: string; uses?: string }> }>;
    };
    expect(Object.keys(workflow.on)).toContain("pull_request");
    const job = workflow.jobs.migrations!;
    expect(job.services.postgres!.image).toMatch(/^postgres:\d+/);
    expect(job.services.postgres!.ports).toContain("5432:5432");
    expect(job.env.AUTOGEN_DATABASE_URL).toMatch(/^postgres:\/\/postgres:postgres@localhost:5432\/\w+$/);
    const runs = job.steps.map((s) => s.run).filter((s): s is string => s !== undefined);
    expect(runs).toContain("npm ci");
    const invocations = expectRealInvocations(runs.join("\n"));
    expect(invocations).toEqual(["test --format github", "upgrade head", "check --format github", "check --format markdown"]);
    // `npm ci` comes before autogen runs; the test before the check.
    expect(runs.indexOf("npm ci")).toBeLessThan(runs.findIndex((s) => s.includes("autogen test")));
    expect(job.steps[0]!.uses).toMatch(/^actions\/checkout@/);
  });

  it("in a project that is set up already, writes only the workflow, and never overwrites one", () => {
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: "sqlite:./db.sqlite", entities: ["src/*.ts"] }));
    const r = autogen(tmp.dir, "init", "--ci", "github");
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(tmp.file("autogen.config.json"), "utf8"))).toEqual({ url: "sqlite:./db.sqlite", entities: ["src/*.ts"] });
    expect(existsSync(tmp.file("versions"))).toBe(false);
    const again = autogen(tmp.dir, "init", "--ci", "github");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("autogen.yml already exists");
    expect(autogen(tmp.dir, "init", "--ci", "jenkins").code).toBe(2);
  });

  it("the README shows this workflow and a GitLab job running the same commands", () => {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    expect(readme).toContain(githubWorkflow());
    const gitlab = /<!-- gitlab-ci -->\n```yaml\n([\s\S]*?)```/.exec(readme);
    expect(gitlab, "README has a ```yaml block after <!-- gitlab-ci -->").not.toBeNull();
    const config = parse(gitlab![1]!) as Record<string, { services?: Array<{ name: string } | string>; script?: string[]; variables?: Record<string, string> }>;
    const job = Object.values(config).find((j) => Array.isArray(j?.script));
    expect(job).toBeDefined();
    expect(JSON.stringify(job!.services)).toContain("postgres");
    expect(job!.script).toContain("npm ci");
    const invocations = expectRealInvocations(job!.script!.join("\n"));
    expect(invocations).toContain("test");
    expect(invocations.some((i) => i.startsWith("check"))).toBe(true);
  });
});
