/**
 * The real-project fixtures under fixtures/projects/<name>/ (each a small TypeORM
 * project with its own package.json, tsconfig and autogen.config.json), copied to a
 * temp directory per test so nothing is written into the repository.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ConfigFile } from "../../src/config/config.js";
import { createTempDir, type TempDir } from "./databases.js";
import { REPO_ROOT } from "./project.js";

export const PROJECTS_DIR = path.join(REPO_ROOT, "fixtures/projects");

export const FIXTURE_PROJECTS: string[] = readdirSync(PROJECTS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

export interface FixtureCopy {
  tmp: TempDir;
  /** The copied project's directory. */
  dir: string;
  config: string;
  /** The fixture's own autogen.config.json. */
  settings: ConfigFile;
  remove(): void;
}

/** Copies fixture `name` to a temp dir; `extra` is merged into its autogen.config.json. */
export function copyFixture(name: string, extra: ConfigFile = {}): FixtureCopy {
  const tmp = createTempDir(`autogen-fx-${name}-`);
  const dir = tmp.file(name);
  cpSync(path.join(PROJECTS_DIR, name), dir, { recursive: true });
  const config = path.join(dir, "autogen.config.json");
  const settings = JSON.parse(readFileSync(config, "utf8")) as ConfigFile;
  writeFileSync(config, JSON.stringify({ ...settings, ...extra }, null, 2));
  return { tmp, dir, config, settings, remove: () => tmp.remove() };
}
