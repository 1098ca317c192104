/**
 * Builds a revision file with ts-morph's structure API: header comment, the type-only
 * import, the export block and the `upgrade` / `downgrade` functions whose bodies hold
 * one `op.*` call per op. The result is unformatted; ./render.ts formats it.
 *
 * ts-morph builds only the frame of the file, with one placeholder statement per function
 * body; the op statements (thousands in a large first revision) are plain strings put in
 * their place afterwards. Handing ts-morph 10,000 statements costs seconds, and the
 * formatter wants the statements apart anyway (./fast-format.ts lays them out itself).
 *
 * The same build also yields the pieces a user template (./template.ts) is filled
 * with, so a custom template and the default rendering share every byte of generated code.
 */
import {
  IndentationText,
  NewLineKind,
  Project,
  QuoteKind,
  VariableDeclarationKind,
  type FunctionDeclaration,
  type SourceFile,
  type VariableStatement,
} from "ts-morph";
import type { Finding } from "../diff/types.js";
import { UserError } from "../errors.js";
import type { Op } from "../ops/ops.js";
import { findingComments, formatRevises, headerComment } from "./comments.js";
import { arrayLiteral, stringLiteral } from "./literals.js";
import { renderOpCall } from "./opCalls.js";
import { DEFAULT_IMPORT_FROM, isIrreversible, type RevisionFileInput } from "./types.js";

/** Revision ids end up in file names and in the version table; the loader accepts exactly these. */
const REVISION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export const EMPTY_BODY_COMMENT = "// nothing to do";

/** Text of each part of a built revision, as placed into a revision template. */
export interface RevisionFragments {
  /** The JSDoc header block. */
  header: string;
  /** The import declaration(s). */
  imports: string;
  /** `export const revision = …;` through `export const createdAt = …;`. */
  exports: string;
  /** Statements of `upgrade(op)`. */
  upgrades: string;
  /** Statements of `downgrade(op)`. */
  downgrades: string;
  /** `async ` before `function` for a hand-written revision (it may `await op.query`), else nothing. */
  async: string;
  /** The functions' return type: `Promise<void>` or `void`. */
  returnType: string;
  /** Raw values, for templates that mention them in comments. */
  revision: string;
  downRevision: string;
  message: string;
  createdAt: string;
}

export interface BuiltRevision {
  /** The whole file (not yet formatted). */
  text: string;
  fragments: RevisionFragments;
  /** `text` with a placeholder statement for each function body (see `fillBodies`). */
  frame: string;
  /** `fragments` with the body placeholders instead of the bodies. */
  frameFragments: RevisionFragments;
  /** The lines of each body: one string per op statement or comment line. */
  statements: { upgrades: string[]; downgrades: string[] };
}

/** Placeholder statements standing for the function bodies in `BuiltRevision.frame`. */
export const BODY_PLACEHOLDERS = { upgrades: "__autogen_upgrades__();", downgrades: "__autogen_downgrades__();" } as const;

/** Body statements as one text: each statement's first line indented one level, inner lines untouched. */
export function bodyText(statements: readonly string[]): string {
  return statements.join("\n  ");
}

/** `frame` with its body placeholders replaced by `bodies`. */
export function fillBodies(frame: string, bodies: { upgrades: string; downgrades: string }): string {
  // split/join, not String.replace: a statement may well contain "$&".
  return frame.split(BODY_PLACEHOLDERS.upgrades).join(bodies.upgrades).split(BODY_PLACEHOLDERS.downgrades).join(bodies.downgrades);
}

export interface BuildOptions {
  /** Columns a function body is indented by once formatted (for wrapping comments). */
  indent: number;
}

function validate(input: RevisionFileInput): void {
  for (const id of [input.revision, ...[input.downRevision ?? []].flat(), ...(input.dependsOn ?? [])]) {
    if (!REVISION_ID.test(id)) {
      throw new UserError(`invalid revision id "${id}": use letters, digits, "_" or "-", starting with a letter or digit`);
    }
  }
  if (Array.isArray(input.downRevision) && input.downRevision.length === 0) {
    throw new UserError(`revision ${input.revision}: downRevision is an empty list (use null for a base revision)`);
  }
  if (Number.isNaN(input.createdAt.getTime())) {
    throw new UserError(`revision ${input.revision}: createdAt is not a valid date`);
  }
}

/** Findings split into those shown above an op (by index) and those for the header. */
function placeFindings(findings: readonly Finding[], opCount: number) {
  const atOp = new Map<number, Finding[]>();
  const general: Finding[] = [];
  for (const f of findings) {
    const i = f.opIndex;
    if (i !== undefined && Number.isInteger(i) && i >= 0 && i < opCount) {
      atOp.set(i, [...(atOp.get(i) ?? []), f]);
    } else {
      general.push(f);
    }
  }
  return { atOp, general };
}

function opStatements(ops: readonly Op[], findingsAt: Map<number, Finding[]>, indent: number): string[] {
  if (ops.length === 0) return [EMPTY_BODY_COMMENT];
  return ops.flatMap((op, i) => [...findingComments(findingsAt.get(i) ?? [], indent), renderOpCall(op)]);
}

function irreversibleStatements(reason: string, indent: number): string[] {
  const warning: Finding = {
    kind: "irreversible",
    message: [
      "IRREVERSIBLE: this revision cannot be downgraded automatically.",
      `Reason: ${reason}`,
      "Write the reverse op.* calls here by hand if it must be undone; until then downgrade fails on purpose.",
    ].join("\n"),
  };
  return [...findingComments([warning], indent), `throw new Error(${stringLiteral(`autogen: irreversible: ${reason}`)});`];
}

function downRevisionLiteral(down: RevisionFileInput["downRevision"]): string {
  if (down === null) return "null";
  return typeof down === "string" ? stringLiteral(down) : arrayLiteral(down.map(stringLiteral));
}

function exportConst(file: SourceFile, name: string, initializer: string): VariableStatement {
  return file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, initializer }],
  });
}

function exportMigrationFunction(
  file: SourceFile,
  name: "upgrade" | "downgrade",
  statements: string[],
  isAsync: boolean,
): FunctionDeclaration {
  return file.addFunction({
    isExported: true,
    isAsync,
    name,
    parameters: [{ name: "op", type: "Operations" }],
    returnType: isAsync ? "Promise<void>" : "void",
    statements,
  });
}

export function buildRevision(input: RevisionFileInput, options: BuildOptions): BuiltRevision {
  validate(input);
  const irreversible = isIrreversible(input.downgradeOps) ? input.downgradeOps.irreversible : undefined;
  const { atOp, general } = placeFindings(input.findings ?? [], input.upgradeOps.length);

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Double,
      newLineKind: NewLineKind.LineFeed,
    },
  });
  const file = project.createSourceFile("revision.ts", "");

  const header = headerComment({
    message: input.message,
    revision: input.revision,
    downRevision: input.downRevision,
    ...(input.dependsOn ? { dependsOn: input.dependsOn } : {}),
    ...(input.branchLabels ? { branchLabels: input.branchLabels } : {}),
    createdAt: input.createdAt,
    findings: general,
    ...(irreversible !== undefined ? { irreversible } : {}),
  });
  file.addStatements(header);

  const importDecl = file.addImportDeclaration({
    isTypeOnly: true,
    namedImports: ["Operations"],
    moduleSpecifier: input.importFrom ?? DEFAULT_IMPORT_FROM,
  });

  const createdAt = input.createdAt.toISOString();
  const exportsBlock = [
    exportConst(file, "revision", stringLiteral(input.revision)),
    exportConst(file, "downRevision", downRevisionLiteral(input.downRevision)),
  ];
  if (input.dependsOn?.length) exportsBlock.push(exportConst(file, "dependsOn", arrayLiteral(input.dependsOn.map(stringLiteral))));
  if (input.branchLabels?.length) {
    exportsBlock.push(exportConst(file, "branchLabels", arrayLiteral(input.branchLabels.map(stringLiteral))));
  }
  exportsBlock.push(exportConst(file, "message", stringLiteral(input.message)));
  exportsBlock.push(exportConst(file, "createdAt", stringLiteral(createdAt)));
  if (input.online) exportsBlock.push(exportConst(file, "online", "true"));

  const upgrades = opStatements(input.upgradeOps, atOp, options.indent);
  const downgrades =
    irreversible !== undefined
      ? irreversibleStatements(irreversible, options.indent)
      : opStatements(
          input.downgradeOps as Op[],
          placeFindings(input.downgradeFindings ?? [], (input.downgradeOps as Op[]).length).atOp,
          options.indent,
        );
  const isAsync = input.async === true;
  exportMigrationFunction(file, "upgrade", [BODY_PLACEHOLDERS.upgrades], isAsync);
  exportMigrationFunction(file, "downgrade", [BODY_PLACEHOLDERS.downgrades], isAsync);

  const frame = file.getFullText();
  const frameFragments: RevisionFragments = {
    header,
    imports: importDecl.getText(),
    exports: exportsBlock.map((s) => s.getText()).join("\n"),
    ...BODY_PLACEHOLDERS,
    revision: input.revision,
    downRevision: formatRevises(input.downRevision),
    message: input.message,
    createdAt,
    async: isAsync ? "async " : "",
    returnType: isAsync ? "Promise<void>" : "void",
  };
  const bodies = () => ({ upgrades: bodyText(upgrades), downgrades: bodyText(downgrades) });
  // The whole text is only built when asked for: the formatter works from the frame and
  // the statements, so a large revision's text exists once, as the formatted result.
  return {
    frame,
    frameFragments,
    statements: { upgrades, downgrades },
    get text() {
      return fillBodies(frame, bodies());
    },
    get fragments() {
      return { ...frameFragments, ...bodies() };
    },
  };
}
