/** The revision writer: Op[] + findings → a formatted revision file. */
export { buildRevision, EMPTY_BODY_COMMENT, type BuiltRevision, type RevisionFragments } from "./build.js";
export * from "./names.js";
export { recordedForm, renderOpCall } from "./opCalls.js";
export * from "./render.js";
export * from "./template.js";
export * from "./types.js";
