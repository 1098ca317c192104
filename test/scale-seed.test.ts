/**
 * Seeding's fast path (src/seed/bulk-insert.ts and the dialects' seed-insert.ts) on real
 * databases: many rows a statement (counted: work, not time), every generated value read
 * back into the right entity, and what needs save()'s machinery (a many-to-many to fill,
 * an unsaved target to cascade) left to save(). Speed itself is in the bench (section 10).
 */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { revision, seed, upgrade } from "../src/api/index.js";
import { loadConfig } from "../src/config/config.js";
import { connectDataSource } from "../src/seed/index.js";
import { getDialect } from "../src/dialects/index.js";
import { BulkInserter, bulkInsertable } from "../src/seed/bulk-insert.js";
import type { DialectName } from "../src/schema/ir.js";
import { DATABASE_KINDS } from "./helpers/databases.js";
import { createProject, MODELS_EXAMPLE, MODELS_EXAMPLE_DIR, REPO_ROOT, type TestProject } from "./helpers/project.js";

const USER_ENTITY = JSON.stringify(path.join(MODELS_EXAMPLE_DIR, "entities/User.ts"));

/** 5,000 users from one factory call (three batches of create()); with `duplicateAt`, that row repeats the first row's e-mail. */
function pipelineSeeder(duplicateAt: number | null): string {
  return `
    import type { SeedContext } from "autogen";
    import { defineFactory } from "autogen";
    import { User } from ${USER_ENTITY};
    export const Pipeline = defineFactory(User, (faker, { index }) => ({
      email: index === ${String(duplicateAt)} ? "pipe0@example.com" : \`pipe\${index}@example.com\`,
      displayName: faker.person.fullName(),
    }));
    export default async function run({ factory }: SeedContext) {
      const users = await factory(User).count(5000).create();
      const ids = new Set(users.map((u) => u.id));
      if (ids.size !== 5000 || users.some((u) => typeof u.id !== "number" || !(u.createdAt instanceof Date))) {
        throw new Error("create() did not read back every id and creation date");
      }
    }`;
}

/**
 * Each writer's statements for 2,500 rows and for 2,500 more, by its design. PostgreSQL binds
 * one array per column (unnest): one statement for any number of rows, after one catalog read
 * of the table's column types. SQLite: 1,000-row VALUES statements, after one read of the
 * table's rowid facts. A database whose dialect gets a writer adds its counts here.
 */
const WRITER_STATEMENTS: Partial<Record<DialectName, { first: number; more: number }>> = {
  postgres: { first: 2, more: 1 },
  sqlite: { first: 4, more: 3 },
};

// The databases whose dialect has a fast writer (Dialect.seedInsert); the others seed through save().
for (const kind of DATABASE_KINDS.filter((k) => getDialect(k.dialect).seedInsert !== undefined)) {
  const dialect = kind.dialect;
  const q = (name: string) => getDialect(dialect).quoteIdent(name);
  describe.skipIf(!(await kind.available()))(`bulk insert for factories (${dialect})`, () => {
    let project: TestProject;
    let db: { url: string; cleanup(): Promise<void> } | undefined;
    let ds: DataSource;

    beforeAll(async () => {
      db = await kind.create();
      const url = db.url;
      project = createProject({ url, entities: [MODELS_EXAMPLE] });
      await revision({ config: project.config, message: "models", autogenerate: true });
      await upgrade({ config: project.config, target: "head" });
      ds = await connectDataSource(loadConfig({ config: project.config }));
    });
    afterAll(async () => {
      await ds?.destroy();
      project?.remove();
      await db?.cleanup();
    });

    const counts = WRITER_STATEMENTS[dialect];
    if (!counts) throw new Error(`WRITER_STATEMENTS has no counts for ${dialect}'s writer`);
    const STATEMENTS = counts.first;
    it(`writes 2,500 users in ${STATEMENTS} statements and reads back each one's id and creation date`, async () => {
      const metadata = ds.getMetadata("User");
      expect(bulkInsertable(ds, metadata)).toBe(true);
      const runner = ds.createQueryRunner();
      try {
        const inserter = await BulkInserter.open(getDialect(dialect), ds, runner);
        if (!inserter) throw new Error(`no bulk writer for ${dialect}`);
        const repo = ds.getRepository("User");
        const users = Array.from({ length: 2500 }, (_, i) =>
          repo.create({ email: `user${i}@example.com`, displayName: `User ${i}`, bio: i % 3 === 0 ? null : `bio ${i}` }),
        ) as Array<{ id?: number; email: string; createdAt?: Date }>;
        const rest = await inserter.insert(metadata, users);
        expect(rest).toEqual([]);
        expect(inserter.statements).toBe(STATEMENTS);
        const rows = (await ds.query(`SELECT id, email FROM users ORDER BY id`)) as Array<{ id: number; email: string }>;
        expect(rows).toHaveLength(2500);
        const byId = new Map(rows.map((r) => [Number(r.id), r.email]));
        for (const user of users) {
          expect(typeof user.id).toBe("number");
          expect(byId.get(user.id!)).toBe(user.email);
          expect(user.createdAt).toBeInstanceOf(Date);
        }
        // The column types are read once per table and run: 2,500 more rows cost insert statements only.
        const more = Array.from({ length: 2500 }, (_, i) => repo.create({ email: `more${i}@example.com`, displayName: `More ${i}` }));
        await inserter.insert(metadata, more);
        expect(inserter.statements).toBe(STATEMENTS + counts.more);
      } finally {
        await runner.release();
      }
    });

    it("matches every generated id to its own entity: 2,500 posts each point at the user they were given", async () => {
      const n = 2500;
      const runner = ds.createQueryRunner();
      try {
        const inserter = (await BulkInserter.open(getDialect(dialect), ds, runner))!;
        const userRepo = ds.getRepository("User");
        const users = Array.from({ length: n }, (_, i) =>
          userRepo.create({ email: `match${i}@example.com`, displayName: `Match ${i}` }),
        ) as Array<{ id?: number; email: string }>;
        expect(await inserter.insert(ds.getMetadata("User"), users)).toEqual([]);
        const postRepo = ds.getRepository("Post");
        // Authors in a scrambled order, so a post matched to the wrong row points at the wrong user.
        const authorOf = (i: number) => users[(i * 7919) % n]!;
        const posts = Array.from({ length: n }, (_, i) =>
          postRepo.create({ title: `match-post-${i}`, body: "b", author: authorOf(i) }),
        ) as Array<{ id?: number; title: string }>;
        expect(await inserter.insert(ds.getMetadata("Post"), posts)).toEqual([]);

        const storedUsers = (await ds.query(`SELECT id, email FROM users WHERE email LIKE 'match%'`)) as Array<{
          id: unknown;
          email: string;
        }>;
        const emailOfId = new Map(storedUsers.map((r) => [Number(r.id), r.email]));
        for (const user of users) expect(emailOfId.get(user.id!)).toBe(user.email);
        const storedPosts = (await ds.query(
          `SELECT id, title, ${q("authorId")} AS author FROM posts WHERE title LIKE 'match-post-%'`,
        )) as Array<{
          id: unknown;
          title: string;
          author: unknown;
        }>;
        expect(storedPosts).toHaveLength(n);
        const stored = new Map(storedPosts.map((r) => [Number(r.id), r]));
        posts.forEach((post, i) => {
          const row = stored.get(post.id!);
          expect(row?.title).toBe(post.title);
          expect(emailOfId.get(Number(row?.author))).toBe(authorOf(i).email);
        });
      } finally {
        await runner.release();
      }
    });

    it("inserts posts whose author is saved, and leaves to save() a post with tags to link or an unsaved author", async () => {
      const users = ds.getRepository("User");
      const author = (await users.save(users.create({ email: `author-${dialect}@example.com`, displayName: "Author" }))) as { id: number };
      const posts = ds.getRepository("Post");
      const tags = ds.getRepository("Tag");
      const tag = await tags.save(tags.create({ name: `tag-${dialect}` }));
      const plain = posts.create({ title: "plain", body: "b", author });
      const tagged = posts.create({ title: "tagged", body: "b", author, tags: [tag] });
      const orphan = posts.create({ title: "orphan", body: "b", author: users.create({ email: "new@example.com", displayName: "New" }) });
      const runner = ds.createQueryRunner();
      const inserter = await BulkInserter.open(getDialect(dialect), ds, runner);
      const rest = await inserter!.insert(ds.getMetadata("Post"), [plain, tagged, orphan]).finally(() => runner.release());
      expect(rest).toEqual([tagged, orphan]);
      const saved = (await ds.query(`SELECT title, ${q("authorId")} AS author FROM posts WHERE title NOT LIKE 'match-post-%'`)) as Array<{
        title: string;
        author: number;
      }>;
      expect(saved.map((r) => [r.title, Number(r.author)])).toEqual([["plain", author.id]]);
      expect((plain as { id?: number }).id).toEqual(expect.any(Number));
      expect((plain as { status?: string }).status).toBe("draft");
    });

    it("create() writes batch after batch while building the next; a failing batch names the entity in one line and nothing stays", async () => {
      const root = project.dir.file("pipeline");
      mkdirSync(path.join(root, "node_modules"), { recursive: true });
      symlinkSync(REPO_ROOT, path.join(root, "node_modules/autogen"), "dir");
      mkdirSync(path.join(root, "seeds"));
      const seedsDir = path.join(root, "seeds");
      project.write({ url: loadConfig({ config: project.config }).url, entities: [MODELS_EXAMPLE], seedsDir });
      const users = async () =>
        Number(((await ds.query(`SELECT count(*) AS n FROM users WHERE email LIKE 'pipe%'`)) as Array<{ n: unknown }>)[0]!.n);

      // Row 4,500 is in the third batch: the first two were written (or are being written) when it fails.
      writeFileSync(path.join(seedsDir, "Failing.ts"), pipelineSeeder(4500));
      const failure = await seed({ config: project.config, seeder: "Failing" }).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(failure?.message).toContain(`${path.join(seedsDir, "Failing.ts")}: seeding failed and was rolled back`);
      expect(failure?.message).toContain("User: inserting");
      expect(failure?.message).toMatch(/unique|duplicate/i);
      expect(failure?.message).not.toContain("\n");
      expect(await users()).toBe(0);

      writeFileSync(path.join(seedsDir, "Passing.ts"), pipelineSeeder(null));
      await seed({ config: project.config, seeder: "Passing" });
      expect(await users()).toBe(5000);
    });

    // PostgreSQL's own writer (unnest, serial, text[], enum types): scoped to it by design.
    it.runIf(dialect === "postgres")(
      "reads values back joined to the rows written on the primary key, in the order written; a key with nothing to join on goes a row a statement",
      async () => {
        await ds.query(`CREATE TABLE seed_order_serial (id serial PRIMARY KEY, label text NOT NULL, tick serial)`);
        await ds.query(`CREATE TABLE seed_order_given (code text PRIMARY KEY, tick serial, tags text[])`);
        await ds.query(`CREATE TABLE seed_order_opaque (id text PRIMARY KEY DEFAULT md5(random()::text), label text NOT NULL)`);
        // Ticks taken before the seed, so that the ticks and ids of a row differ.
        await ds.query(`SELECT setval(pg_get_serial_sequence('seed_order_serial', 'tick'), 500)`);
        const runner = ds.createQueryRunner();
        try {
          const writer = (await getDialect("postgres").seedInsert!.writer(ds, runner))!;
          const n = 1500;
          const labels = Array.from({ length: n }, (_, i) => `label-${(i * 7919) % n}`);
          const serial = await writer.insert({ table: ["seed_order_serial"], columns: ["label"], returning: ["id", "tick"] }, [labels], n);
          const stored = new Map(
            ((await ds.query(`SELECT id, label, tick FROM seed_order_serial`)) as Array<{ id: number; label: string; tick: number }>).map(
              (r) => [r.label, r],
            ),
          );
          expect(serial.map(([id, tick]) => [Number(id), Number(tick)])).toEqual(
            labels.map((l) => [stored.get(l)!.id, stored.get(l)!.tick]),
          );

          // Keys the rows give: joined on them; through unnest, and through VALUES when a column holds arrays.
          const codes = labels.map((l) => `code-${l}`);
          const given = await writer.insert({ table: ["seed_order_given"], columns: ["code"], returning: ["tick"] }, [codes], n);
          const arrays = await writer.insert(
            { table: ["seed_order_given"], columns: ["code", "tags"], returning: ["tick"] },
            [codes.map((c) => `${c}-a`), codes.map((c) => [c])],
            n,
          );
          const ticks = new Map(
            ((await ds.query(`SELECT code, tick FROM seed_order_given`)) as Array<{ code: string; tick: number }>).map((r) => [
              r.code,
              r.tick,
            ]),
          );
          expect(given.map(([tick]) => Number(tick))).toEqual(codes.map((c) => ticks.get(c)));
          expect(arrays.map(([tick]) => Number(tick))).toEqual(codes.map((c) => ticks.get(`${c}-a`)));

          // A key the database makes without a sequence: nothing to join on, so a row a statement.
          const before = writer.statements;
          const opaque = await writer.insert(
            { table: ["seed_order_opaque"], columns: ["label"], returning: ["id"] },
            [labels.slice(0, 5)],
            5,
          );
          expect(writer.statements - before).toBe(1 + 5);
          const ids = new Map(
            ((await ds.query(`SELECT id, label FROM seed_order_opaque`)) as Array<{ id: string; label: string }>).map((r) => [
              r.label,
              r.id,
            ]),
          );
          expect(opaque.map(([id]) => id)).toEqual(labels.slice(0, 5).map((l) => ids.get(l)));
        } finally {
          await runner.release();
          await ds.query(`DROP TABLE seed_order_serial, seed_order_given, seed_order_opaque`);
        }
      },
    );

    // PostgreSQL's own writer, as above.
    it.runIf(dialect === "postgres")(
      "binds one array per column (unnest); a column of arrays goes as VALUES, under the parameter limit",
      async () => {
        await ds.query(`CREATE TYPE seed_mood AS ENUM ('calm', 'busy')`);
        await ds.query(
          `CREATE TABLE seed_shapes (id serial PRIMARY KEY, mood seed_mood NOT NULL, label varchar(20), labels text[], at timestamptz NOT NULL DEFAULT now())`,
        );
        const runner = ds.createQueryRunner();
        try {
          const writer = (await getDialect("postgres").seedInsert!.writer(ds, runner))!;
          const n = 2500;
          const moods = Array.from({ length: n }, (_, i) => (i % 2 ? "busy" : "calm"));
          const labels = Array.from({ length: n }, (_, i) => (i % 5 ? `label "${i}", \\ {x}` : null));
          const plain = await writer.insert(
            { table: ["seed_shapes"], columns: ["mood", "label"], returning: ["id", "at"] },
            [moods, labels],
            n,
          );
          // One catalog read of the table's types, then one statement for all 2,500 rows.
          expect(writer.statements).toBe(2);
          expect(plain).toHaveLength(n);
          const stored = (await ds.query(`SELECT id, mood, label FROM seed_shapes ORDER BY id`)) as Array<{
            id: number;
            mood: string;
            label: string | null;
          }>;
          expect(stored.map((r) => [r.mood, r.label])).toEqual(moods.map((m, i) => [m, labels[i]]));
          expect(plain.map((r) => Number(r[0]))).toEqual(stored.map((r) => Number(r.id)));

          const arrays = Array.from({ length: n }, (_, i) => [`a${i}`, `b,"${i}"`]);
          await writer.insert({ table: ["seed_shapes"], columns: ["mood", "labels"], returning: ["id"] }, [moods, arrays], n);
          // Values that are arrays: 1,000-row VALUES statements (3 for 2,500 rows), no catalog read again.
          expect(writer.statements).toBe(2 + 3);
          const back = (await ds.query(`SELECT labels FROM seed_shapes WHERE labels IS NOT NULL ORDER BY id`)) as Array<{
            labels: string[];
          }>;
          expect(back.map((r) => r.labels)).toEqual(arrays);
        } finally {
          await runner.release();
          await ds.query(`DROP TABLE seed_shapes`);
          await ds.query(`DROP TYPE seed_mood`);
        }
      },
    );
  });
}
