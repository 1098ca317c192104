import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, redactUrl, resolveUrl } from "../src/config/config.js";
import { UserError } from "../src/errors.js";
import { createTempDir, type TempDir } from "./helpers/databases.js";

let dir: TempDir;
afterEach(() => dir?.remove());

function withConfig(text: string): string {
  dir = createTempDir("autogen-config-");
  const file = dir.file("autogen.config.json");
  writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error("expected a UserError");
}

describe("loadConfig", () => {
  it("resolves relative paths against the config file's directory", () => {
    const file = withConfig(
      JSON.stringify({ dialect: "sqlite", url: "sqlite:./db.sqlite", entities: ["src/*.ts"], versionsDir: "migrations" }),
    );
    const config = loadConfig({ config: file, env: {} });
    expect(config.dialect).toBe("sqlite");
    expect(config.url).toBe(`sqlite:${path.join(dir.dir, "db.sqlite")}`);
    expect(config.versionsDir).toBe(path.join(dir.dir, "migrations"));
    expect(config.versionTable).toBe("autogen_version");
    expect(config.entities).toEqual(["src/*.ts"]);
    expect(config.baseDir).toBe(dir.dir);
  });

  it("lets --url beat AUTOGEN_DATABASE_URL beat the file, and the dialect follows the URL", () => {
    const file = withConfig(JSON.stringify({ dialect: "sqlite", url: "sqlite:./db.sqlite" }));
    const fromEnv = loadConfig({ config: file, env: { AUTOGEN_DATABASE_URL: "postgres://u@h/db1" } });
    expect(fromEnv.url).toBe("postgres://u@h/db1");
    expect(fromEnv.dialect).toBe("postgres");
    const fromFlag = loadConfig({ config: file, url: "postgresql://u@h/db2", env: { AUTOGEN_DATABASE_URL: "postgres://u@h/db1" } });
    expect(fromFlag.url).toBe("postgresql://u@h/db2");
  });

  it("names the file for a missing explicit config", () => {
    dir = createTempDir("autogen-config-");
    const err = errorOf(() => loadConfig({ config: dir.file("nope.json"), env: {} }));
    expect(err.message).toContain("nope.json");
  });

  it("names the file and line for malformed JSON", () => {
    const file = withConfig('{\n  "url": "sqlite:x",\n  oops\n}');
    const err = errorOf(() => loadConfig({ config: file, env: {} }));
    expect(err.message).toMatch(/autogen\.config\.json:3: malformed JSON/);
    expect(err.message.split("\n")).toHaveLength(1);
  });

  it("names an unknown field with its line", () => {
    const file = withConfig('{\n  "url": "sqlite:x",\n  "entitys": ["a"]\n}');
    const err = errorOf(() => loadConfig({ config: file, env: {} }));
    expect(err.message).toMatch(/autogen\.config\.json:3: unknown field "entitys"/);
  });

  it("rejects an unknown dialect and a dialect that contradicts the URL", () => {
    const bad = withConfig('{ "dialect": "oracle", "url": "sqlite:x" }');
    expect(errorOf(() => loadConfig({ config: bad, env: {} })).message).toMatch(/unknown dialect "oracle"/);
    dir.remove();
    const clash = withConfig('{ "dialect": "postgres", "url": "sqlite:x" }');
    expect(errorOf(() => loadConfig({ config: clash, env: {} })).message).toMatch(/"dialect" is "postgres" but "url" is a sqlite URL/);
  });

  it("rejects wrong field types, unsupported URLs, and entities with dataSource", () => {
    const wrongType = withConfig('{ "url": "sqlite:x", "entities": "src/*.ts" }');
    expect(errorOf(() => loadConfig({ config: wrongType, env: {} })).message).toMatch(/"entities" must be an array of strings/);
    dir.remove();
    const oracle = withConfig('{ "url": "oracle://root@localhost/db" }');
    expect(errorOf(() => loadConfig({ config: oracle, env: {} })).message).toMatch(/unsupported database URL/);
    dir.remove();
    const both = withConfig('{ "url": "sqlite:x", "entities": ["a"], "dataSource": "ds.ts" }');
    expect(errorOf(() => loadConfig({ config: both, env: {} })).message).toMatch(/either "entities" or "dataSource"/);
  });

  it("asks for a URL when there is none", () => {
    const file = withConfig('{ "entities": ["a"] }');
    expect(errorOf(() => loadConfig({ config: file, env: {} })).message).toMatch(/no database "url"/);
  });
});

describe("URL helpers", () => {
  it("resolves sqlite paths and keeps :memory:", () => {
    expect(resolveUrl("sqlite:./a.db", "/p")).toBe("sqlite:/p/a.db");
    expect(resolveUrl("sqlite:///abs/a.db", "/p")).toBe("sqlite:/abs/a.db");
    expect(resolveUrl("sqlite::memory:", "/p")).toBe("sqlite::memory:");
    expect(resolveUrl("postgres://h/db", "/p")).toBe("postgres://h/db");
  });
  it("redacts passwords", () => {
    expect(redactUrl("postgres://me:secret@host/db")).toBe("postgres://me:***@host/db");
  });
});
