/**
 * The names of the supported databases (the registry in ./index.ts maps each to its
 * dialect). Kept apart from the registry so the Schema IR can name its dialect without
 * importing any dialect's code.
 */
export type DialectName = "postgres" | "sqlite";
