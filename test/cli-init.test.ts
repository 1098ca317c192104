/**
 * `autogen init` as a new user runs it: in an empty directory it scaffolds the config,
 * the versions directory and the editable template, and the commands that follow work
 * with that config once "entities" points at the models; a second `init` refuses.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { init } from "../src/api/index.js";
import { loadConfig } from "../src/config/config.js";
import { createTempDir, PG_ADMIN_URL, type TempDir } from "./helpers/databases.js";
import { fixtureEntities } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

describe("autogen init", () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = createTempDir("autogen-cli-init-");
  });
  afterEach(() => tmp.remove());

  it("scaffolds config, versions and template; the next commands work; a second init refuses", async () => {
    const first = await runCli(["init"], { cwd: tmp.dir });
    expect(first.status).toBe(0);
    expect(first.stderr).toBe("");
    expect(readdirSync(tmp.dir).sort()).toEqual(["autogen.config.json", "versions"]);
    expect(readdirSync(tmp.file("versions"))).toEqual(["script.ts.tmpl"]);
    const written = JSON.parse(readFileSync(tmp.file("autogen.config.json"), "utf8")) as Record<string, unknown>;
    expect(written).toMatchObject({ dialect: "sqlite", url: "sqlite:./autogen.sqlite", versionsDir: "versions" });

    // Before "entities" is edited: a one-line error naming the glob, and no file written.
    const unedited = await runCli(["revision", "--autogenerate", "-m", "initial"], { cwd: tmp.dir });
    expect(unedited.status).toBe(1);
    expect(unedited.stderr.trim().split("\n")).toHaveLength(1);
    expect(unedited.stderr).toContain('"src/entities/**/*.ts"');
    expect(readdirSync(tmp.file("versions"))).toEqual(["script.ts.tmpl"]);

    // The user points "entities" at the models and marks the template.
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ ...written, entities: [fixtureEntities("length-100")] }, null, 2));
    const template = tmp.file("versions/script.ts.tmpl");
    writeFileSync(template, readFileSync(template, "utf8").replace("${header}", "${header}\n// reviewed-by: nobody yet"));

    const rev = await runCli(["revision", "--autogenerate", "-m", "initial"], { cwd: tmp.dir });
    expect(rev.stderr).toBe("");
    expect(rev.status).toBe(0);
    const revisions = readdirSync(tmp.file("versions")).filter((f) => f.endsWith(".ts"));
    expect(revisions).toHaveLength(1);
    const text = readFileSync(tmp.file(`versions/${revisions[0]}`), "utf8");
    expect(text).toContain("// reviewed-by: nobody yet");
    expect(text).toContain('op.createTable("articles"');

    expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
    expect(existsSync(tmp.file("autogen.sqlite"))).toBe(true);
    expect((await runCli(["check"], { cwd: tmp.dir })).status).toBe(0);
    expect((await runCli(["current"], { cwd: tmp.dir })).stdout).toContain("(head)");

    const before = readFileSync(tmp.file("autogen.config.json"), "utf8");
    const again = await runCli(["init"], { cwd: tmp.dir });
    expect(again.status).toBe(1);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
    expect(again.stderr).toContain("already exists");
    expect(readFileSync(tmp.file("autogen.config.json"), "utf8")).toBe(before);
  });

  it("init <dir> creates the directory; --entities and --url are written, with the dialect of the URL", async () => {
    const url = PG_ADMIN_URL;
    const r = await runCli(["init", "app", "--url", url, "--entities", "src/models/*.ts"], { cwd: tmp.dir });
    expect(r.status).toBe(0);
    const written = JSON.parse(readFileSync(tmp.file("app/autogen.config.json"), "utf8")) as Record<string, unknown>;
    expect(written).toMatchObject({ dialect: "postgres", url, entities: ["src/models/*.ts"] });
    // The written config loads: its dialect and URL agree.
    expect(loadConfig({ cwd: tmp.file("app") }).dialect).toBe("postgres");
    const heads = await runCli(["heads"], { cwd: tmp.file("app") });
    expect(heads.stderr).toBe("");
    expect(heads.status).toBe(0);
  });

  it("the API's init takes cwd like every other API function", () => {
    const result = init({ cwd: tmp.dir, dir: "proj", entities: ["models/*.ts"] });
    expect(result.config).toBe(tmp.file("proj/autogen.config.json"));
    expect(loadConfig({ cwd: tmp.file("proj") }).entities).toEqual(["models/*.ts"]);
  });

  it("refuses an unsupported URL and a directory that is a file, in one line, creating nothing", async () => {
    const bad = await runCli(["init", "--url", "oracle://root@localhost/app"], { cwd: tmp.dir });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("oracle://");
    expect(readdirSync(tmp.dir)).toEqual([]);

    writeFileSync(tmp.file("notes.txt"), "not a directory");
    const file = await runCli(["init", "notes.txt"], { cwd: tmp.dir });
    expect(file.status).toBe(1);
    const lines = file.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^autogen: error: /);
    expect(lines[0]).toContain(tmp.file("notes.txt"));
    expect(readdirSync(tmp.dir)).toEqual(["notes.txt"]);
  });
});
