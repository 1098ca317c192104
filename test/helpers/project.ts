/**
 * A throwaway autogen project for integration tests: a temp directory with its own
 * autogen.config.json and versions directory, pointing at entity files in this repo
 * (fixtures/, read in place) or at a copy of models-example.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ConfigFile } from "../../src/config/config.js";
import { createTempDir, type TempDir } from "./databases.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * A copy of models-example as committed, made once per test file and removed when the
 * test process ends. The README's tutorial has the user edit models-example; tests read
 * the committed version (`git archive HEAD`), so a user halfway through the tutorial
 * still gets a passing `npm test`. Outside a git checkout the files on disk are copied.
 */
function copyOfModelsExample(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "autogen-models-example-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const archive = spawnSync("git", ["-C", REPO_ROOT, "archive", "--format=tar", "HEAD", "models-example"], { maxBuffer: 64 * 1024 * 1024 });
  if (archive.status === 0 && archive.stdout.length > 0) {
    const unpack = spawnSync("tar", ["-x", "-C", dir, "--strip-components=1"], { input: archive.stdout });
    if (unpack.status === 0) return dir;
  }
  cpSync(path.join(REPO_ROOT, "models-example"), dir, { recursive: true });
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
