/**
 * Categories, tags, 500 posts (each with a random author, category and 0–4 tags) and
 * 1000 comments on random posts. Needs users: it runs UserSeeder first when there are
 * none (`ctx.call` runs a seeder at most once, so DatabaseSeeder calling both is fine).
 */
import type { SeedContext } from "autogen";
import { Category } from "../entities/Category.js";
import { Comment } from "../entities/Comment.js";
import { Post } from "../entities/Post.js";
import { Tag } from "../entities/Tag.js";
import { User } from "../entities/User.js";

export default async function run({ manager, factory, call }: SeedContext): Promise<void> {
  if ((await manager.count(User)) === 0) await call("UserSeeder");
  const users = await manager.find(User, { order: { id: "ASC" } });

  const categories = await factory(Category).count(10).create();
  const tags = await factory(Tag).count(30).create();

  const posts = await factory(Post)
    .count(500)
    .state((faker) => ({
      author: faker.helpers.arrayElement(users),
      // One post in ten is left uncategorised (the column is nullable).
      category: faker.datatype.boolean(0.9) ? faker.helpers.arrayElement(categories) : null,
      tags: faker.helpers.arrayElements(tags, { min: 0, max: 4 }),
    }))
    .create();

  await factory(Comment)
    .count(1000)
    .state((faker) => ({
      post: faker.helpers.arrayElement(posts),
      // Some comments are anonymous (a deleted account's, in the real app).
      author: faker.datatype.boolean(0.95) ? faker.helpers.arrayElement(users) : null,
    }))
    .create();
}
