/**
 * The differ's options for a database, assembled in one place so that autogenerate,
 * `check`, `baseline`, `autogen test`, the runner's checks and the bench all compare alike.
 */
import type { Dialect } from "../dialects/dialect.js";
import type { DiffOptions } from "./types.js";

export function diffOptionsFor(dialect: Dialect, extra: Pick<DiffOptions, "renames"> = {}): DiffOptions {
  return {
    ...extra,
    unnamedConstraintsDroppable: dialect.capabilities.dropsUnnamedConstraints,
    enumTypes: dialect.capabilities.enumTypes,
    widens: (from, to) => dialect.widens(from, to),
    ...(dialect.diffPhases ? { phases: dialect.diffPhases } : {}),
  };
}
