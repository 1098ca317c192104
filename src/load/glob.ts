/**
 * `entities` globs, resolved exactly as TypeORM resolves its DataSource's `entities`
 * strings: each pattern on its own through tinyglobby's `globSync` with its defaults
 * (no dot files, directories expanded, braces and extglobs on), after `path.normalize`
 * — see TypeORM's `importClassesFromDirectories`. Only the directory patterns are
 * relative to differs: TypeORM uses the working directory, autogen the config file's
 * directory (the caller passes it).
 *
 * Consequences users see in both tools alike: a pattern starting with `!` is a pattern
 * of its own and matches nothing (it cannot subtract another pattern's files), and
 * `src/entities` (a directory) matches every file under it.
 *
 * A backslash is refused: on Windows TypeORM turns it into `/`, elsewhere tinyglobby
 * reads it as an escape, so one config file would match different files per machine.
 */
import path from "node:path";
import { globSync } from "tinyglobby";
import { UserError } from "../errors.js";

function checkPattern(pattern: string): void {
  if (pattern.includes("\\")) {
    throw new UserError(
      `entities pattern "${pattern}": backslashes are not path separators in globs; write "${pattern.replace(/\\/g, "/")}"`,
    );
  }
}

/** Files matching any of `patterns` (relative to `baseDir`), absolute and sorted, without duplicates. */
export function expandGlobs(patterns: readonly string[], baseDir: string): string[] {
  const out = new Set<string>();
  for (const pattern of patterns) {
    checkPattern(pattern);
    for (const file of globSync(path.normalize(pattern), { cwd: baseDir, absolute: true })) out.add(path.resolve(file));
  }
  return [...out].sort();
}
