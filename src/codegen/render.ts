/**
 * `renderRevision`: the default way a revision file is written — built with ts-morph,
 * formatted with the user's prettier configuration.
 */
import { buildRevision } from "./build.js";
import { formatTypeScript, indentWidth, resolveFormatOptions } from "./format.js";
import type { RevisionFileInput } from "./types.js";

export async function renderRevision(input: RevisionFileInput): Promise<string> {
  const options = await resolveFormatOptions(input.prettierConfigFrom);
  const built = buildRevision(input, { indent: indentWidth(options) });
  return formatTypeScript(built.text, options);
}
