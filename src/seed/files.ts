/**
 * The seeds directory on disk: seeder files (`<seedsDir>/<Name>.ts`, one `run` function
 * each) and factory files (`<seedsDir>/factories/*.ts`). Finding and loading them is
 * kept apart from running them, so every file mistake is reported before the database
 * is touched.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.js";
import { loadModule } from "../load/typescript.js";
import type { SeedContext } from "./context.js";
import { isFactoryDefinition, type FactoryDefinition } from "./factory.js";

/** Laravel's default seeder. */
export const DEFAULT_SEEDER = "DatabaseSeeder";

/** Preferred first: the TypeScript source over a compiled copy next to it. */
const MODULE_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];

export type SeederFunction = (ctx: SeedContext) => unknown;

function isModuleFile(name: string): boolean {
  return MODULE_EXTENSIONS.includes(path.extname(name)) && !/\.d\.[mc]?ts$/.test(name);
}

function isDirectory(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}

/** Throws unless the seeds directory exists; `configFile` says where it was configured. */
export function assertSeedsDir(seedsDir: string, configFile?: string): void {
  if (isDirectory(seedsDir)) return;
  const where = configFile ? `set "seedsDir" in ${configFile}` : `set "seedsDir" in autogen.config.json`;
  throw new UserError(`seeds directory not found: ${seedsDir} (create it, or ${where})`);
}

/** Seeder names in the directory (file names without extension), for error messages. */
function availableSeeders(seedsDir: string): string[] {
  const names = readdirSync(seedsDir, { withFileTypes: true })
    .filter((e) => e.isFile() && isModuleFile(e.name))
    .map((e) => e.name.slice(0, -path.extname(e.name).length));
  return [...new Set(names)].sort();
}

/** `DatabaseSeeder` -> `<seedsDir>/DatabaseSeeder.ts` (or `.js`, …); `Name.ts` is taken as given. */
export function findSeederFile(seedsDir: string, name: string): string {
  if (name.trim() === "") throw new UserError(`seeder name is empty (expected a file name in ${seedsDir}, e.g. ${DEFAULT_SEEDER})`);
  const given = path.resolve(seedsDir, name);
  const candidates = MODULE_EXTENSIONS.includes(path.extname(name)) ? [given] : MODULE_EXTENSIONS.map((ext) => given + ext);
  const found = candidates.find((file) => existsSync(file) && statSync(file).isFile());
  if (found) return found;
  const available = availableSeeders(seedsDir);
  throw new UserError(
    `seeder "${name}" not found: no ${path.basename(given)}.ts or .js in ${seedsDir} (available: ${available.length ? available.join(", ") : "none"})`,
  );
}

/** The seeder's `run`: its default export, or an export named `run`. */
export function loadSeeder(file: string): SeederFunction {
  const exports = loadModule(file);
  const run = typeof exports.default === "function" ? exports.default : exports.run;
  if (typeof run !== "function") {
    throw new UserError(
      `${file}: exports no run function (write \`export default async function run(ctx: SeedContext)\` or \`export async function run(ctx)\`)`,
    );
  }
  return run as SeederFunction;
}

/** Loads every `<seedsDir>/factories/*` module; returns the factory definitions they export, by entity. */
export function loadFactoryFiles(seedsDir: string): Map<unknown, FactoryDefinition<unknown>> {
  const factories = new Map<unknown, FactoryDefinition<unknown>>();
  const dir = path.join(seedsDir, "factories");
  if (!isDirectory(dir)) return factories;
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && isModuleFile(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
  for (const file of files) {
    for (const value of Object.values(loadModule(file))) {
      if (isFactoryDefinition(value)) factories.set(value.target, value);
    }
  }
  return factories;
}

/** A seeder's display name: its file name without the extension. */
export function seederName(file: string): string {
  return path.basename(file, path.extname(file));
}
