/**
 * Which errors come from PostgreSQL or the `pg` driver: server errors carry a
 * `severity`; a lost connection is a Node system error (`syscall`, `ECONNRESET`).
 */
export function isDriverError(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  return "severity" in err || ("syscall" in err && typeof (err as { code?: unknown }).code === "string");
}
