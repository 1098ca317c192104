/**
 * `npx autogen seed` runs this file: the chapter's Exercise 3 (100 users, 500 posts with
 * random categories and tags, 1000 comments) plus an admin account.
 *
 * Like the chapter's seed script it checks first whether the database already has
 * data, and leaves it alone if so: `npx autogen fresh --force --seed` starts over.
 */
import type { SeedContext } from "autogen";
import { User } from "../entities/User.js";

export default async function run({ manager, call, log }: SeedContext): Promise<void> {
  const users = await manager.count(User);
  if (users > 0) {
    log(`Database already seeded (${users} users); nothing to do. Run \`autogen fresh --force --seed\` to start over.`);
    return;
  }
  await call(["UserSeeder", "BlogSeeder"]);
}
