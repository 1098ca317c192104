import { defineFactory } from "autogen";
import { Post } from "../../entities/Post.js";

// No author here: a post needs a saved user, which the seeder passes in
// (`factory(Post).create({ author })`) or picks per row with `.state(…)`.
export const PostFactory = defineFactory(Post, (faker) => {
  const status = faker.helpers.weightedArrayElement([
    { weight: 6, value: "published" as const },
    { weight: 3, value: "draft" as const },
    { weight: 1, value: "archived" as const },
  ]);
  return {
    title: faker.lorem.sentence({ min: 3, max: 10 }).slice(0, 200),
    body: faker.lorem.paragraphs({ min: 2, max: 6 }),
    status,
    metadata: { readingMinutes: faker.number.int({ min: 1, max: 15 }), cover: faker.image.url() },
    viewCount: status === "published" ? faker.number.int({ min: 0, max: 5000 }) : 0,
  };
});
