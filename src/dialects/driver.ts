/**
 * Database drivers are optional peer dependencies (as in TypeORM): a PostgreSQL project
 * installs `pg` and never builds `sqlite3`. Each dialect therefore imports its driver
 * only when it connects, through here, so a missing one is a one-line error naming the
 * package to install instead of a crash at start-up (the registry imports every dialect).
 */
import { UserError } from "../errors.js";

/** Node's codes for "no such package" from `import()` (ESM) and `require()` (CJS). */
const NOT_FOUND = new Set(["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND"]);

/**
 * True when `err` says `pkg` itself cannot be found (not one of its own dependencies
 * missing, nor its native build failing: those keep their own message).
 */
export function isPackageMissing(err: unknown, pkg: string): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e.code !== "string" || !NOT_FOUND.has(e.code)) return false;
  const message = typeof e.message === "string" ? e.message : "";
  return message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`);
}

/** The error for a URL whose driver is not installed. */
export function missingDriverError(pkg: string, database: string): UserError {
  return new UserError(`a ${database} URL needs the "${pkg}" package, which is not installed: run \`npm install ${pkg}\``);
}

/**
 * `import(pkg)`'s default export (the CommonJS module object for these drivers), or a
 * UserError naming the package when it is not installed. `load` does the import so
 * that the specifier stays a literal TypeScript can type.
 */
export async function importDriver<T>(pkg: string, database: string, load: () => Promise<{ default: T }>): Promise<T> {
  try {
    return (await load()).default;
  } catch (err) {
    if (isPackageMissing(err, pkg)) throw missingDriverError(pkg, database);
    throw err;
  }
}
