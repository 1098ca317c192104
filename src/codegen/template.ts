/**
 * User-editable revision templates (templates/revision.ts.tmpl is the default, copied by
 * `init` into a project's versions directory as `script.ts.tmpl`).
 *
 * Deliberately simple: `##` lines are template comments, `${name}` placeholders are
 * replaced by text that the ts-morph build (./build.ts) produced, and prettier formats
 * the result. Filling the default template gives the same bytes as `renderRevision`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UserError } from "../errors.js";
import { buildRevision, type RevisionFragments } from "./build.js";
import { formatRevisionText } from "./fast-format.js";
import { indentWidth, resolveFormatOptions } from "./format.js";
import type { RevisionFileInput } from "./types.js";

export type TemplatePlaceholder = keyof RevisionFragments;

export const TEMPLATE_PLACEHOLDERS: readonly TemplatePlaceholder[] = [
  "header",
  "imports",
  "exports",
  "upgrades",
  "downgrades",
  "revision",
  "downRevision",
  "message",
  "createdAt",
  "async",
  "returnType",
];

/** Without these a template would silently drop the generated ops. */
const REQUIRED_PLACEHOLDERS: readonly TemplatePlaceholder[] = ["upgrades", "downgrades"];

/** The file name `init` gives the project's copy of the template, inside the versions directory. */
export const PROJECT_TEMPLATE_FILE = "script.ts.tmpl";

/** Absolute path of the default template shipped with autogen (works from src/ and dist/). */
export function defaultTemplatePath(): string {
  return fileURLToPath(new URL("../../templates/revision.ts.tmpl", import.meta.url));
}

export function readDefaultTemplate(): string {
  return readFileSync(defaultTemplatePath(), "utf8");
}

const COMMENT_LINE = /^##.*(?:\r?\n|$)/gm;
const PLACEHOLDER = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/** Replaces placeholders in `templateText`; `templateName` only labels error messages. */
export function fillTemplate(
  templateText: string,
  values: Record<TemplatePlaceholder, string>,
  templateName = "revision template",
): string {
  // Blank out comment lines first so that line numbers in errors still match the file.
  const text = templateText.replace(COMMENT_LINE, (line) => (line.endsWith("\n") ? "\n" : ""));
  const seen = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (match, name: string | undefined, offset: number) => {
    if (name === undefined) return "${";
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new UserError(
        `${templateName}:${lineAt(text, offset)}: unknown placeholder ${match} (known: ${TEMPLATE_PLACEHOLDERS.join(", ")}; write $\${ for a literal "\${")`,
      );
    }
    seen.add(name);
    return values[name as TemplatePlaceholder];
  });
  const missing = REQUIRED_PLACEHOLDERS.filter((p) => !seen.has(p));
  if (missing.length > 0) {
    throw new UserError(`${templateName}: missing placeholder ${missing.map((p) => `\${${p}}`).join(" and ")}`);
  }
  return filled;
}

/** Renders a revision through a (project's own) template. */
export async function renderFromTemplate(
  templateText: string,
  input: RevisionFileInput,
  templateName = "revision template",
): Promise<string> {
  const options = await resolveFormatOptions(input.prettierConfigFrom);
  const built = buildRevision(input, { indent: indentWidth(options) });
  // The bodies stay placeholders in the template's text, so prettier formats only the frame.
  const filled = fillTemplate(templateText, built.frameFragments, templateName);
  return formatRevisionText(filled, built.statements, options, `revision from ${templateName}`);
}
