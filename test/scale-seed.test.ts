/**
 * Seeding's fast path (src/seed/bulk-insert.ts and the dialects' seed-insert.ts) on real
 * databases: many rows a statement (counted: work, not time), every generated value read
 * back into the right entity, and what needs save()'s machinery (a many-to-many to fill,
 * an unsaved target to cascade) left to save(). Speed itself is in the bench (section 10).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { revision, upgrade } from "../src/api/index.js";
import { loadConfig } from "../src/config/config.js";
import { connectDataSource } from "../src/seed/index.js";
import { getDialect } from "../src/dialects/index.js";
import { BulkInserter, bulkInsertable } from "../src/seed/bulk-insert.js";
import type { DialectName } from "../src/schema/ir.js";
import { createPgDatabase, createTempDir, pgAvailable, sqliteUrl, type TempDir, type TestPgDatabase } from "./helpers/databases.js";
import { createProject, MODELS_EXAMPLE, type TestProject } from "./helpers/project.js";

const PG = await pgAvailable();

for (const dialect of ["sqlite", "postgres"] as DialectName[]) {
  describe.skipIf(dialect === "postgres" && !PG)(`bulk insert for factories (${dialect})`, () => {
    let project: TestProject;
    let db: TestPgDatabase | undefined;
    let dir: TempDir | undefined;
    let ds: DataSource;

    beforeAll(async () => {
      let url: string;
      if (dialect === "postgres") {
        db = await createPgDatabase();
        url = db.url;
      } else {
        dir = createTempDir();
        url = sqliteUrl(dir);
      }
      project = createProject({ url, entities: [MODELS_EXAMPLE] });
      await revision({ config: project.config, message: "models", autogenerate: true });
      await upgrade({ config: project.config, target: "head" });
      ds = await connectDataSource(loadConfig({ config: project.config }));
    });
    afterAll(async () => {
      await ds?.destroy();
      project?.remove();
      dir?.remove();
      await db?.drop();
    });

    // PostgreSQL binds one array per column (unnest): one statement for any number of rows, after one catalog read
    // of the table's column types. SQLite: 1,000-row VALUES statements.
    const STATEMENTS = dialect === "postgres" ? 2 : 3;
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
        expect(inserter.statements).toBe(STATEMENTS + (dialect === "postgres" ? 1 : 3));
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
      const saved = (await ds.query(`SELECT title, "authorId" AS author FROM posts`)) as Array<{ title: string; author: number }>;
      expect(saved.map((r) => [r.title, Number(r.author)])).toEqual([["plain", author.id]]);
      expect((plain as { id?: number }).id).toEqual(expect.any(Number));
      expect((plain as { status?: string }).status).toBe("draft");
    });
  });
}
