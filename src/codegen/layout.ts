/**
 * Lays out `op.*(…)` call statements exactly as prettier would, without running prettier.
 *
 * Why: prettier parses and prints a 2,000-table revision (5 MB) in tens of seconds, and
 * almost all of that is op calls, a tiny grammar — a call whose arguments are string,
 * number, boolean, null/undefined, array and object literals. For that grammar this
 * module builds the same layout description prettier's JavaScript printer builds (groups
 * that break together, indentation, "hug the last argument", break-after-colon for long
 * strings) and prints it with the same fitting algorithm (a Wadler-style printer).
 *
 * It is only used where it is known to agree: options it does not model (plugins, tabs,
 * no semicolons, …) make `layoutSupported` false and the caller runs prettier; a
 * statement outside the grammar (a multi-line template literal, non-ASCII text whose
 * display width differs) makes `layoutStatement` return undefined, and that statement
 * goes through prettier. test/scale-writer.test.ts compares this with prettier itself
 * over many generated statements and option sets.
 */
import type { FormatOptions } from "./format.js";

// ---------------------------------------------------------------------------------
// The statement grammar: what renderOpCall (./opCalls.ts) writes.

type Node =
  | { kind: "string"; raw: string }
  | { kind: "atom"; text: string }
  | { kind: "array"; items: Node[] }
  | { kind: "object"; entries: { key: string; value: Node }[] };

interface Call {
  callee: string;
  args: Node[];
}

const IDENT = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?(?![0-9eE.xXn_])/y;
const STRING = /"(?:[^"\\\n\r\u2028\u2029]|\\.)*"/y;
const SPACE = /\s*/y;

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  private skip(): void {
    SPACE.lastIndex = this.at;
    SPACE.exec(this.text);
    this.at = SPACE.lastIndex;
  }

  private match(re: RegExp): string | undefined {
    this.skip();
    re.lastIndex = this.at;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.at = re.lastIndex;
    return m[0];
  }

  private eat(punct: string): boolean {
    this.skip();
    if (this.text.startsWith(punct, this.at)) {
      this.at += punct.length;
      return true;
    }
    return false;
  }

  private expect(punct: string): void {
    if (!this.eat(punct)) throw new Declined();
  }

  call(): Call {
    const object = this.match(IDENT);
    this.expect(".");
    const method = this.match(IDENT);
    if (object === undefined || method === undefined) throw new Declined();
    this.expect("(");
    const args = this.list(")");
    this.expect(";");
    this.skip();
    if (this.at !== this.text.length) throw new Declined();
    return { callee: `${object}.${method}`, args };
  }

  private list(close: string): Node[] {
    const items: Node[] = [];
    while (!this.eat(close)) {
      if (items.length > 0) this.expect(",");
      if (this.eat(close)) break;
      items.push(this.value());
    }
    return items;
  }

  private value(): Node {
    const string = this.match(STRING);
    if (string !== undefined) return { kind: "string", raw: string };
    const number = this.match(NUMBER);
    if (number !== undefined) return { kind: "atom", text: number };
    if (this.eat("[")) return { kind: "array", items: this.list("]") };
    if (this.eat("{")) {
      const entries: { key: string; value: Node }[] = [];
      while (!this.eat("}")) {
        if (entries.length > 0) this.expect(",");
        if (this.eat("}")) break;
        const key = this.match(IDENT);
        if (key === undefined) throw new Declined();
        this.expect(":");
        entries.push({ key, value: this.value() });
      }
      return { kind: "object", entries };
    }
    const word = this.match(IDENT);
    if (word === "undefined" || word === "null" || word === "true" || word === "false") return { kind: "atom", text: word };
    throw new Declined();
  }
}

/** Thrown inside the parser for anything outside the grammar. */
class Declined extends Error {}

// ---------------------------------------------------------------------------------
// Layout documents and the printer (the semantics of prettier's doc printer).

type Doc = string | Doc[] | Group | Indent | Line | IfBreak | IndentIfBreak;
interface Group {
  t: "group";
  contents: Doc;
  broken: boolean;
  /** Alternatives tried in order when the group does not fit flat (prettier's conditionalGroup). */
  states?: Doc[];
  id?: symbol;
}
interface Indent {
  t: "indent";
  contents: Doc;
}
interface Line {
  t: "line";
  soft: boolean;
}
interface IfBreak {
  t: "ifBreak";
  broken: Doc;
  flat: Doc;
}
interface IndentIfBreak {
  t: "indentIfBreak";
  contents: Doc;
  groupId: symbol;
}

const line: Line = { t: "line", soft: false };
const softline: Line = { t: "line", soft: true };
const group = (contents: Doc, broken = false, id?: symbol): Group => ({ t: "group", contents, broken, ...(id ? { id } : {}) });
const indent = (contents: Doc): Indent => ({ t: "indent", contents });
const ifBreak = (broken: Doc, flat: Doc = ""): IfBreak => ({ t: "ifBreak", broken, flat });

function join(separator: Doc, docs: Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) out.push(separator);
    out.push(d);
  });
  return out;
}

/** Whether the doc contains a group that must break (prettier's willBreak). */
function willBreak(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) return doc.some(willBreak);
  switch (doc.t) {
    case "group":
      return doc.broken || willBreak(doc.contents);
    case "indent":
    case "indentIfBreak":
      return willBreak(doc.contents);
    case "ifBreak":
      return willBreak(doc.broken) || willBreak(doc.flat);
    default:
      return false;
  }
}

/**
 * A group holding a broken group breaks too, except a group with alternatives (which
 * picks one of them instead). Returns whether `doc` holds a broken group.
 */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) {
    let any = false;
    for (const d of doc) if (propagateBreaks(d)) any = true;
    return any;
  }
  switch (doc.t) {
    case "group": {
      if (doc.states) {
        // Each state is walked for its own groups; the chosen state decides this one.
        for (const s of doc.states) propagateBreaks(s);
        return doc.broken;
      }
      if (propagateBreaks(doc.contents)) doc.broken = true;
      return doc.broken;
    }
    case "indent":
    case "indentIfBreak":
      return propagateBreaks(doc.contents);
    case "ifBreak": {
      const a = propagateBreaks(doc.broken);
      const b = propagateBreaks(doc.flat);
      return a || b;
    }
    default:
      return false;
  }
}

const FLAT = 0;
const BREAK = 1;
type Mode = typeof FLAT | typeof BREAK;
interface Command {
  indent: string;
  mode: Mode;
  doc: Doc;
}

/** Whether `next`, then the rest of the line from `rest`, fits in `width` columns. */
function fits(next: Command, rest: Command[], width: number): boolean {
  let restIndex = rest.length;
  const stack: { mode: Mode; doc: Doc }[] = [next];
  while (width >= 0) {
    const top = stack.pop();
    if (top === undefined) {
      if (restIndex === 0) return true;
      stack.push(rest[--restIndex]!);
      continue;
    }
    const { mode, doc } = top;
    if (typeof doc === "string") {
      width -= doc.length;
      continue;
    }
    if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) stack.push({ mode, doc: doc[i]! });
      continue;
    }
    switch (doc.t) {
      case "indent":
      case "indentIfBreak":
        stack.push({ mode, doc: doc.contents });
        break;
      case "group": {
        const groupMode = doc.broken ? BREAK : mode;
        const contents = doc.states && groupMode === BREAK ? doc.states[doc.states.length - 1]! : doc.contents;
        stack.push({ mode: groupMode, doc: contents });
        break;
      }
      case "ifBreak":
        stack.push({ mode, doc: mode === BREAK ? doc.broken : doc.flat });
        break;
      case "line":
        if (mode === BREAK) return true;
        if (!doc.soft) width -= 1;
        break;
    }
  }
  return false;
}

function printDoc(doc: Doc, width: number, startIndent: string, unit: string): string {
  const out: string[] = [];
  let pos = startIndent.length;
  const modes = new Map<symbol, Mode>();
  const commands: Command[] = [{ indent: startIndent, mode: BREAK, doc }];
  while (commands.length > 0) {
    const { indent: ind, mode, doc: d } = commands.pop()!;
    if (typeof d === "string") {
      out.push(d);
      pos += d.length;
      continue;
    }
    if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) commands.push({ indent: ind, mode, doc: d[i]! });
      continue;
    }
    switch (d.t) {
      case "indent":
        commands.push({ indent: ind + unit, mode, doc: d.contents });
        break;
      case "indentIfBreak":
        commands.push({ indent: modes.get(d.groupId) === BREAK ? ind + unit : ind, mode, doc: d.contents });
        break;
      case "ifBreak":
        commands.push({ indent: ind, mode, doc: mode === BREAK ? d.broken : d.flat });
        break;
      case "line":
        if (mode === FLAT) {
          if (!d.soft) {
            out.push(" ");
            pos += 1;
          }
        } else {
          // Trailing spaces are trimmed before a line break, as prettier does.
          while (out.length > 0 && / +$/.test(out[out.length - 1]!)) {
            const last = out.pop()!.replace(/ +$/, "");
            if (last) {
              out.push(last);
              break;
            }
          }
          out.push("\n" + ind);
          pos = ind.length;
        }
        break;
      case "group": {
        let chosen: Command;
        if (mode === FLAT) {
          chosen = { indent: ind, mode: d.broken ? BREAK : FLAT, doc: d.contents };
        } else {
          const flat: Command = { indent: ind, mode: FLAT, doc: d.contents };
          if (!d.broken && fits(flat, commands, width - pos)) chosen = flat;
          else if (d.states) {
            const last = d.states[d.states.length - 1]!;
            chosen = { indent: ind, mode: BREAK, doc: last };
            if (!d.broken) {
              for (let i = 1; i < d.states.length; i++) {
                const state: Command = { indent: ind, mode: FLAT, doc: d.states[i]! };
                if (fits(state, commands, width - pos)) {
                  chosen = state;
                  break;
                }
              }
            }
          } else chosen = { indent: ind, mode: BREAK, doc: d.contents };
        }
        commands.push(chosen);
        if (d.id) modes.set(d.id, chosen.mode);
        break;
      }
    }
  }
  return out.join("");
}

// ---------------------------------------------------------------------------------
// prettier's JavaScript printing rules for the grammar.

export interface LayoutOptions {
  printWidth: number;
  tabWidth: number;
  singleQuote: boolean;
  trailingComma: "all" | "es5" | "none";
  bracketSpacing: boolean;
}

/** Options that cannot change how an op call is printed (or that the caller already fixed). */
const NEUTRAL_OPTIONS = new Set([
  "parser",
  "filepath",
  "arrowParens",
  "bracketSameLine",
  "jsxSingleQuote",
  "jsxBracketSameLine",
  "singleAttributePerLine",
  "embeddedLanguageFormatting",
  "htmlWhitespaceSensitivity",
  "vueIndentScriptAndStyle",
  "proseWrap",
  "insertPragma",
  "requirePragma",
  "experimentalTernaries",
  "experimentalOperatorPosition",
  "endOfLine",
  "objectWrap",
  "quoteProps",
  "overrides",
  "$schema",
]);

/** The layout options for `options`, or undefined when they include something this module does not model. */
export function layoutSupported(options: FormatOptions): LayoutOptions | undefined {
  const o = options as Record<string, unknown>;
  for (const [key, value] of Object.entries(o)) {
    if (value === undefined) continue;
    if (["printWidth", "tabWidth", "singleQuote", "trailingComma", "bracketSpacing", "semi", "useTabs"].includes(key)) continue;
    if (!NEUTRAL_OPTIONS.has(key)) return undefined;
  }
  if (o.semi === false || o.useTabs === true) return undefined;
  if (o.endOfLine !== undefined && o.endOfLine !== "lf" && o.endOfLine !== "auto") return undefined;
  if (o.objectWrap !== undefined && o.objectWrap !== "preserve") return undefined;
  if (o.quoteProps !== undefined && o.quoteProps !== "as-needed" && o.quoteProps !== "consistent") return undefined;
  const trailingComma = o.trailingComma ?? "all";
  if (trailingComma !== "all" && trailingComma !== "es5" && trailingComma !== "none") return undefined;
  const printWidth = o.printWidth ?? 80;
  const tabWidth = o.tabWidth ?? 2;
  if (typeof printWidth !== "number" || typeof tabWidth !== "number") return undefined;
  return {
    printWidth,
    tabWidth,
    singleQuote: o.singleQuote === true,
    trailingComma,
    bracketSpacing: o.bracketSpacing !== false,
  };
}

/** prettier's quote choice and escape normalisation for a string literal (`raw` includes its quotes). */
function printString(raw: string, singleQuote: boolean): string {
  const content = raw.slice(1, -1);
  const preferred = singleQuote ? "'" : '"';
  const alternate = singleQuote ? '"' : "'";
  let quote = preferred;
  if (content.includes(preferred) || content.includes(alternate)) {
    const count = (q: string) => content.split(q).length - 1;
    quote = count(preferred) > count(alternate) ? alternate : preferred;
  }
  const other = quote === '"' ? "'" : '"';
  const body = content.replace(/\\(.)|(["'])/gs, (_m, escaped: string | undefined, bare: string | undefined) => {
    if (escaped === other) return escaped;
    if (bare === quote) return "\\" + bare;
    if (bare) return bare;
    return /^[^\n\r"'0-7\\bfnrt-vx\u2028\u2029]$/.test(escaped!) ? escaped! : "\\" + escaped!;
  });
  return quote + body + quote;
}

class Builder {
  constructor(private readonly o: LayoutOptions) {}

  value(node: Node): Doc {
    switch (node.kind) {
      case "string":
        return printString(node.raw, this.o.singleQuote);
      case "atom":
        return node.text;
      case "array":
        return this.array(node.items);
      case "object":
        return this.object(node);
    }
  }

  private array(items: Node[]): Doc {
    if (items.length === 0) return "[]";
    // More than one element, all objects (or all arrays) of more than one entry: one per line.
    const multi = (n: Node) => (n.kind === "object" ? n.entries.length > 1 : n.kind === "array" ? n.items.length > 1 : false);
    const broken = items.length > 1 && items.every((n, i) => multi(n) && (i === 0 || n.kind === items[0]!.kind));
    const comma = this.o.trailingComma === "none" ? "" : ifBreak(",");
    return group(
      [
        "[",
        indent([
          softline,
          join(
            [",", line],
            items.map((n) => this.value(n)),
          ),
          comma,
        ]),
        softline,
        "]",
      ],
      broken,
    );
  }

  private object(node: Extract<Node, { kind: "object" }>): Doc {
    if (node.entries.length === 0) return "{}";
    const space = this.o.bracketSpacing ? line : softline;
    const comma = this.o.trailingComma === "none" ? "" : ifBreak(",");
    const props = node.entries.map(({ key, value }) => this.property(key, value));
    return group(["{", indent([space, join([",", line], props)]), comma, space, "}"]);
  }

  /** prettier's assignment layouts, for `key: value`. */
  private property(key: string, value: Node): Doc {
    const printed = this.value(value);
    // Wrapping after a key shorter than an indent plus three gains nothing: never broken there.
    const shortKey = key.length < this.o.tabWidth + 3;
    if (value.kind === "string" && !shortKey) return group([key, ":", group(indent([line, printed]))]);
    if (shortKey || (value.kind === "atom" && /^-?[0-9]|^true$|^false$/.test(value.text))) return group([key, ": ", printed]);
    const id = Symbol("property");
    return group([key, ":", group(indent(line), false, id), { t: "indentIfBreak", contents: printed, groupId: id }]);
  }

  call(call: Call): Doc {
    const args = call.args;
    if (args.length === 0) return [call.callee, "()"];
    const printed = args.map((a) => this.value(a));
    const trailing = this.o.trailingComma === "all" ? "," : "";
    const allBrokenOut = () => group(["(", indent([line, join([",", line], printed), trailing]), line, ")"], true);

    const last = args[args.length - 1]!;
    const penultimate = args.length > 1 ? args[args.length - 2] : undefined;
    const expandable = (last.kind === "object" && last.entries.length > 0) || (last.kind === "array" && last.items.length > 0);
    const groupLast = expandable && (penultimate === undefined || penultimate.kind !== last.kind);
    if (groupLast) {
      const init = printed.slice(0, -1);
      if (init.some(willBreak)) return [call.callee, allBrokenOut()];
      const lastDoc = printed[printed.length - 1]!;
      const hugged: Group = { t: "group", contents: lastDoc, broken: true };
      const states: Doc[] = [["(", join(", ", printed), ")"], ["(", join(", ", [...init, hugged]), ")"], allBrokenOut()];
      return [call.callee, { t: "group", contents: states[0]!, broken: false, states }];
    }
    return [call.callee, group(["(", indent([softline, join([",", line], printed)]), ifBreak(trailing), softline, ")"])];
  }
}

/** A statement parsed into the grammar, ready to be laid out at any indentation. */
export interface PreparedStatement {
  readonly call: Call;
}

/** The statement parsed, or undefined when it is outside the grammar (the caller formats it with prettier). */
export function prepareStatement(statement: string): PreparedStatement | undefined {
  // Display width equals length only for printable ASCII; anything else is prettier's to measure.
  if (/[^\x20-\x7e]/.test(statement)) return undefined;
  try {
    return { call: new Parser(statement).call() };
  } catch (err) {
    if (err instanceof Declined) return undefined;
    throw err;
  }
}

/** The statement as prettier prints it, starting `indentColumns` in, possibly over several lines. */
export function layoutPrepared(prepared: PreparedStatement, indentColumns: number, options: LayoutOptions): string {
  const doc: Doc = [new Builder(options).call(prepared.call), ";"];
  propagateBreaks(doc);
  const start = " ".repeat(indentColumns);
  return start + printDoc(doc, options.printWidth, start, " ".repeat(options.tabWidth));
}

/** `prepareStatement` then `layoutPrepared`. */
export function layoutStatement(statement: string, indentColumns: number, options: LayoutOptions): string | undefined {
  const prepared = prepareStatement(statement);
  return prepared && layoutPrepared(prepared, indentColumns, options);
}
