/**
 * Emitted CommonJS runs inside Node's module wrapper, whose parameters include
 * `__filename` and `__dirname`. ES-module sources may declare those names themselves
 * (`const __filename = fileURLToPath(import.meta.url)`, the usual idiom), which in the
 * wrapper's own scope is a redeclaration and a SyntaxError. Such code is run one
 * function deeper, where the names are free to declare, and `import.meta` reads the
 * module's file from parameters of ours that user code cannot shadow.
 */
export const FILENAME = "__autogen_filename";
export const DIRNAME = "__autogen_dirname";

const DECLARES_WRAPPER_NAME = /\b(?:const|let|var|function|class)\s+__(?:file|dir)name\b/;

/** `code` (CommonJS, import.meta already rewritten to FILENAME/DIRNAME) ready for Node's wrapper. */
export function scopedForWrapper(code: string): string {
  if (!code.includes(FILENAME) && !code.includes(DIRNAME) && !DECLARES_WRAPPER_NAME.test(code)) return code;
  // Kept on the first line, so every other line and its source mapping stays where it was.
  const head = `(function (exports, require, module, ${FILENAME}, ${DIRNAME}) {`;
  const tail = `\n}).call(this, exports, require, module, __filename, __dirname);`;
  const sourceMap = /\n\/\/# sourceMappingURL=[^\n]*\s*$/.exec(code);
  if (!sourceMap) return head + code + tail;
  return head + code.slice(0, sourceMap.index) + tail + code.slice(sourceMap.index);
}

/**
 * Rewrites `import.meta.url`/`.dirname`/`.filename` in CommonJS output to what they
 * mean for this module, then scopes the code (see above). Any other use of
 * `import.meta` is left alone and fails loudly when evaluated.
 */
export function rewriteImportMeta(code: string): string {
  const rewritten = !code.includes("import.meta")
    ? code
    : code
        .replace(/\bimport\.meta\.dirname\b/g, DIRNAME)
        .replace(/\bimport\.meta\.filename\b/g, FILENAME)
        .replace(/\bimport\.meta\.url\b/g, `require("node:url").pathToFileURL(${FILENAME}).href`);
  return scopedForWrapper(rewritten);
}
