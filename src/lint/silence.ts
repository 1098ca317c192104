/**
 * Silencing a lint rule for one op, in the revision file: a comment right above the op's
 * call, `// autogen-lint-ignore <rule> [<rule> …]`, in the block of comments directly
 * over it. Recorded ops are matched to the calls in the file's text in order, by method,
 * which is exact for the straight-line functions autogenerate writes.
 */
import type { Op } from "../ops/ops.js";
import { databaseOpKind } from "../ops/registry.js";

/** A comment that is the directive (not a sentence that mentions it). */
const DIRECTIVE = /^\s*(?:\/\/|\/\*|\*)\s*autogen-lint-ignore\s+([\w\s,-]+)/;

/** The Operations method that records an op of this kind. */
function methodOf(kind: Op["kind"]): string {
  const renamed: Partial<Record<Op["kind"], string>> = {
    createUnique: "createUniqueConstraint",
    dropUnique: "dropUniqueConstraint",
    createCheck: "createCheckConstraint",
    dropCheck: "dropCheckConstraint",
  };
  return renamed[kind] ?? databaseOpKind(kind)?.method ?? kind;
}

interface Call {
  method: string;
  line: number;
  ignored: Set<string>;
}

/** The body of `export [async] function <name>(` up to the next top-level `export`. */
function functionLines(lines: string[], name: string): Array<{ text: string; line: number }> {
  const start = lines.findIndex((l) => new RegExp(`^export\\s+(async\\s+)?function\\s+${name}\\b`).test(l));
  if (start < 0) return [];
  const out: Array<{ text: string; line: number }> = [];
  for (let i = start + 1; i < lines.length && !/^export\s/.test(lines[i]!); i++) out.push({ text: lines[i]!, line: i + 1 });
  return out;
}

function callsIn(body: Array<{ text: string; line: number }>): Call[] {
  const calls: Call[] = [];
  body.forEach(({ text, line }, i) => {
    for (const m of text.matchAll(/\bop\.(\w+)\s*\(/g)) {
      const ignored = new Set<string>();
      for (let j = i - 1; j >= 0 && /^\s*(\/\/|\*|\/\*)/.test(body[j]!.text); j--) {
        const d = DIRECTIVE.exec(body[j]!.text);
        if (d) for (const rule of d[1]!.split(/[\s,]+/).filter(Boolean)) ignored.add(rule);
      }
      const trailing = text.includes("//") ? DIRECTIVE.exec(text.slice(text.indexOf("//"))) : null;
      if (trailing) for (const rule of trailing[1]!.split(/[\s,]+/).filter(Boolean)) ignored.add(rule);
      calls.push({ method: m[1]!, line, ignored });
    }
  });
  return calls;
}

/** For each op of `direction`, its line in the file and the rules silenced for it (when its call is found). */
export function callSites(
  fileText: string,
  direction: "upgrade" | "downgrade",
  ops: readonly Op[],
): Array<{ line?: number; ignored: Set<string> }> {
  const calls = callsIn(functionLines(fileText.split(/\r?\n/), direction));
  let j = 0;
  return ops.map((op) => {
    const method = methodOf(op.kind);
    let k = j;
    while (k < calls.length && calls[k]!.method !== method) k++;
    if (k >= calls.length) return { ignored: new Set<string>() };
    j = k + 1;
    return { line: calls[k]!.line, ignored: calls[k]!.ignored };
  });
}
