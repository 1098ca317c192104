/** Which errors come from SQLite: the `sqlite3` driver's codes start with SQLITE_. */
export function isDriverError(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_");
}
