/**
 * A throwaway autogen project for integration tests: a temp directory with its own
 * autogen.config.json and versions directory, pointing at entity files in this repo
 * (fixtures/, read in place) or at a copy of models-example.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ConfigFile } from "../../src/config/config.js";
import { createTempDir, type TempDir } from "./databases.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * A copy of models-example made once per test file, removed when the test process ends.
 * The README's tutorial has the user edit models-example; tests read the copy, so a user
 * halfway through the tutorial still gets a passing `npm test`. (The copy is taken when
 * the test file starts: an edit made while the tests run is not seen either.)
 */
function copyOfModelsExample(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "autogen-models-example-"));
  cpSync(path.join(REPO_ROOT, "models-example"), dir, { recursive: true });
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The copy of models-example (entities/, seeds/, data-source.ts, tsconfig.json). */
export const MODELS_EXAMPLE_DIR = copyOfModelsExample();
/** Its entity glob, for a config's `entities`. */
export const MODELS_EXAMPLE = path.join(MODELS_EXAMPLE_DIR, "entities/*.ts");
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
