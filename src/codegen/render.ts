/**
 * `renderRevision`: the default way a revision file is written — built with ts-morph,
 * formatted with the user's prettier configuration.
 */
import { buildRevision } from "./build.js";
import { formatRevisionText } from "./fast-format.js";
import { indentWidth, resolveFormatOptions } from "./format.js";
import type { RevisionFileInput } from "./types.js";

export async function renderRevision(input: RevisionFileInput): Promise<string> {
  const options = await resolveFormatOptions(input.prettierConfigFrom);
  const built = buildRevision(input, { indent: indentWidth(options) });
  return formatRevisionText(built.frame, built.statements, options);
}
