import { defineFactory } from "autogen";
import { User } from "../../entities/User.js";

export const UserFactory = defineFactory(User, (faker, { sequence }) => {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  return {
    // The sequence keeps the unique e-mail unique however often faker repeats a name.
    email: faker.internet.email({ firstName, lastName: `${lastName}${sequence}`, provider: "example.com" }).toLowerCase(),
    displayName: `${firstName} ${lastName}`,
    bio: faker.datatype.boolean(0.7) ? faker.lorem.sentences({ min: 1, max: 3 }) : null,
  };
});
