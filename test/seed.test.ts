/**
 * `seed` (Laravel's db:seed) on real databases: the example's DatabaseSeeder does the
 * chapter's Exercise 3 (100 users + an admin, 500 posts, 1000 comments), in one
 * transaction, on every database; `--faker-seed` reproduces the data exactly;
 * a failing seeder leaves nothing behind; an out-of-date schema is refused; `--class`,
 * `fresh --seed`, `refresh --seed`; and the CLI.
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downgrade, fresh, refresh, revision, seed, upgrade } from "../src/api/index.js";
import type { ConfigFile } from "../src/config/config.js";
import type { DbConnection } from "../src/dialects/dialect.js";
import { getDialect } from "../src/dialects/index.js";
import { UserError } from "../src/errors.js";
import type { DialectName } from "../src/schema/ir.js";
import { createTempDir, DATABASE_KINDS, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { createProject, MODELS_EXAMPLE, MODELS_EXAMPLE_DIR, REPO_ROOT, type TestProject } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

const EXAMPLE_SEEDS = path.join(MODELS_EXAMPLE_DIR, "seeds");
const ENTITY = (name: string) => JSON.stringify(path.join(MODELS_EXAMPLE_DIR, "entities", `${name}.ts`));

/**
 * A connection whose queries are written once, with "double-quoted" identifiers: they
 * are requoted in the database's own way (MySQL's are `backticks`). The test's queries
 * quote nothing else with double quotes.
 */
async function withDb<T>(dialect: DialectName, url: string, fn: (conn: DbConnection) => Promise<T>): Promise<T> {
  const sqlDialect = getDialect(dialect);
  const conn = await sqlDialect.connect(url);
  const requoted = Object.create(conn) as DbConnection;
  requoted.query = ((sql: string, ...rest: unknown[]) =>
    (conn.query as (...args: unknown[]) => unknown).call(
      conn,
      sql.replace(/"(\w+)"/g, (_m, name: string) => sqlDialect.quoteIdent(name)),
      ...rest,
    )) as DbConnection["query"];
  try {
    return await fn(requoted);
  } finally {
    await conn.close();
  }
}

async function count(conn: DbConnection, sql: string): Promise<number> {
  const rows = await conn.query(sql);
  return Number((rows[0] as { n: unknown }).n);
}

const TABLES = ["users", "posts", "comments", "categories", "tags", "post_tags"] as const;
type Counts = Record<(typeof TABLES)[number], number>;

async function counts(dialect: DialectName, url: string): Promise<Counts> {
  return withDb(dialect, url, async (conn) => {
    const result = {} as Counts;
    for (const t of TABLES) result[t] = await count(conn, `SELECT count(*) AS n FROM "${t}"`);
    return result;
  });
}

/** Every column faker fills (not the DB's own timestamps), in id order. */
async function snapshot(dialect: DialectName, url: string): Promise<unknown> {
  return withDb(dialect, url, async (conn) => ({
    users: await conn.query(`SELECT id, email, "displayName", bio FROM users ORDER BY id`),
    categories: await conn.query(`SELECT id, name, description FROM categories ORDER BY id`),
    tags: await conn.query(`SELECT id, name FROM tags ORDER BY id`),
    posts: await conn.query(`SELECT id, title, body, status, metadata, "viewCount", "authorId", "categoryId" FROM posts ORDER BY id`),
    postTags: await conn.query(`SELECT "postsId", "tagsId" FROM post_tags ORDER BY "postsId", "tagsId"`),
    comments: await conn.query(`SELECT id, body, "postId", "authorId" FROM comments ORDER BY id`),
  }));
}

/** Rows whose foreign key points nowhere (the constraints say 0; this checks without trusting them). */
async function danglingReferences(dialect: DialectName, url: string): Promise<Record<string, number>> {
  return withDb(dialect, url, async (conn) => ({
    postAuthor: await count(conn, `SELECT count(*) AS n FROM posts p LEFT JOIN users u ON u.id = p."authorId" WHERE u.id IS NULL`),
    postCategory: await count(
      conn,
      `SELECT count(*) AS n FROM posts p LEFT JOIN categories c ON c.id = p."categoryId" WHERE p."categoryId" IS NOT NULL AND c.id IS NULL`,
    ),
    commentPost: await count(conn, `SELECT count(*) AS n FROM comments c LEFT JOIN posts p ON p.id = c."postId" WHERE p.id IS NULL`),
    commentAuthor: await count(
      conn,
      `SELECT count(*) AS n FROM comments c LEFT JOIN users u ON u.id = c."authorId" WHERE c."authorId" IS NOT NULL AND u.id IS NULL`,
    ),
    postTagPost: await count(conn, `SELECT count(*) AS n FROM post_tags x LEFT JOIN posts p ON p.id = x."postsId" WHERE p.id IS NULL`),
    postTagTag: await count(conn, `SELECT count(*) AS n FROM post_tags x LEFT JOIN tags t ON t.id = x."tagsId" WHERE t.id IS NULL`),
  }));
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/**
 * A seeds directory outside the repo, laid out as in a user's project: `autogen` is
 * resolved from its node_modules (a link to this repo, so its build), entities are the
 * example's.
 */
function userSeedsDir(dir: TempDir, name: string, files: Record<string, string>): string {
  const root = dir.file(name);
  mkdirSync(path.join(root, "node_modules"), { recursive: true });
  symlinkSync(REPO_ROOT, path.join(root, "node_modules/autogen"), "dir");
  writeFiles(path.join(root, "seeds"), files);
  return path.join(root, "seeds");
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the promise to reject");
}

interface Target {
  dialect: DialectName;
  url: string;
  cleanup(): Promise<void>;
}

// One description, every database this machine has (DATABASE_KINDS).
const targets: Array<{ dialect: DialectName; enabled: boolean; make: () => Promise<Target> }> = await Promise.all(
  DATABASE_KINDS.map(async (kind) => ({
    dialect: kind.dialect,
    enabled: await kind.available(),
    make: async () => ({ dialect: kind.dialect, ...(await kind.create("autogen_seed")) }),
  })),
);

describe.each(targets)("seed on $dialect", ({ dialect, enabled, make }) => {
  let project: TestProject;
  let target: Target;
  let baseConfig: ConfigFile;
  let config: string;
  const log: string[] = [];
  const options = () => ({ config, log: (line: string) => log.push(line) });

  beforeAll(async () => {
    if (!enabled) return;
    project = createProject({});
    target = await make();
    baseConfig = { url: target.url, entities: [MODELS_EXAMPLE], seedsDir: EXAMPLE_SEEDS };
    project.write(baseConfig);
    config = project.config;
    await revision({ config, message: "create blog", autogenerate: true });
    await upgrade({ config, target: "head" });
  });
  afterAll(async () => {
    if (!enabled) return;
    await target.cleanup();
    project.remove();
  });

  let firstSnapshot: unknown;

  it.skipIf(!enabled)("seeds Exercise 3: 101 users, 500 posts, 1000 comments, every foreign key valid", async () => {
    log.length = 0;
    const result = await seed({ ...options(), fakerSeed: 42 });
    expect(result.seeders.map((s) => s.name)).toEqual(["DatabaseSeeder", "UserSeeder", "BlogSeeder"]);
    const c = await counts(dialect, target.url);
    expect(c).toMatchObject({ users: 101, posts: 500, comments: 1000, categories: 10, tags: 30 });
    expect(c.post_tags).toBeGreaterThan(500);
    expect(Object.values(await danglingReferences(dialect, target.url)).every((n) => n === 0)).toBe(true);
    await withDb(dialect, target.url, async (conn) => {
      const admin = await conn.query(`SELECT "displayName" FROM users WHERE email = 'admin@example.com'`);
      expect(admin).toEqual([{ displayName: "Admin" }]);
      // Random picks really spread: many authors, most posts categorised, some anonymous comments.
      expect(await count(conn, `SELECT count(DISTINCT "authorId") AS n FROM posts`)).toBeGreaterThan(80);
      expect(await count(conn, `SELECT count(*) AS n FROM posts WHERE "categoryId" IS NOT NULL`)).toBeGreaterThan(400);
      expect(await count(conn, `SELECT count(*) AS n FROM comments WHERE "authorId" IS NULL`)).toBeGreaterThan(0);
      // SQLite checks foreign keys only where a connection asks: its own check of every row, besides the count above.
      if (dialect === "sqlite") expect(await conn.query(`PRAGMA foreign_key_check`)).toEqual([]);
    });
    expect(log).toContain("Database seeding completed successfully.");
    firstSnapshot = await snapshot(dialect, target.url);
  });

  it.skipIf(!enabled)("a second run sees the data and skips, as the chapter's 'already seeded' check", async () => {
    log.length = 0;
    await seed(options());
    expect(log.some((l) => l.includes("Database already seeded (101 users)"))).toBe(true);
    expect(await counts(dialect, target.url)).toMatchObject({ users: 101, posts: 500, comments: 1000 });
  });

  it.skipIf(!enabled)("fresh --seed with the same --faker-seed gives exactly the same rows; another seed does not", async () => {
    const again = await fresh({ ...options(), force: true, seed: true, fakerSeed: 42 });
    expect(again.seeded?.seeders.map((s) => s.name)).toEqual(["DatabaseSeeder", "UserSeeder", "BlogSeeder"]);
    expect(await snapshot(dialect, target.url)).toEqual(firstSnapshot);

    await fresh({ ...options(), force: true, seed: true, fakerSeed: 43 });
    const other = (await snapshot(dialect, target.url)) as { users: unknown[] };
    expect(other.users).toHaveLength(101);
    expect(other).not.toEqual(firstSnapshot);
  });

  it.skipIf(!enabled)("refresh --seed resets, upgrades and seeds", async () => {
    const result = await refresh({ ...options(), seed: true, fakerSeed: 42, force: true });
    expect(result.steps.some((s) => s.includes("downgrade"))).toBe(true);
    expect(result.seeded?.seeders[0]?.name).toBe("DatabaseSeeder");
    expect(await snapshot(dialect, target.url)).toEqual(firstSnapshot);
  });

  it.skipIf(!enabled)("--class runs one seeder; call() runs another only when asked, once", async () => {
    await fresh({ ...options(), force: true });
    const users = await seed({ ...options(), seeder: "UserSeeder" });
    expect(users.seeders.map((s) => s.name)).toEqual(["UserSeeder"]);
    expect(await counts(dialect, target.url)).toMatchObject({ users: 101, posts: 0, comments: 0 });

    // BlogSeeder finds users and does not call UserSeeder again.
    const blog = await seed({ ...options(), seeder: "BlogSeeder" });
    expect(blog.seeders.map((s) => s.name)).toEqual(["BlogSeeder"]);
    expect(await counts(dialect, target.url)).toMatchObject({ users: 101, posts: 500, comments: 1000 });
  });

  it.skipIf(!enabled)("a failing seeder rolls back everything the run wrote, and names its file in one line", async () => {
    await fresh({ ...options(), force: true });
    const seedsDir = userSeedsDir(project.dir, `failing-${dialect}`, {
      "factories/UserFactory.ts": `
        import { defineFactory } from "autogen";
        import { User } from ${ENTITY("User")};
        export const UserFactory = defineFactory(User, (faker, { sequence }) => ({
          email: \`failing\${sequence}@example.com\`,
          displayName: faker.person.fullName(),
        }));`,
      "DatabaseSeeder.ts": `
        import type { SeedContext } from "autogen";
        import { Category } from ${ENTITY("Category")};
        import { User } from ${ENTITY("User")};
        export default async function run({ factory, manager, call }: SeedContext) {
          await factory(User).count(3).create();
          await manager.save(manager.create(Category, { name: "written before the failure" }));
          await call("Broken");
        }`,
      "Broken.ts": `
        import type { SeedContext } from "autogen";
        export async function run({ manager }: SeedContext) {
          await manager.query(\`INSERT INTO tags (name) VALUES ('also written')\`);
          throw new Error("boom\\nwith a second line");
        }`,
    });
    project.write({ ...baseConfig, seedsDir });
    try {
      const err = await rejection(seed(options()));
      expect(err).toBeInstanceOf(UserError);
      expect(err.message).toContain(`${path.join(seedsDir, "Broken.ts")}: seeding failed and was rolled back`);
      expect(err.message).toContain("boom with a second line");
      expect(err.message).not.toContain("\n");
      expect(await counts(dialect, target.url)).toMatchObject({ users: 0, categories: 0, tags: 0 });

      // A database error (a duplicate unique e-mail) rolls back as well, naming the seeder.
      writeFiles(seedsDir, {
        "Duplicate.ts": `
          import type { SeedContext } from "autogen";
          import { User } from ${ENTITY("User")};
          export default async function run({ factory }: SeedContext) {
            await factory(User).create({ email: "same@example.com" });
            await factory(User).create({ email: "same@example.com" });
          }`,
      });
      const dup = await rejection(seed({ ...options(), seeder: "Duplicate" }));
      expect(dup.message).toContain(`${path.join(seedsDir, "Duplicate.ts")}: seeding failed and was rolled back`);
      expect(dup.message).toMatch(/unique|duplicate/i);
      expect(await counts(dialect, target.url)).toMatchObject({ users: 0 });
    } finally {
      project.write(baseConfig);
    }
  });

  it.skipIf(!enabled)("refuses a database that is not at head, and writes nothing", async () => {
    await downgrade({ ...options(), target: "base", force: true });
    const err = await rejection(seed(options()));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/^seed: database is not up to date \(current: <base>; head: [0-9a-f]+\)/);
    await upgrade({ ...options(), target: "head" });
    expect(await counts(dialect, target.url)).toMatchObject({ users: 0, posts: 0 });
  });
});

describe("seed files and factories (SQLite)", () => {
  let project: TestProject;
  let url: string;
  let baseConfig: ConfigFile;

  beforeAll(async () => {
    project = createProject({});
    url = sqliteUrl(project.dir);
    baseConfig = { url, entities: [MODELS_EXAMPLE], seedsDir: EXAMPLE_SEEDS };
    project.write(baseConfig);
    await revision({ config: project.config, message: "create blog", autogenerate: true });
    await upgrade({ config: project.config, target: "head" });
  });
  afterAll(() => project.remove());

  const seedWith = (seedsDir: string, seeder?: string) => {
    project.write({ ...baseConfig, seedsDir });
    return seed({ config: project.config, ...(seeder ? { seeder } : {}) });
  };

  it("a missing seeds directory, seeder or run function is a one-line error naming the directory or file", async () => {
    const missingDir = project.dir.file("no-such-seeds");
    const noDir = await rejection(seedWith(missingDir));
    expect(noDir.message).toBe(`seeds directory not found: ${missingDir} (create it, or set "seedsDir" in ${project.config})`);

    const seedsDir = userSeedsDir(project.dir, "errors", {
      "NoRun.ts": `export const notRun = 1;`,
      "BadSyntax.ts": `export default async function run( {`,
      "CallsMissing.ts": `export default async function run(ctx: any) { await ctx.call("Nowhere"); }`,
      "NoFactory.ts": `
        class Unfactored { name = "" }
        export default async function run(ctx: any) { await ctx.factory(Unfactored).create(); }`,
      "Stray.ts": `
        import { defineFactory } from "autogen";
        class Stray { name = "" }
        defineFactory(Stray, () => ({ name: "x" }));
        export default async function run(ctx: any) { await ctx.factory(Stray).create(); }`,
    });
    const noSeeder = await rejection(seedWith(seedsDir));
    expect(noSeeder.message).toBe(
      `seeder "DatabaseSeeder" not found: no DatabaseSeeder.ts or .js in ${seedsDir} (available: BadSyntax, CallsMissing, NoFactory, NoRun, Stray)`,
    );
    const noRun = await rejection(seedWith(seedsDir, "NoRun"));
    expect(noRun.message).toMatch(new RegExp(`^${path.join(seedsDir, "NoRun.ts")}: exports no run function`));
    const syntax = await rejection(seedWith(seedsDir, "BadSyntax"));
    expect(syntax.message).toMatch(new RegExp(`^${path.join(seedsDir, "BadSyntax.ts")}:1:\\d+: syntax error`));
    const callsMissing = await rejection(seedWith(seedsDir, "CallsMissing"));
    expect(callsMissing.message).toMatch(
      new RegExp(`^${path.join(seedsDir, "CallsMissing.ts")}: seeding failed and was rolled back .*seeder "Nowhere" not found`),
    );
    const noFactory = await rejection(seedWith(seedsDir, "NoFactory"));
    expect(noFactory.message).toMatch(new RegExp(`^${path.join(seedsDir, "NoFactory.ts")}: .*no factory defined for Unfactored`));
    const stray = await rejection(seedWith(seedsDir, "Stray"));
    expect(stray.message).toContain("Stray is not one of this project's entities");
    for (const err of [noDir, noSeeder, noRun, syntax, callsMissing, noFactory, stray]) {
      expect(err).toBeInstanceOf(UserError);
      expect(err.message).not.toContain("\n");
    }
  });

  it("factories: make() is unsaved, create() returns ids, state() and overrides layer over the definition, sequence counts per entity", async () => {
    const probe = Symbol.for("autogen.test.seed-probe");
    const seedsDir = userSeedsDir(project.dir, "factories", {
      "factories/TagFactory.ts": `
        import { defineFactory } from "autogen";
        import { Tag } from ${ENTITY("Tag")};
        export const TagFactory = defineFactory(Tag, (faker, { sequence, index }) => ({ name: \`tag-\${sequence}-\${index}\` }));`,
      "DatabaseSeeder.ts": `
        import type { SeedContext } from "autogen";
        import { Tag } from ${ENTITY("Tag")};
        export default async function run({ factory }: SeedContext) {
          const made = await factory(Tag).count(2).make();
          const one = await factory(Tag).make({ name: "overridden" });
          const stated = await factory(Tag)
            .state({ name: "fixed" })
            .state((_faker, { attributes, sequence }) => ({ name: \`\${attributes.name}+\${sequence}\` }))
            .count(2)
            .create();
          const empty = await factory(Tag).count(0).create();
          (globalThis as any)[Symbol.for("autogen.test.seed-probe")] = { made, one, stated, empty, Tag };
        }`,
    });
    await seedWith(seedsDir);
    const result = (globalThis as Record<symbol, unknown>)[probe] as {
      made: Array<{ id?: number; name: string }>;
      one: { id?: number; name: string };
      stated: Array<{ id: number; name: string }>;
      empty: unknown[];
      Tag: new () => unknown;
    };
    expect(result.made.map((t) => t.name)).toEqual(["tag-1-0", "tag-2-1"]);
    expect(result.made.every((t) => t instanceof result.Tag && t.id === undefined)).toBe(true);
    expect(Array.isArray(result.one)).toBe(false);
    expect(result.one.name).toBe("overridden");
    expect(result.stated.map((t) => t.name)).toEqual(["fixed+4", "fixed+5"]);
    expect(result.stated.every((t) => typeof t.id === "number")).toBe(true);
    expect(result.empty).toEqual([]);
    const rows = await withDb("sqlite", url, (conn) => conn.query(`SELECT id, name FROM tags ORDER BY id`));
    expect(rows).toEqual(result.stated.map((t) => ({ id: t.id, name: t.name })));
  });
});

describe("autogen seed (CLI)", () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = createTempDir("autogen-seed-cli-");
  });
  afterAll(() => dir.remove());

  it("seed --help and db:seed --help describe the command and its flags", async () => {
    for (const command of ["seed", "db:seed"]) {
      const r = await runCli([command, "--help"], { cwd: dir.dir });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("autogen seed");
      expect(r.stdout).toContain("--class");
      expect(r.stdout).toContain("--faker-seed");
    }
    for (const command of ["fresh", "refresh"]) {
      const r = await runCli([command, "--help"], { cwd: dir.dir });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("--seed");
      expect(r.stdout).toContain("--seeder");
    }
  });

  it("seeds the example from the command line; errors are one line with exit 1 or 2", async () => {
    const url = sqliteUrl(dir);
    writeFileSync(
      dir.file("autogen.config.json"),
      JSON.stringify({ url, entities: [MODELS_EXAMPLE], versionsDir: "versions", seedsDir: EXAMPLE_SEEDS }),
    );
    expect((await runCli(["revision", "--autogenerate", "-m", "create blog"], { cwd: dir.dir })).status).toBe(0);
    expect((await runCli(["upgrade", "head"], { cwd: dir.dir })).status).toBe(0);

    const ok = await runCli(["db:seed", "--faker-seed", "7"], { cwd: dir.dir });
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^Seeding: DatabaseSeeder$/m);
    expect(ok.stdout).toMatch(/^Seeded: {2}BlogSeeder \(\d+ ms\)$/m);
    expect(ok.stdout).toContain("Database seeding completed successfully.");
    expect(await counts("sqlite", url)).toMatchObject({ users: 101, posts: 500, comments: 1000 });

    const missing = await runCli(["seed", "--class", "Nope"], { cwd: dir.dir });
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain(`seeder "Nope" not found`);

    const badSeed = await runCli(["seed", "--faker-seed", "abc"], { cwd: dir.dir });
    expect(badSeed.status).toBe(2);
    expect(badSeed.stderr).toContain("--faker-seed must be a whole number");

    const freshSeeded = await runCli(["fresh", "--force", "--seeder", "UserSeeder", "--faker-seed", "7"], { cwd: dir.dir });
    expect(freshSeeded.status).toBe(0);
    expect(freshSeeded.stdout).toMatch(/^Seeded: {2}UserSeeder/m);
    expect(await counts("sqlite", url)).toMatchObject({ users: 101, posts: 0 });
  });
});
