import { defineFactory } from "autogen";
import { Category } from "../../entities/Category.js";

export const CategoryFactory = defineFactory(Category, (faker, { sequence }) => ({
  name: `${faker.commerce.department()} ${sequence}`,
  description: faker.datatype.boolean(0.8) ? faker.lorem.sentence() : null,
}));
