/**
 * Mistakes on the models' side of `revision --autogenerate` and `check`: an entities
 * glob matching nothing, an entity file that throws while loading, a dataSource file
 * without a DataSource, and a database behind head. Each is one line naming the glob
 * or file, exit code 1, and no revision file is written.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { fixtureEntities, REPO_ROOT } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

describe("models that cannot be read, and a database behind head", () => {
  let tmp: TempDir;
  const configure = (fields: Record<string, unknown>) =>
    writeFileSync(tmp.file("autogen.config.json"), JSON.stringify({ url: sqliteUrl(tmp), ...fields }));
  const versionFiles = () => readdirSync(tmp.file("versions"));

  async function expectRefusal(fragments: string[]): Promise<void> {
    for (const args of [["revision", "--autogenerate", "-m", "models"], ["check"]]) {
      const r = await runCli([...args], { cwd: tmp.dir });
      // check's documented exit code for a configuration error is 2 (README "Exit codes").
      expect(r.status, args.join(" ")).toBe(args[0] === "check" ? 2 : 1);
      const lines = r.stderr.trim().split("\n");
      expect(lines, args.join(" ")).toHaveLength(1);
      expect(lines[0]).toMatch(/^autogen: error: /);
      for (const f of fragments) expect(lines[0]).toContain(f);
    }
    expect(versionFiles()).toEqual([]);
  }

  beforeEach(() => {
    tmp = createTempDir("autogen-errors-models-");
    mkdirSync(tmp.file("versions"));
    mkdirSync(tmp.file("models"));
  });
  afterEach(() => tmp.remove());

  it("an entities glob that matches nothing names the glob", async () => {
    configure({ entities: ["models/**/*.entity.ts"] });
    writeFileSync(tmp.file("models/user.ts"), "export class User {}\n");
    await expectRefusal(['"models/**/*.entity.ts"', "no entity files match"]);
  });

  it("an entity file that throws at import names the file and line", async () => {
    configure({ entities: ["models/*.ts"] });
    writeFileSync(
      tmp.file("models/broken.ts"),
      `import { Entity, PrimaryGeneratedColumn } from "typeorm";\nconst port = Number(process.env.NOPE ?? (() => { throw new Error("NOPE is not set"); })());\n@Entity() export class Broken { @PrimaryGeneratedColumn() id!: number; }\n`,
    );
    await expectRefusal([`${tmp.file("models/broken.ts")}:2`, "NOPE is not set"]);
  });

  it("an entity file with a syntax error names the file, line and column", async () => {
    configure({ entities: ["models/*.ts"] });
    writeFileSync(tmp.file("models/typo.ts"), `import { Entity } from "typeorm";\n@Entity() export class Typo { id!: number;\n`);
    await expectRefusal([`${tmp.file("models/typo.ts")}:`, "syntax error"]);
  });

  it("a dataSource file that exports no DataSource names the file", async () => {
    configure({ dataSource: path.join(REPO_ROOT, "fixtures/entities/no-datasource/data-source.ts") });
    await expectRefusal(["no-datasource/data-source.ts", "no TypeORM DataSource"]);
  });

  it("a dataSource path that does not exist names the file", async () => {
    configure({ dataSource: "src/data-source.ts" });
    await expectRefusal([tmp.file("src/data-source.ts")]);
  });

  it("a config with neither entities nor dataSource says which fields to set", async () => {
    configure({});
    await expectRefusal(["autogen.config.json", '"entities"', '"dataSource"']);
  });

  it("revision --autogenerate on a database behind head: 'database is not up to date', no file written", async () => {
    configure({ entities: [fixtureEntities("length-100")] });
    const first = await runCli(["revision", "--autogenerate", "-m", "articles"], { cwd: tmp.dir });
    expect(first.status).toBe(0);
    const written = versionFiles();
    expect(written).toHaveLength(1);
    const id = written[0]!.split("_")[0]!;

    configure({ entities: [fixtureEntities("length-150")] });
    const behind = await runCli(["revision", "--autogenerate", "-m", "longer titles"], { cwd: tmp.dir });
    expect(behind.status).toBe(1);
    const lines = behind.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`database is not up to date (current: <base>; head: ${id})`);
    expect(lines[0]).toContain("autogen upgrade head");
    expect(versionFiles()).toEqual(written);

    // The advice works.
    expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
    const next = await runCli(["revision", "--autogenerate", "-m", "longer titles"], { cwd: tmp.dir });
    expect(next.status).toBe(0);
    expect(versionFiles()).toHaveLength(2);
  });
});
