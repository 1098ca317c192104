/** One revision's transaction on PostgreSQL: DDL is transactional, nothing else to toggle. */
export const beginTransaction = (): string[] => ["BEGIN"];
export const commitTransaction = (): string[] => ["COMMIT"];
export const rollbackTransaction = (): string[] => ["ROLLBACK"];
