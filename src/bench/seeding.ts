/**
 * Seeding speed: rows/s of the models-example factories through `autogen seed`'s runner
 * (faker included) against TypeORM's own `repository.save()` and `repository.insert()` of
 * the same rows (read back from the seeded tables, so TypeORM writes exactly what the
 * factories wrote; faker not included). On PostgreSQL and SQLite, in this process. Two
 * workloads:
 * - users: `factory(User).count(n).create()`;
 * - blog: n/4 users, n/4 posts each with a random author (its id from the users just
 *   created), n/2 comments each on a random post by a random user: the relations path;
 * - plain: users from a factory that calls no Faker (values made from the sequence):
 *   what our own path costs, Faker aside.
 *
 * Beside them, the ceiling: Faker alone, the same factories' definitions (and the blog's
 * random picks) called for the same rows with a faker seeded the same way, writing
 * nothing. No seeding can be faster than making its values. It runs after ours, so it
 * finds Faker's code already compiled by the JIT: if anything the ceiling reads high,
 * never ours.
 *
 * The project lives in a directory inside the repository (so the factories' `import
 * "autogen"` resolves to this package), with models-example's entities and factories
 * copied into it; models-example itself is never touched.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DataSource, ObjectLiteral, Repository } from "typeorm";
import { revision, seed, upgrade } from "../api/index.js";
import { loadConfig } from "../config/config.js";
import { connectDataSource } from "../seed/index.js";
import type { DialectName } from "../schema/ir.js";
import { createPgDatabase } from "./databases.js";
import { timed } from "./measure.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const EXAMPLE = path.join(REPO_ROOT, "models-example");

export type SeedWorkload = "users" | "blog" | "plain";

export interface SeedFigure {
  dialect: DialectName;
  workload: SeedWorkload;
  rows: number;
  factoryRowsPerSec: number;
  /** The factories' definitions alone (Faker and the attribute objects), nothing written. */
  fakerRowsPerSec: number;
  saveRowsPerSec: number;
  insertRowsPerSec: number;
}

/** How many rows of each table a workload of `rows` writes. */
function counts(workload: SeedWorkload, rows: number): { users: number; posts: number; comments: number } {
  if (workload !== "blog") return { users: rows, posts: 0, comments: 0 };
  const quarter = Math.max(1, Math.floor(rows / 4));
  return { users: quarter, posts: quarter, comments: 2 * quarter };
}

const IMPORTS = `import type { SeedContext } from "autogen";
import { Comment } from "../entities/Comment.js";
import { Post } from "../entities/Post.js";
import { User } from "../entities/User.js";
import { CommentFactory } from "./factories/CommentFactory.js";
import { PostFactory } from "./factories/PostFactory.js";
import { UserFactory } from "./factories/UserFactory.js";
const n = (name: string) => Number(process.env["AUTOGEN_BENCH_SEED_" + name]);
`;

const SEEDERS: Record<string, string> = {
  UsersSeeder: `${IMPORTS}
export default async function run({ factory }: SeedContext): Promise<void> {
  await factory(User).count(n("USERS")).create();
}
`,
  BlogSeeder: `${IMPORTS}
export default async function run({ factory }: SeedContext): Promise<void> {
  const users = await factory(User).count(n("USERS")).create();
  const posts = await factory(Post).count(n("POSTS")).state((faker) => ({ author: faker.helpers.arrayElement(users) })).create();
  await factory(Comment)
    .count(n("COMMENTS"))
    .state((faker) => ({ post: faker.helpers.arrayElement(posts), author: faker.helpers.arrayElement(users) }))
    .create();
}
`,
  // The same definitions and picks, in the same order, kept in memory and written nowhere.
  FakerOnlySeeder: `${IMPORTS}
export default async function run({ faker }: SeedContext): Promise<void> {
  const users: unknown[] = [];
  for (let index = 0; index < n("USERS"); index++) users.push(await UserFactory.definition(faker, { sequence: index + 1, index }));
  const posts: unknown[] = [];
  for (let index = 0; index < n("POSTS"); index++) {
    const attributes = await PostFactory.definition(faker, { sequence: index + 1, index });
    posts.push({ ...attributes, author: faker.helpers.arrayElement(users) });
  }
  const comments: unknown[] = [];
  for (let index = 0; index < n("COMMENTS"); index++) {
    const attributes = await CommentFactory.definition(faker, { sequence: index + 1, index });
    comments.push({ ...attributes, post: faker.helpers.arrayElement(posts), author: faker.helpers.arrayElement(users) });
  }
  if (users.length + posts.length + comments.length !== n("USERS") + n("POSTS") + n("COMMENTS")) throw new Error("rows missing");
}
`,
};

/** The plain workload's own seeds directory: its factory for User must not meet UserFactory (a directory's exports win). */
const PLAIN_SEEDS: Record<string, string> = {
  "factories/PlainUserFactory.ts": `import { defineFactory } from "autogen";
import { User } from "../../entities/User.js";

export const PlainUserFactory = defineFactory(User, (_faker, { sequence }) => ({
  email: "plain" + sequence + "@example.com",
  displayName: "Plain User " + sequence,
  bio: sequence % 3 === 0 ? null : "A short biography of plain user number " + sequence + ".",
}));
`,
  "UsersSeeder.ts": SEEDERS.UsersSeeder!,
  "FakerOnlySeeder.ts": `${IMPORTS.replace(/import \{ \w+Factory \} from "\.\/factories\/\w+\.js";\n/g, "")}import { PlainUserFactory } from "./factories/PlainUserFactory.js";
export default async function run({ faker }: SeedContext): Promise<void> {
  const users: unknown[] = [];
  for (let index = 0; index < n("USERS"); index++) users.push(await PlainUserFactory.definition(faker, { sequence: index + 1, index }));
  if (users.length !== n("USERS")) throw new Error("rows missing");
}
`,
};

/** TypeORM's insert() has no chunking of its own; on SQLite it reads generated ids back with one OR term per row, and SQLite refuses expressions deeper than 1,000: 500 rows a call. */
const INSERT_CHUNK = 500;

type Row = Record<string, unknown>;

/** What the factories wrote, in id order, without dates (the database makes those again); ids only to link rows. */
async function readBack(ds: DataSource): Promise<{ users: Row[]; posts: Row[]; comments: Row[] }> {
  return {
    users: (await ds.query(`SELECT id, email, "displayName", bio FROM users ORDER BY id`)) as Row[],
    posts: (await ds.query(`SELECT id, title, body, status, metadata, "viewCount", "authorId" FROM posts ORDER BY id`)) as Row[],
    comments: (await ds.query(`SELECT body, "postId", "authorId" FROM comments ORDER BY id`)) as Row[],
  };
}

/**
 * TypeORM writes `written` again, users first, then posts and comments pointing at the
 * new ids (by position: the n-th user written is the n-th read back).
 */
async function typeormWrite(
  ds: DataSource,
  written: Awaited<ReturnType<typeof readBack>>,
  write: (repo: Repository<ObjectLiteral>, rows: ObjectLiteral[]) => Promise<unknown>,
): Promise<void> {
  const users = ds.getRepository("User");
  const posts = ds.getRepository("Post");
  const comments = ds.getRepository("Comment");
  const newUsers = written.users.map((r) => users.create({ email: r.email, displayName: r.displayName, bio: r.bio }));
  await write(users, newUsers);
  const userId = new Map(written.users.map((r, i) => [Number(r.id), (newUsers[i] as { id: number }).id]));
  const newPosts = written.posts.map((r) =>
    posts.create({
      title: r.title,
      body: r.body,
      status: r.status,
      metadata: r.metadata === null ? null : (JSON.parse(String(r.metadata)) as unknown),
      viewCount: r.viewCount,
      author: { id: userId.get(Number(r.authorId)) },
    }),
  );
  if (newPosts.length > 0) await write(posts, newPosts);
  const postId = new Map(written.posts.map((r, i) => [Number(r.id), (newPosts[i] as { id: number }).id]));
  const newComments = written.comments.map((r) =>
    comments.create({
      body: r.body,
      post: { id: postId.get(Number(r.postId)) },
      author: r.authorId === null ? null : { id: userId.get(Number(r.authorId)) },
    }),
  );
  if (newComments.length > 0) await write(comments, newComments);
}

async function seedOn(
  dialect: DialectName,
  url: string,
  dir: string,
  rows: number,
  workloads: readonly SeedWorkload[],
): Promise<SeedFigure[]> {
  cpSync(path.join(EXAMPLE, "entities"), path.join(dir, "entities"), { recursive: true });
  mkdirSync(path.join(dir, "seeds"));
  cpSync(path.join(EXAMPLE, "seeds/factories"), path.join(dir, "seeds/factories"), { recursive: true });
  cpSync(path.join(EXAMPLE, "tsconfig.json"), path.join(dir, "tsconfig.json"));
  for (const [name, text] of Object.entries(SEEDERS)) writeFileSync(path.join(dir, `seeds/${name}.ts`), text);
  mkdirSync(path.join(dir, "seeds-plain/factories"), { recursive: true });
  for (const [name, text] of Object.entries(PLAIN_SEEDS)) writeFileSync(path.join(dir, `seeds-plain/${name}`), text);
  const configOf = (seedsDir: string) => {
    const file = path.join(dir, `autogen.${seedsDir}.json`);
    writeFileSync(file, JSON.stringify({ url, entities: ["entities/*.ts"], versionsDir: "versions", seedsDir }, null, 2));
    return file;
  };
  const config = configOf("seeds");
  const plainConfig = configOf("seeds-plain");
  await revision({ config, message: "models", autogenerate: true });
  await upgrade({ config, target: "head" });

  const figures: SeedFigure[] = [];
  for (const workload of workloads) {
    const count = counts(workload, rows);
    const total = count.users + count.posts + count.comments;
    process.env.AUTOGEN_BENCH_SEED_USERS = String(count.users);
    process.env.AUTOGEN_BENCH_SEED_POSTS = String(count.posts);
    process.env.AUTOGEN_BENCH_SEED_COMMENTS = String(count.comments);
    const ds = await connectDataSource(loadConfig({ config }));
    try {
      // DELETE, not TRUNCATE (SQLite has none), children first.
      const clear = async () => {
        for (const table of ["comments", "posts", "users"]) await ds.query(`DELETE FROM ${table}`);
      };
      await clear();
      const seeds = workload === "plain" ? plainConfig : config;
      const factoryMs = (await seed({ config: seeds, seeder: workload === "blog" ? "BlogSeeder" : "UsersSeeder", fakerSeed: 1 }))
        .seeders[0]!.ms;
      const fakerMs = (await seed({ config: seeds, seeder: "FakerOnlySeeder", fakerSeed: 1 })).seeders[0]!.ms;
      const written = await readBack(ds);
      const wrote = written.users.length + written.posts.length + written.comments.length;
      if (wrote !== total) throw new Error(`the factories wrote ${wrote} rows, expected ${total}`);

      await clear();
      const save = await timed(() => typeormWrite(ds, written, (repo, entities) => repo.save(entities)));
      await clear();
      const insert = await timed(() =>
        typeormWrite(ds, written, async (repo, entities) => {
          for (let at = 0; at < entities.length; at += INSERT_CHUNK) await repo.insert(entities.slice(at, at + INSERT_CHUNK));
        }),
      );
      const again = await readBack(ds);
      if (again.users.length + again.posts.length + again.comments.length !== total)
        throw new Error("TypeORM insert() did not write every row");
      const perSec = (ms: number) => (total / ms) * 1000;
      figures.push({
        dialect,
        workload,
        rows: total,
        factoryRowsPerSec: perSec(factoryMs),
        fakerRowsPerSec: perSec(fakerMs),
        saveRowsPerSec: perSec(save.ms),
        insertRowsPerSec: perSec(insert.ms),
      });
    } finally {
      await ds.destroy();
    }
  }
  return figures;
}

export async function benchSeeding(rows: number, workloads: readonly SeedWorkload[] = ["users", "blog"]): Promise<SeedFigure[]> {
  const figures: SeedFigure[] = [];
  for (const dialect of ["postgres", "sqlite"] as const) {
    const dir = path.join(REPO_ROOT, `.bench-seed-${process.pid}-${dialect}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    let drop: (() => Promise<void>) | undefined;
    try {
      let url = `sqlite:${path.join(dir, "seed.sqlite")}`;
      if (dialect === "postgres") {
        const db = await createPgDatabase();
        if ("unavailable" in db) continue;
        url = db.url;
        drop = db.drop;
      }
      figures.push(...(await seedOn(dialect, url, dir, rows, workloads)));
    } finally {
      await drop?.().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return figures;
}
