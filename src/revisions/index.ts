/** The revision graph and everything computed from it: pure data, no I/O. */
export * from "./node.js";
export * from "./graph.js";
export * from "./resolve.js";
export * from "./paths.js";
export * from "./version-rows.js";
export * from "./stamp.js";
export * from "./describe.js";
export * from "./new-revision.js";
export * from "./scripts.js";
