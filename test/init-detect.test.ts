/**
 * `autogen init` looks at the project: the database from a URL it finds (DATABASE_URL in
 * the environment or `.env`, the DataSource's options) or the installed drivers; the
 * entities from the DataSource's globs or classes, or the `*.entity.ts` / `entities/`
 * layout. One line per finding, never a password. Commands then read the app's own URL
 * after `--url`, AUTOGEN_DATABASE_URL and the config. And a fresh PostgreSQL project with
 * only DATABASE_URL set goes from init to a passing `autogen test` with uuid keys.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { init } from "../src/api/index.js";
import { loadConfig } from "../src/config/config.js";
import { createPgDatabase, createTempDir, pgAvailable, type TempDir } from "./helpers/databases.js";
import { MODELS_EXAMPLE_DIR } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
const PG = await pgAvailable();

let tmp: TempDir;
beforeEach(() => {
  tmp = createTempDir("autogen-init-detect-");
});
afterEach(() => tmp.remove());

function write(file: string, text: string): void {
  mkdirSync(path.dirname(tmp.file(file)), { recursive: true });
  writeFileSync(tmp.file(file), text);
}
const configOf = () => JSON.parse(readFileSync(tmp.file("autogen.config.json"), "utf8")) as Record<string, unknown>;
function initHere(env: NodeJS.ProcessEnv = {}, extra: { url?: string } = {}): string[] {
  const lines: string[] = [];
  init({ cwd: tmp.dir, env, log: (l) => lines.push(l), ...extra });
  return lines;
}

describe("init detects the project", () => {
  it("a NestJS-style project: pg, DATABASE_URL in .env, a DataSource with entity globs", () => {
    write("package.json", JSON.stringify({ dependencies: { pg: "^8", typeorm: "^0.3" } }));
    write(".env", "# local\nDATABASE_URL=postgres://app:s3cret@localhost:5432/app\n");
    write(
      "src/data-source.ts",
      `import { DataSource } from "typeorm";
export default new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL,
  entities: [__dirname + "/**/*.entity{.ts,.js}"],
  migrations: ["dist/migrations/*.js"],
});
`,
    );
    write("src/users/user.entity.ts", "");
    const lines = initHere();
    expect(lines.join("\n")).not.toContain("s3cret");
    expect(lines).toContain("database: PostgreSQL (DATABASE_URL in .env: postgres://app:***@localhost:5432/app)");
    expect(lines).toContain("entities: src/**/*.entity.ts (the entities globs of src/data-source.ts)");
    const config = configOf();
    expect(config).toMatchObject({ dialect: "postgres", entities: ["src/**/*.entity.ts"] });
    // The URL (and its password) stays where the app keeps it.
    expect(config.url).toBeUndefined();
    expect(process.env.DATABASE_URL).toBeUndefined();
  });

  it("entity globs beside a naming strategy: the config names the DataSource file, or the names would be lost", () => {
    // As NarHakobyan/awesome-nest-boilerplate's ormconfig.ts: globs and a SnakeNamingStrategy.
    write("package.json", JSON.stringify({ dependencies: { pg: "^8", typeorm: "^0.3" } }));
    write(
      "ormconfig.ts",
      `import { DataSource } from "typeorm";
import { SnakeNamingStrategy } from "./src/snake-naming.strategy";
export const dataSource = new DataSource({
  type: "postgres",
  namingStrategy: new SnakeNamingStrategy(),
  entities: ["src/modules/**/*.entity{.ts,.js}"],
});
`,
    );
    const lines = initHere({ DATABASE_URL: "postgres://u@h/d" });
    expect(lines).toContain(
      'entities: the entities of ormconfig.ts, named by its namingStrategy ("dataSource" in the config; autogen loads the file, it never connects through it)',
    );
    expect(configOf()).toMatchObject({ dialect: "postgres", dataSource: "ormconfig.ts" });
    expect(configOf().entities).toBeUndefined();
  });

  it("entities listed as classes: the config names the DataSource file", () => {
    write("package.json", JSON.stringify({ dependencies: { "better-sqlite3": "^12" } }));
    write(
      "data-source.ts",
      `import { DataSource } from "typeorm";
import { User } from "./src/user.js";
export const AppDataSource = new DataSource({ type: "better-sqlite3", database: "app.sqlite", entities: [User] });
`,
    );
    const lines = initHere();
    expect(lines).toContain("database: SQLite (the options in data-source.ts: sqlite:app.sqlite)");
    expect(configOf()).toMatchObject({ dialect: "sqlite", dataSource: "data-source.ts" });
    expect(configOf().entities).toBeUndefined();
  });

  it("no DataSource: the *.entity.ts layout, else entities/ directories; the driver names the database", () => {
    write("package.json", JSON.stringify({ dependencies: { mysql2: "^3" } }));
    write("src/modules/a/a.entity.ts", "");
    write("src/modules/b/b.entity.ts", "");
    const lines = initHere();
    expect(lines[0]).toMatch(/^database: .*\(driver "mysql2" in package\.json\)$/);
    expect(lines).toContain('url: none found; set DATABASE_URL (environment or .env), AUTOGEN_DATABASE_URL, or "url" in the config');
    expect(lines).toContain("entities: src/modules/**/*.entity.ts (2 file(s) named *.entity.ts under src/modules/)");
    expect(configOf()).toMatchObject({ dialect: "mysql", entities: ["src/modules/**/*.entity.ts"] });

    tmp.remove();
    tmp = createTempDir("autogen-init-detect-");
    write("app/entities/User.ts", "");
    write("app/entities/nested/Post.ts", "");
    const plain = initHere();
    expect(plain).toContain("entities: app/entities/**/*.ts (2 file(s) in app/entities/)");
    // Nothing says which database: the SQLite file, as before.
    expect(configOf()).toMatchObject({ dialect: "sqlite", url: "sqlite:./autogen.sqlite" });
  });

  it("--url is written as given and wins over what the project shows", () => {
    write(".env", "DATABASE_URL=postgres://app@localhost/app\n");
    initHere({}, { url: "sqlite:./db.sqlite" });
    expect(configOf()).toMatchObject({ dialect: "sqlite", url: "sqlite:./db.sqlite" });
  });
});

describe("the database URL's sources, in order", () => {
  it("--url, AUTOGEN_DATABASE_URL, the config, DATABASE_URL (environment, then .env), the DataSource's options", () => {
    write("autogen.config.json", JSON.stringify({ dialect: "postgres", entities: ["src/*.ts"] }));
    write("src/data-source.ts", `new DataSource({ type: "postgres", host: "db", username: "u", password: "pw", database: "shop" })`);
    const notes: string[] = [];
    const at = (env: NodeJS.ProcessEnv, url?: string) =>
      loadConfig({ cwd: tmp.dir, env, notice: (l) => notes.push(l), ...(url ? { url } : {}) }, "connection").url;
    expect(at({})).toBe("postgres://u:pw@db/shop");
    expect(notes.at(-1)).toBe("database URL from the connection options in src/data-source.ts: postgres://u:***@db/shop");
    write(".env", "DATABASE_URL=postgres://dotenv@h/d\n");
    expect(at({})).toBe("postgres://dotenv@h/d");
    expect(notes.at(-1)).toBe(`database URL from DATABASE_URL (from ${tmp.file(".env")}): postgres://dotenv@h/d`);
    expect(at({ DATABASE_URL: "postgres://env@h/d" })).toBe("postgres://env@h/d");
    expect(notes.at(-1)).toBe("database URL from DATABASE_URL: postgres://env@h/d");
    write("autogen.config.json", JSON.stringify({ url: "postgres://config@h/d", entities: ["src/*.ts"] }));
    expect(at({ DATABASE_URL: "postgres://env@h/d" })).toBe("postgres://config@h/d");
    expect(at({ DATABASE_URL: "postgres://env@h/d", AUTOGEN_DATABASE_URL: "postgres://auto@h/d" })).toBe("postgres://auto@h/d");
    expect(at({ AUTOGEN_DATABASE_URL: "postgres://auto@h/d" }, "postgres://flag@h/d")).toBe("postgres://flag@h/d");
  });

  it("passes over an app URL of another database than the config's, saying so with --verbose and in the error", () => {
    write("autogen.config.json", JSON.stringify({ dialect: "sqlite", url: undefined, entities: ["src/*.ts"] }));
    const notes: string[] = [];
    expect(() => loadConfig({ cwd: tmp.dir, env: { DATABASE_URL: "postgres://u:pw@h/d" }, notice: (l) => notes.push(l) })).toThrow(
      /no database "url" \(.*\); DATABASE_URL \(postgres:\/\/u:\*\*\*@h\/d\) passed over: a postgres URL, the config says "sqlite"$/,
    );
    expect(notes).toContain('DATABASE_URL (postgres://u:***@h/d) passed over: a postgres URL, the config says "sqlite"');
  });
});

describe.skipIf(!PG)("a fresh PostgreSQL project with only DATABASE_URL set", () => {
  it("init, then revision --autogenerate, upgrade, check and autogen test, with uuid keys", async () => {
    const db = await createPgDatabase("autogen_init_detect");
    try {
      cpSync(path.join(MODELS_EXAMPLE_DIR, "tsconfig.json"), tmp.file("tsconfig.json"));
      write("package.json", JSON.stringify({ name: "app", dependencies: { pg: "^8", typeorm: "^0.3" } }));
      write(
        "src/accounts/account.entity.ts",
        `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "accounts" })
export class Account {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column({ type: "varchar", length: 80 })
  name!: string;
}
`,
      );
      const env = { DATABASE_URL: db.url };
      const run = (...args: string[]) => runCli(args, { cwd: tmp.dir, env });
      const i = await run("init");
      expect(i.status).toBe(0);
      expect(i.stdout).toContain("database: PostgreSQL (DATABASE_URL: ");
      expect(i.stdout).toContain("entities: src/accounts/**/*.entity.ts");
      const rev = await run("revision", "--autogenerate", "-m", "initial");
      expect(rev.stderr).toBe("");
      expect(rev.status).toBe(0);
      expect((await run("upgrade", "head")).status).toBe(0);
      const check = await run("check");
      expect(check.status).toBe(0);
      const t = await run("test");
      expect(t.stdout).not.toContain("FAIL");
      expect(t.status).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
