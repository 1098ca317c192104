/**
 * The comments a reviewer reads in a revision: `// autogen: …` findings next to the op
 * they concern, and the JSDoc header (message, revision ids, creation time, findings
 * that concern no single op).
 */
import type { Finding } from "../diff/types.js";
import { splitLines } from "./literals.js";

/** Comment lines are wrapped to this many columns, indentation included. */
export const COMMENT_WIDTH = 100;

const FIRST_PREFIX = "autogen: ";
const CONTINUATION_PREFIX = "  ";

/** Greedy word wrap; a word longer than `width` stays whole on its own line. */
export function wrapWords(text: string, width: number): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * A finding as text lines without comment markers: the first starts with `autogen: `,
 * the rest are indented under it. The hint is appended when the message does not
 * already say it, so the reviewer always sees how to confirm.
 */
export function findingLines(finding: Finding, width: number): string[] {
  const paragraphs = splitLines(finding.message);
  if (finding.hint && !finding.message.includes(finding.hint)) paragraphs.push(`To confirm, run again with ${finding.hint}`);
  const out: string[] = [];
  for (const paragraph of paragraphs) {
    const first = out.length === 0;
    const wrapped = wrapWords(paragraph, Math.max(20, width - (first ? FIRST_PREFIX : CONTINUATION_PREFIX).length));
    wrapped.forEach((line, i) => out.push(`${first && i === 0 ? FIRST_PREFIX : CONTINUATION_PREFIX}${line}`.trimEnd()));
  }
  return out;
}

/** `//` comment lines for the findings of one op, for a statement indented by `indent` columns. */
export function findingComments(findings: readonly Finding[], indent: number): string[] {
  const width = COMMENT_WIDTH - indent - "// ".length;
  return findings.flatMap((f) => findingLines(f, width).map((line) => (line ? `// ${line}` : "//")));
}

/** Text that cannot end the JSDoc block it is written into. */
function jsDocSafe(line: string): string {
  return line.replace(/\*\//g, "*\\/");
}

export interface HeaderFields {
  message: string;
  revision: string;
  downRevision: string | string[] | null;
  dependsOn?: string[];
  branchLabels?: string[];
  createdAt: Date;
  /** Findings that concern no single op. */
  findings: readonly Finding[];
  /** Why the downgrade cannot be generated, when it cannot. */
  irreversible?: string;
}

export function formatRevises(downRevision: string | string[] | null): string {
  if (downRevision === null) return "(base)";
  return typeof downRevision === "string" ? downRevision : downRevision.join(", ");
}

/** The JSDoc block at the top of a revision file. */
export function headerComment(h: HeaderFields): string {
  const lines: string[] = [];
  const message = h.message.trim();
  if (message) lines.push(...splitLines(message).map((l) => l.trimEnd()), "");
  const fields: [label: string, value: string][] = [
    ["Revision:", h.revision],
    ["Revises:", formatRevises(h.downRevision)],
  ];
  if (h.dependsOn?.length) fields.push(["Depends on:", h.dependsOn.join(", ")]);
  if (h.branchLabels?.length) fields.push(["Branch labels:", h.branchLabels.join(", ")]);
  fields.push(["Created:", h.createdAt.toISOString()]);
  const labelWidth = Math.max(...fields.map(([label]) => label.length)) + 1;
  for (const [label, value] of fields) lines.push(`${label.padEnd(labelWidth)}${value}`);
  if (h.irreversible !== undefined) {
    lines.push("", "IRREVERSIBLE: downgrade() throws; this revision cannot be undone automatically.");
  }
  if (h.findings.length > 0) {
    lines.push("");
    for (const f of h.findings) lines.push(...findingLines(f, COMMENT_WIDTH - " * ".length));
  }
  const body = lines.map((l) => (l ? ` * ${jsDocSafe(l)}` : " *"));
  return ["/**", ...body, " */"].join("\n");
}
