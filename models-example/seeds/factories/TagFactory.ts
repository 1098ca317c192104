import { defineFactory } from "autogen";
import { Tag } from "../../entities/Tag.js";

export const TagFactory = defineFactory(Tag, (faker, { sequence }) => ({
  name: `${faker.word.noun({ length: { min: 3, max: 12 } })}-${sequence}`,
}));
