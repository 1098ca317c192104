export { readModels, readModelSet, resolveSource as resolveModelSource } from "./read.js";
export type { ModelSet, ReadModelsOptions } from "./read.js";
export type { ModelSource } from "./sources.js";
