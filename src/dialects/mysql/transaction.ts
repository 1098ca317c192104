/**
 * One revision on MySQL/MariaDB: DDL commits implicitly, so there is no transaction to
 * open; every statement takes effect when it runs and the version row is written after
 * the revision's last statement (capabilities.transactionalDDL is false, and the runner
 * reports which statements ran when one fails).
 */
export const beginTransaction = (): string[] => [];
export const commitTransaction = (): string[] => [];
export const rollbackTransaction = (): string[] => [];
