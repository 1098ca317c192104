/**
 * Mistakes on the models' side of `revision --autogenerate` and `check`: an entities
 * glob matching nothing, an entity file that throws while loading, a dataSource file
 * without a DataSource, and a database behind head. Each is one line naming the glob
 * or file, exit code 1, and no revision file is written.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { fixtureEntities, REPO_ROOT } from "./helpers/project.js";

const BIN = path.join(REPO_ROOT, "dist/cli/main.js");

function autogen(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    input: "",
    env: { ...process.env, AUTOGEN_DATABASE_URL: "" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("models that cannot be read, and a database behind head", () => {
  let tmp: TempDir;
  const cli = (...args: string[]) => autogen(tmp.dir, ...args);
  const configure = (fields: Record<string, unknown>) =>
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: sqliteUrl(tmp), ...fields }));
  const versionFiles = () => readdirSync(tmp.file("versions"));

  function expectRefusal(fragments: string[]): void {
    for (const args of [["revision", "--autogenerate", "-m", "models"], ["check"]]) {
      const r = cli(...args);
      // check's documented exit code for a configuration error is 2 (README "Exit codes").
      expect(r.code, args.join(" ")).toBe(args[0] === "check" ? 2 : 1);
      const lines = r.stderr.trim().split("\n");
      expect(lines, args.join(" ")).toHaveLength(1);
      expect(lines[0]).toMatch(/^autogen: error: /);
      for (const f of fragments) expect(lines[0]).toContain(f);
    }
    expect(versionFiles()).toEqual([]);
  }

  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
  });
  beforeEach(() => {
    tmp = createTempDir("autogen-errors-models-");
    mkdirSync(tmp.file("versions"));
    mkdirSync(tmp.file("models"));
  });
  afterEach(() => tmp.remove());

  it("an entities glob that matches nothing names the glob", () => {
    configure({ entities: ["models/**/*.entity.ts"] });
    writeFileSync(tmp.file("models/user.ts"), "export class User {}\n");
    expectRefusal(['"models/**/*.entity.ts"', "no entity files match"]);
  });

  it("an entity file that throws at import names the file and line", () => {
    configure({ entities: ["models/*.ts"] });
    writeFileSync(
      tmp.file("models/broken.ts"),
      `import { Entity, PrimaryGeneratedColumn } from "typeorm";\nconst port = Number(process.env.NOPE ?? (() => { throw new Error("NOPE is not set"); })());\n@Entity() export class Broken { @PrimaryGeneratedColumn() id!: number; }\n`,
    );
    expectRefusal([`${tmp.file("models/broken.ts")}:2`, "NOPE is not set"]);
  });

  it("an entity file with a syntax error names the file, line and column", () => {
    configure({ entities: ["models/*.ts"] });
    writeFileSync(tmp.file("models/typo.ts"), `import { Entity } from "typeorm";\n@Entity() export class Typo { id!: number;\n`);
    expectRefusal([`${tmp.file("models/typo.ts")}:`, "syntax error"]);
  });

  it("a dataSource file that exports no DataSource names the file", () => {
    configure({ dataSource: path.join(REPO_ROOT, "fixtures/entities/no-datasource/data-source.ts") });
    expectRefusal(["no-datasource/data-source.ts", "no TypeORM DataSource"]);
  });

  it("a dataSource path that does not exist names the file", () => {
    configure({ dataSource: "src/data-source.ts" });
    expectRefusal([tmp.file("src/data-source.ts")]);
  });

  it("a config with neither entities nor dataSource says which fields to set", () => {
    configure({});
    expectRefusal(["autogen.config.json", '"entities"', '"dataSource"']);
  });

  it("revision --autogenerate on a database behind head: 'database is not up to date', no file written", () => {
    configure({ entities: [fixtureEntities("length-100")] });
    const first = cli("revision", "--autogenerate", "-m", "articles");
    expect(first.code).toBe(0);
    const written = versionFiles();
    expect(written).toHaveLength(1);
    const id = written[0]!.split("_")[0]!;

    configure({ entities: [fixtureEntities("length-150")] });
    const behind = cli("revision", "--autogenerate", "-m", "longer titles");
    expect(behind.code).toBe(1);
    const lines = behind.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`database is not up to date (current: <base>; head: ${id})`);
    expect(lines[0]).toContain("autogen upgrade head");
    expect(versionFiles()).toEqual(written);

    // The advice works.
    expect(cli("upgrade", "head").code).toBe(0);
    const next = cli("revision", "--autogenerate", "-m", "longer titles");
    expect(next.code).toBe(0);
    expect(versionFiles()).toHaveLength(2);
  });
});
