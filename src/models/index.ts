export { readModels, readModelSet } from "./read.js";
export type { ModelSet, ReadModelsOptions } from "./read.js";
export { postgresEnumName } from "./columns.js";
