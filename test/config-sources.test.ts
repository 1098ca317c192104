/**
 * The config's single source: the JSON Schema shipped in schemas/ (what editors use),
 * the run-time validation (ajv over the same schema, with the one-line messages autogen
 * always gave), `autogen.config.ts` with `defineConfig`, and `.env`.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { configSchema } from "../src/config/schema.js";
import { defineConfig, init } from "../src/index.js";
import { UserError } from "../src/errors.js";
import { createTempDir, type TempDir } from "./helpers/databases.js";
import { MODELS_EXAMPLE_DIR, REPO_ROOT } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

const SCHEMA_FILE = path.join(REPO_ROOT, "schemas/autogen.config.schema.json");
const shipped = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as Record<string, unknown>;

let tmp: TempDir;
beforeEach(() => {
  tmp = createTempDir("autogen-config-sources-");
});
afterEach(() => tmp.remove());

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err.message;
    throw err;
  }
  throw new Error("expected a UserError");
}

describe("the shipped JSON Schema", () => {
  it("is exactly the schema the code validates with and types defineConfig from", () => {
    // On failure, write this to schemas/autogen.config.schema.json.
    expect(shipped, JSON.stringify(configSchema, null, 2)).toEqual(JSON.parse(JSON.stringify(configSchema)));
  });

  it("is in the package (package.json files) and autogen init points $schema at it", async () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain("schemas");
    const r = await runCli(["init"], { cwd: tmp.dir });
    expect(r.status).toBe(0);
    const written = JSON.parse(readFileSync(tmp.file("autogen.config.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(written)[0]).toBe("$schema");
    expect(written.$schema).toBe("./node_modules/autogen/schemas/autogen.config.schema.json");
    // Resolved as an installed project would, the reference lands on the shipped file.
    expect(path.resolve(tmp.dir, "node_modules/autogen", path.relative("./node_modules/autogen", written.$schema as string))).toBe(
      path.join(tmp.dir, "node_modules/autogen/schemas/autogen.config.schema.json"),
    );
    expect(loadConfig({ cwd: tmp.dir, env: {} }).dialect).toBe("sqlite");
  });

  // A validator that knows nothing of autogen, given only the file: what an editor does.
  const editor = new Ajv({ allErrors: true }).compile(shipped);

  it("accepts models-example's configs and what autogen init writes", () => {
    for (const file of [path.join(REPO_ROOT, "autogen.config.json"), path.join(MODELS_EXAMPLE_DIR, "postgres.config.json")]) {
      const config = JSON.parse(readFileSync(file, "utf8")) as unknown;
      expect(editor(config), `${file}: ${JSON.stringify(editor.errors)}`).toBe(true);
    }
  });

  // Each broken config of the error tests (test/config.test.ts, test/cli.test.ts,
  // test/errors-config.test.ts), with the message autogen gave before the schema existed.
  const known =
    "known fields: dialect, url, entities, dataSource, versionsDir, versionLocations, versionTable, schema, excludeTables, template, seedsDir, tsconfig, cache, tenants, lockTimeout, online, onlineLockTimeout, onlineRetries, onlineRetryDelay";
  const broken: Array<[string, string, string]> = [
    ["a top-level array", "[]", ": expected a JSON object at the top level"],
    ["an unknown field", '{\n  "url": "sqlite:x",\n  "entitys": ["a"]\n}', `:3: unknown field "entitys" (${known})`],
    [
      "an unknown dialect",
      '{ "dialect": "oracle", "url": "sqlite:x" }',
      ':1: unknown dialect "oracle" (expected one of: postgres, sqlite, mysql)',
    ],
    ["a string for a list", '{ "url": "sqlite:x", "entities": "src/*.ts" }', ':1: field "entities" must be an array of strings'],
    ["a list for a string", '{\n  "url": ["sqlite:x"]\n}', ':2: field "url" must be a string'],
    [
      "a number in a list",
      '{\n  "url": "sqlite:x",\n  "excludeTables": ["a", 3]\n}',
      ':3: field "excludeTables" must be an array of strings',
    ],
    [
      "a version table that is no identifier",
      '{\n  "url": "sqlite:x",\n  "versionTable": "my-versions"\n}',
      ':3: field "versionTable" must be a plain identifier, got "my-versions"',
    ],
    // Several mistakes: the first in the file is reported, a wrong value after wrong shapes.
    ["two mistakes", '{\n  "dialect": "oracle",\n  "entities": "x",\n  "bogus": 1\n}', ':3: field "entities" must be an array of strings'],
  ];

  it.each(broken)("rejects %s, in the editor and at run time with the same one-line message", (_name, text, suffix) => {
    const file = tmp.file("autogen.config.json");
    writeFileSync(file, text);
    expect(editor(JSON.parse(text))).toBe(false);
    const message = messageOf(() => loadConfig({ config: file, env: {} }));
    expect(message).toBe(`${file}${suffix}`);
  });
});

describe("autogen.config.ts and defineConfig", () => {
  it("defineConfig is the package entry's typed identity", () => {
    const config = defineConfig({ url: "sqlite:./x.sqlite", entities: ["src/*.ts"] });
    expect(config).toEqual({ url: "sqlite:./x.sqlite", entities: ["src/*.ts"] });
    // @ts-expect-error: a field the schema does not know is a type error
    defineConfig({ entitys: [] });
    // @ts-expect-error: so is a dialect it does not list
    defineConfig({ dialect: "oracle" });
  });

  it("is found by the same lookup, resolves paths against its directory, and may read the environment", () => {
    writeFileSync(
      tmp.file("autogen.config.ts"),
      [
        'import { defineConfig } from "autogen";',
        "const name: string = process.env.ECO_DB_NAME ?? 'fallback';",
        "export default defineConfig({ url: `sqlite:./${name}.sqlite`, entities: ['src/*.ts'], versionsDir: 'migrations' });",
      ].join("\n"),
    );
    const config = loadConfig({ cwd: tmp.dir, env: {} });
    expect(config.file).toBe(tmp.file("autogen.config.ts"));
    expect(config.url).toBe(`sqlite:${tmp.file("fallback.sqlite")}`);
    expect(config.versionsDir).toBe(tmp.file("migrations"));
  });

  it.each(["autogen.config.mjs", "autogen.config.js"])("%s works too", (name) => {
    writeFileSync(tmp.file("package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(tmp.file(name), "export default { url: 'sqlite:./m.sqlite', entities: ['e/*.js'] };\n");
    expect(loadConfig({ cwd: tmp.dir, env: {} }).url).toBe(`sqlite:${tmp.file("m.sqlite")}`);
  });

  it("is validated by the same schema, naming the file and the line", () => {
    writeFileSync(tmp.file("autogen.config.ts"), "export default {\n  url: 'sqlite:x',\n  entities: 'src/*.ts',\n};\n");
    expect(messageOf(() => loadConfig({ cwd: tmp.dir, env: {} }))).toBe(
      `${tmp.file("autogen.config.ts")}:3: field "entities" must be an array of strings`,
    );
    writeFileSync(tmp.file("autogen.config.ts"), "export const nothing = 1;\n");
    expect(messageOf(() => loadConfig({ cwd: tmp.dir, env: {} }))).toMatch(/autogen\.config\.ts: export the configuration as default/);
  });

  it("init leaves a project with a typed config alone", () => {
    writeFileSync(tmp.file("autogen.config.ts"), "export default { url: 'sqlite:./x.sqlite' };\n");
    expect(messageOf(() => init({ cwd: tmp.dir }))).toBe(`${tmp.file("autogen.config.ts")} already exists; not overwriting it`);
  });

  it("two config files in one directory is a one-line error", () => {
    writeFileSync(tmp.file("autogen.config.json"), "{}");
    writeFileSync(tmp.file("autogen.config.ts"), "export default {};");
    expect(messageOf(() => loadConfig({ cwd: tmp.dir, env: {} }))).toBe(
      `${tmp.dir} has several config files (autogen.config.json, autogen.config.ts): keep one, or pick one with --config`,
    );
    // --config picks one.
    expect(loadConfig({ cwd: tmp.dir, config: "autogen.config.ts", env: {}, url: "sqlite:./y.sqlite" }).file).toBe(
      tmp.file("autogen.config.ts"),
    );
  });

  it("works for every command (CLI, SQLite, models-example)", async () => {
    cpSync(path.join(MODELS_EXAMPLE_DIR, "entities"), tmp.file("entities"), { recursive: true });
    cpSync(path.join(MODELS_EXAMPLE_DIR, "seeds"), tmp.file("seeds"), { recursive: true });
    cpSync(path.join(MODELS_EXAMPLE_DIR, "tsconfig.json"), tmp.file("tsconfig.json"));
    writeFileSync(
      tmp.file("autogen.config.ts"),
      [
        'import { defineConfig } from "autogen";',
        "export default defineConfig({",
        "  url: process.env.ECO_SQLITE ?? 'sqlite:./wrong.sqlite',",
        "  entities: ['entities/*.ts'],",
        "  versionsDir: 'versions',",
        "  seedsDir: 'seeds',",
        "});",
      ].join("\n"),
    );
    // A variable of the project's .env reaches the typed config.
    writeFileSync(tmp.file(".env"), "ECO_SQLITE=sqlite:./app.sqlite\n");
    const run = async (...args: string[]) => {
      const r = await runCli(args, { cwd: tmp.dir });
      expect(r.stderr, args.join(" ")).toBe("");
      expect(r.status, args.join(" ")).toBe(0);
      return r.stdout;
    };
    expect(await run("revision", "--autogenerate", "-m", "init", "--rev-id", "a00000000001")).toContain("a00000000001_init.ts");
    expect(await run("upgrade", "head")).toContain("Running upgrade <base> -> a00000000001");
    expect(await run("current")).toContain("a00000000001 (head)");
    expect(await run("check")).toContain("No new upgrade operations detected.");
    expect(await run("history")).toContain("<base> -> a00000000001");
    expect(await run("heads")).toContain("a00000000001");
    expect(await run("status")).toMatch(/a00000000001\s+init\s+Applied/);
    await run("revision", "-m", "two", "--rev-id", "b00000000002");
    await run("revision", "-m", "side", "--head", "a00000000001", "--splice", "--rev-id", "c00000000003");
    expect(await run("branches")).toContain("a00000000001");
    await run("merge", "heads", "-m", "join", "--rev-id", "d00000000004");
    expect(await run("show", "d00000000004")).toContain("Merges: ");
    await run("upgrade", "head");
    await run("downgrade", "-1");
    await run("stamp", "head");
    expect(await run("stamp", "head", "--sql")).toContain("INSERT INTO");
    expect(await run("upgrade", "a00000000001:head", "--sql")).toContain("autogen_version");
    expect(await run("seed", "--faker-seed", "1")).not.toBe(undefined);
    await run("fresh", "--force");
    await run("reset");
    await run("refresh");
    expect(await run("current")).toContain("d00000000004 (head)");
    // Everything went to the file the .env named.
    expect(readdirSync(tmp.dir)).not.toContain("wrong.sqlite");
  }, 300_000);
});

describe(".env", () => {
  it("supplies AUTOGEN_DATABASE_URL, below a real variable and --url, and --verbose says so", async () => {
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: "sqlite:./file.sqlite" }));
    writeFileSync(tmp.file(".env"), "# local settings\nAUTOGEN_DATABASE_URL=sqlite:./from-dotenv.sqlite\n");
    const notes: string[] = [];
    const env: NodeJS.ProcessEnv = {};
    const config = loadConfig({ cwd: tmp.dir, env, notice: (l) => notes.push(l) });
    expect(config.url).toBe(`sqlite:${tmp.file("from-dotenv.sqlite")}`);
    expect(notes).toContain(`read ${tmp.file(".env")}: AUTOGEN_DATABASE_URL`);
    expect(notes).toContain(`database URL from AUTOGEN_DATABASE_URL (from ${tmp.file(".env")}): sqlite:./from-dotenv.sqlite`);
    const real = loadConfig({ cwd: tmp.dir, env: { AUTOGEN_DATABASE_URL: "sqlite:./real.sqlite" } });
    expect(real.url).toBe(`sqlite:${tmp.file("real.sqlite")}`);
    expect(loadConfig({ cwd: tmp.dir, env: {}, url: "sqlite:./flag.sqlite" }).url).toBe(`sqlite:${tmp.file("flag.sqlite")}`);

    const cli = await runCli(["current", "--verbose"], { cwd: tmp.dir, env: { AUTOGEN_DATABASE_URL: "" } });
    // An empty variable in the environment counts as unset, and .env does not override it.
    expect(cli.stderr).toContain(`autogen: read ${tmp.file(".env")}: nothing new`);
    const fromDotEnv = await runCli(["current", "--verbose"], { cwd: tmp.dir, env: { AUTOGEN_DATABASE_URL: undefined } });
    expect(fromDotEnv.status).toBe(0);
    expect(fromDotEnv.stderr).toContain(`autogen: database URL from AUTOGEN_DATABASE_URL (from ${tmp.file(".env")})`);
    // Without --verbose, nothing on stderr.
    const quiet = await runCli(["current"], { cwd: tmp.dir, env: { AUTOGEN_DATABASE_URL: undefined } });
    expect(quiet.stderr).toBe("");
  });
});
