import { defineFactory } from "autogen";
import { Comment } from "../../entities/Comment.js";

// The post (and usually the author) comes from the seeder.
export const CommentFactory = defineFactory(Comment, (faker) => ({
  body: faker.lorem.sentences({ min: 1, max: 4 }),
}));
