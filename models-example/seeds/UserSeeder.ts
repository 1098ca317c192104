/** The admin account (a fixed e-mail, to log in with) and 100 users made up by faker. */
import type { SeedContext } from "autogen";
import { User } from "../entities/User.js";

export const ADMIN_EMAIL = "admin@example.com";

export default async function run({ factory }: SeedContext): Promise<void> {
  await factory(User).create({ email: ADMIN_EMAIL, displayName: "Admin", bio: "Runs the place." });
  await factory(User).count(100).create();
}
