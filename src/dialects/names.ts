/**
 * The names of the supported databases (the registry in ./index.ts maps each to its
 * dialect). Kept apart from the registry so the Schema IR and the config schema can
 * name them without importing any dialect's code.
 */
export const DIALECT_NAMES = ["postgres", "sqlite", "mysql"] as const;

export type DialectName = (typeof DIALECT_NAMES)[number];
