/**
 * Which errors come from MySQL/MariaDB or the `mysql2` driver: server errors carry an
 * `sqlState` (and a code such as ER_NO_SUCH_TABLE); a lost connection is a Node system
 * error (`syscall`) or one mysql2 marks `fatal`.
 */
export function isDriverError(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  return "sqlState" in err || "fatal" in err || ("syscall" in err && typeof (err as { code?: unknown }).code === "string");
}
