/**
 * What the differ returns: the ops that turn the current schema into the target, and
 * findings a reviewer must see next to them.
 */
import type { Op } from "../ops/ops.js";
import type { DialectName } from "../dialects/names.js";
import type { ColumnTypeIR, SchemaIR, TableIR } from "../schema/ir.js";
import type { PlannedOp } from "./plan.js";

export type FindingKind =
  /** A drop+add pair that may be a rename; only a confirmed hint turns it into a rename. */
  | "renameCandidate"
  /** An op that loses data (drop table/column, narrowing type change, enum value removal). */
  | "destructive"
  /** A constraint without a name that the dialect cannot drop by name. */
  | "unnamedConstraint"
  /** A difference the op vocabulary cannot express; nothing was generated for it. */
  | "unsupported"
  /** An op whose reverse cannot be generated. */
  | "irreversible"
  /** A lint rule (src/lint/rules.ts) the op breaks: safe on an empty database, risky on a live one. */
  | "lint";

export interface Finding {
  kind: FindingKind;
  /** One or more lines, no trailing newline; rendered as `// autogen: …` comments. */
  message: string;
  /** Index into `ops` of the op this finding concerns (rendered just above it). */
  opIndex?: number;
  table?: string;
  column?: string;
  /** For renameCandidate: the rename it suggests, as data (a resolver may confirm it). */
  rename?: RenameSuggestion;
  /** For renameCandidate: what to pass to confirm it, e.g. `--rename posts.body=content`. */
  hint?: string;
}

/** A rename the differ suspects but never applies on its own. */
export type RenameSuggestion = { kind: "table"; from: string; to: string } | { kind: "column"; table: string; from: string; to: string };

export interface DiffResult {
  ops: Op[];
  findings: Finding[];
}

/**
 * Renames the user confirmed (by flag, config or prompt). The differ never guesses:
 * a drop+add pair is a rename only when it is listed here.
 */
export interface RenameHints {
  /** old table name → new table name */
  tables?: Record<string, string>;
  /** "table.oldColumn" → "newColumn" (table is the target-side table name) */
  columns?: Record<string, string>;
}

export interface DiffOptions {
  renames?: RenameHints;
  /**
   * The target database can drop a constraint that has no name (by rebuilding the
   * table instead of dropping by name). When true, no `unnamedConstraint` findings.
   * Default false: every unnamed constraint that is dropped is reported.
   */
  unnamedConstraintsDroppable?: boolean;
  /**
   * The dialect's word on a change of base type: true when every value of `from`
   * converts to `to` unchanged (integer -> bigint). Other base-type changes are reported
   * as destructive. Without it, every base-type change is.
   */
  widens?: (from: ColumnTypeIR, to: ColumnTypeIR) => boolean;
  /** The database has named enum types (createEnum / alterEnum / dropEnum). Default true. */
  enumTypes?: boolean;
  /** What the database compares beyond the shared vocabulary (its own objects and options). */
  phases?: DatabaseDiffPhases;
}

/**
 * A database's own part of the diff, for objects and options only it has: the differ
 * calls these hooks at fixed points and places what they return by its phase.
 */
export interface DatabaseDiffPhases {
  /** Database-wide objects only this database has, compared once per diff. */
  schemaObjects?(target: SchemaIR, current: SchemaIR): PlannedOp[];
  /**
   * A surviving table's options only this database has: the ops, and the
   * table as it is after them, which the column comparison then starts from.
   */
  tableOptions?(target: TableIR, current: TableIR, dialect: DialectName): { ops: PlannedOp[]; after: TableIR };
  /** A surviving table's constraints of kinds only this database has. */
  tableConstraints?(target: TableIR, current: TableIR): { drops: PlannedOp[]; creates: PlannedOp[] };
}
