/**
 * A throwaway autogen project for integration tests: a temp directory with its own
 * autogen.config.json and versions directory, pointing at entity files in this repo.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ConfigFile } from "../../src/config/config.js";
import { createTempDir, type TempDir } from "./databases.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const MODELS_EXAMPLE = path.join(REPO_ROOT, "models-example/entities/*.ts");
export const fixtureEntities = (name: string) => path.join(REPO_ROOT, "fixtures/entities", name, "*.ts");

export interface TestProject {
  dir: TempDir;
  config: string;
  /** Rewrites the config (e.g. to point at other entities). */
  write(config: ConfigFile): void;
  remove(): void;
}

export function createProject(config: ConfigFile): TestProject {
  const dir = createTempDir("autogen-project-");
  const file = dir.file("autogen.config.json");
  const write = (c: ConfigFile) => writeFileSync(file, JSON.stringify({ versionsDir: "versions", ...c }, null, 2));
  write(config);
  return { dir, config: file, write, remove: () => dir.remove() };
}
