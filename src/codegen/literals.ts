/**
 * TypeScript source text for plain values, as they appear in a revision file's op calls.
 *
 * Every string an op carries (names, SQL, default expressions such as `'draft'`) must
 * come back byte-identical when the file is evaluated, so escaping lives here, in one
 * place, and the round-trip tests exercise it.
 */

/** Characters after which JavaScript ends a line, even inside a `//` comment. */
const LINE_TERMINATORS = /\r\n|\r|\n|\u2028|\u2029/;

export function splitLines(text: string): string[] {
  return text.split(LINE_TERMINATORS);
}

/**
 * A double-quoted literal. JSON's escaping is valid TypeScript; U+2028/U+2029 are
 * escaped too because older parsers and many editors treat them as line breaks.
 */
function quotedLiteral(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * A template literal that keeps multi-line SQL readable. Backslashes, backticks and
 * `${` are escaped so the cooked value equals `value`; CR and other control characters
 * (except tab and LF) are escaped because a raw CR in a template is normalised to LF.
 */
function templateLiteral(value: string): string {
  const body = value.replace(/[\\`]|\$\{|[\u0000-\u0008\u000b-\u001f\u2028\u2029]/g, (ch) => {
    if (ch === "\\") return "\\\\";
    if (ch === "`") return "\\`";
    if (ch === "${") return "\\${";
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `\`${body}\``;
}

/** Single-line strings as `"…"`; strings with line breaks as a template literal. */
export function stringLiteral(value: string): string {
  return value.includes("\n") ? templateLiteral(value) : quotedLiteral(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : quotedLiteral(key);
}

/** Source text of a JSON-like value; `undefined` renders as `undefined` (only used in `{ from, to }` pairs). */
export function valueLiteral(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot write the non-finite number ${value} into a revision file`);
    return Object.is(value, -0) ? "-0" : String(value);
  }
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return arrayLiteral(value.map(valueLiteral));
  if (typeof value === "object") return objectLiteral(orderedEntries(value as Record<string, unknown>, []));
  throw new Error(`cannot write a ${typeof value} into a revision file`);
}

export function arrayLiteral(items: string[]): string {
  return `[${items.join(", ")}]`;
}

/** `[key, source text]` pairs; a pair whose text is undefined is left out. */
export type Entry = readonly [key: string, text: string | undefined];

export function objectLiteral(entries: readonly Entry[]): string {
  const parts = entries.filter((e): e is readonly [string, string] => e[1] !== undefined);
  if (parts.length === 0) return "{}";
  return `{ ${parts.map(([k, v]) => `${propertyKey(k)}: ${v}`).join(", ")} }`;
}

/**
 * Entries of `value` with the keys of `order` first (in that order), then any other
 * key in its own order, so a field added to the IR later is still written, not lost.
 * Keys whose value is undefined are omitted.
 */
export function orderedEntries(
  value: Record<string, unknown>,
  order: readonly string[],
  render: (key: string, v: unknown) => string = (_k, v) => valueLiteral(v),
): Entry[] {
  const keys = [...order.filter((k) => k in value), ...Object.keys(value).filter((k) => !order.includes(k))];
  return keys.filter((k) => value[k] !== undefined).map((k) => [k, render(k, value[k])] as const);
}
