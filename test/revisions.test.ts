import { describe, expect, it } from "vitest";
import { UserError } from "../src/errors.js";
import type { RevisionScript } from "../src/revisions/scripts.js";
import {
  applyRevision,
  appliedSet,
  branches,
  checkNewRevisionId,
  currentRevisions,
  downgradePath,
  headsOfApplied,
  history,
  markers,
  mergeParents,
  parentsForNewRevision,
  planVersionSteps,
  resolve,
  resolveRevision,
  RevisionGraph,
  show,
  stampRows,
  unapplyRevision,
  upgradePath,
  type RevisionNode,
  type VersionAction,
} from "../src/revisions/index.js";

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

function rev(
  revision: string,
  downRevision: string | string[] | null,
  extra: Partial<Omit<RevisionNode, "revision" | "downRevision">> = {},
): RevisionNode {
  return { revision, downRevision, path: `versions/${revision}.ts`, ...extra };
}

/** a -> b -> c -> d */
const linearNodes = [rev("a", null), rev("b", "a"), rev("c", "b"), rev("d", "c")];

/** r0 -> x1 -> x2 (label x) and r0 -> y1 -> y2 (label y): two branches from one base. */
const branchedNodes = [
  rev("r0", null),
  rev("x1", "r0", { branchLabels: ["x"] }),
  rev("x2", "x1"),
  rev("y1", "r0", { branchLabels: ["y"] }),
  rev("y2", "y1"),
];

/** The branched graph joined again: m merges x2 and y2, then z. */
const mergedNodes = [...branchedNodes, rev("m", ["x2", "y2"]), rev("z", "m")];

/** Two independent roots; net's n2 depends on core's c2. */
const dependsNodes = [
  rev("c1", null, { branchLabels: ["core"] }),
  rev("c2", "c1"),
  rev("c3", "c2"),
  rev("n1", null, { branchLabels: ["net"] }),
  rev("n2", "n1", { dependsOn: ["c2"] }),
];

/** a -> b -> c, plus s spliced onto a (a new branch from a non-head). */
const splicedNodes = [...linearNodes.slice(0, 3), rev("s", "a")];

/** Realistic ids for prefix matching. */
const prefixNodes = [rev("ab12cd", null), rev("ab34ef", "ab12cd"), rev("c0ffee", "ab34ef"), rev("rev-2", "c0ffee")];

const linear = RevisionGraph.fromNodes(linearNodes);
const branched = RevisionGraph.fromNodes(branchedNodes);
const merged = RevisionGraph.fromNodes(mergedNodes);
const depends = RevisionGraph.fromNodes(dependsNodes);
const spliced = RevisionGraph.fromNodes(splicedNodes);
const prefixed = RevisionGraph.fromNodes(prefixNodes);

const ids = (nodes: readonly RevisionNode[]) => nodes.map((n) => n.revision);

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).not.toContain("\n");
    return err as UserError;
  }
  throw new Error("expected a UserError, nothing was thrown");
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

describe("RevisionGraph.fromNodes validation", () => {
  it.each<[string, RevisionNode[], RegExp]>([
    [
      "duplicate id names both files",
      [rev("a", null), { revision: "a", downRevision: null, path: "versions/other.ts" }],
      /^Revision id 'a' is defined twice: versions\/a\.ts and versions\/other\.ts$/,
    ],
    [
      "missing down revision names the revision and its file",
      [rev("a", null), rev("b", "nope")],
      /^Revision b \(versions\/b\.ts\) has down revision 'nope', which does not exist$/,
    ],
    [
      "missing merge parent",
      [rev("a", null), rev("m", ["a", "gone"])],
      /^Revision m \(versions\/m\.ts\) has down revision 'gone', which does not exist$/,
    ],
    [
      "missing dependency",
      [rev("a", null), rev("b", "a", { dependsOn: ["ghost"] })],
      /^Revision b \(versions\/b\.ts\) depends on 'ghost', which is neither a revision nor a branch label$/,
    ],
    ["self loop", [rev("a", "a")], /^Revision a \(versions\/a\.ts\) names itself as its down revision$/],
    [
      "two-revision cycle",
      [rev("a", "b"), rev("b", "a")],
      /^Revision cycle detected: (a -> b -> a|b -> a -> b) \(in (versions\/\w\.ts(, )?)+\)$/,
    ],
    [
      "cycle above a valid base",
      [rev("root", null), rev("p", ["root", "r"]), rev("q", "p"), rev("r", "q")],
      /^Revision cycle detected: (p -> q -> r -> p|q -> r -> p -> q|r -> p -> q -> r) \(in (versions\/\w\.ts(, )?)+\)$/,
    ],
    [
      "dependency cycle",
      [rev("a", null, { dependsOn: ["b"] }), rev("b", null, { dependsOn: ["a"] })],
      /^Revision cycle detected: (a -> b -> a|b -> a -> b) \(in (versions\/\w\.ts(, )?)+\)$/,
    ],
    [
      "duplicate branch label",
      [rev("a", null, { branchLabels: ["main"] }), rev("b", null, { branchLabels: ["main"] })],
      /^Branch label 'main' is used by both a \(versions\/a\.ts\) and b \(versions\/b\.ts\)$/,
    ],
    [
      "branch label equal to a revision id",
      [rev("a", null), rev("b", "a", { branchLabels: ["a"] })],
      /^Branch label 'a' of revision b \(versions\/b\.ts\) is also a revision id$/,
    ],
    ["id containing @", [rev("a@b", null)], /^Revision id 'a@b' \(versions\/a@b\.ts\) contains one of/],
    ["reserved id", [rev("head", null)], /^Revision id 'head' \(versions\/head\.ts\) is a reserved word/],
    ["down revision listed twice", [rev("a", null), rev("m", ["a", "a"])], /lists down revision 'a' twice$/],
  ])("%s", (_name, nodes, message) => {
    expect(userError(() => RevisionGraph.fromNodes(nodes)).message).toMatch(message);
  });

  it("accepts an empty graph", () => {
    const empty = RevisionGraph.fromNodes([]);
    expect(empty.heads).toEqual([]);
    expect(resolve("head", { graph: empty }).revisions).toEqual([]);
    expect(upgradePath(empty, [], "heads")).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

describe("graph queries", () => {
  it.each<[string, RevisionGraph, string[], string[], string[], string[]]>([
    // name, graph, heads, bases, branch points, merge points
    ["linear", linear, ["d"], ["a"], [], []],
    ["branched", branched, ["x2", "y2"], ["r0"], ["r0"], []],
    ["merged", merged, ["z"], ["r0"], ["r0"], ["m"]],
    ["depends (dependency does not end a head)", depends, ["c3", "n2"], ["c1", "n1"], [], []],
    ["spliced", spliced, ["c", "s"], ["a"], ["a"], []],
  ])("%s: heads, bases, branch points, merge points", (_n, graph, heads, bases, branchPoints, mergePoints) => {
    expect(graph.heads).toEqual(heads);
    expect(graph.bases).toEqual(bases);
    expect(graph.branchPoints()).toEqual(branchPoints);
    expect(graph.mergePoints()).toEqual(mergePoints);
  });

  it.each<[string, RevisionGraph, string, boolean, string[], string[]]>([
    // name, graph, revision, includeDependencies, ancestors, descendants
    ["merge ancestors cover both sides", merged, "m", true, ["r0", "x1", "x2", "y1", "y2", "m"], ["m", "z"]],
    ["dependency counts as ancestor", depends, "n2", true, ["c1", "c2", "n1", "n2"], ["n2"]],
    ["without dependencies", depends, "n2", false, ["n1", "n2"], ["n2"]],
    ["dependents count as descendants", depends, "c2", true, ["c1", "c2"], ["c2", "c3", "n2"]],
    ["descendants without dependencies", depends, "c2", false, ["c1", "c2"], ["c2", "c3"]],
  ])("%s", (_n, graph, id, includeDependencies, ancestors, descendants) => {
    expect([...graph.ancestors([id], { includeDependencies })]).toEqual(ancestors);
    expect([...graph.descendants([id], { includeDependencies })]).toEqual(descendants);
  });

  it("topological order is deterministic whatever the file order", () => {
    const shuffled = RevisionGraph.fromNodes([...mergedNodes].reverse());
    expect(shuffled.order).toEqual(merged.order);
    expect(merged.order).toEqual(["r0", "x1", "x2", "y1", "y2", "m", "z"]);
    for (const id of merged.order) {
      for (const parent of merged.parents(id)) {
        expect(merged.order.indexOf(parent)).toBeLessThan(merged.order.indexOf(id));
      }
    }
  });

  it("branch labels propagate to descendants and name a branch head", () => {
    expect(merged.branchLabels("x2")).toEqual(["x"]);
    expect(merged.branchLabels("m")).toEqual(["x", "y"]);
    expect(merged.branchLabels("r0")).toEqual([]);
    expect(branched.branchHead("y")).toBe("y2");
    expect(userError(() => branched.branchHead("nope")).message).toBe("No such branch: 'nope'");
  });

  it("dependsOn may name a branch label", () => {
    const g = RevisionGraph.fromNodes([rev("c1", null, { branchLabels: ["core"] }), rev("n1", null, { dependsOn: ["core"] })]);
    expect(g.dependencies("n1")).toEqual(["c1"]);
    expect(g.order).toEqual(["c1", "n1"]);
  });

  it("unknown revision ids are user errors", () => {
    expect(userError(() => linear.get("zzz")).message).toBe("Can't locate revision identified by 'zzz'");
  });
});

// ---------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------

describe("resolve", () => {
  it.each<[string, RevisionGraph, string, string[], string[]]>([
    // name, graph, spec, current heads, expected revisions
    ["head", linear, "head", [], ["d"]],
    ["-1 from a merge point lands on the heads it joined", merged, "-1", ["m"], ["x2", "y2"]],
    ["heads", branched, "heads", [], ["x2", "y2"]],
    ["base", linear, "base", ["d"], []],
    ["full id", linear, "c", [], ["c"]],
    ["unique prefix", prefixed, "c0", [], ["c0ffee"]],
    ["one-character unique prefix", prefixed, "c", [], ["c0ffee"]],
    ["id containing a dash is an id, not a relative step", prefixed, "rev-2", [], ["rev-2"]],
    ["branch label alone names its revision", branched, "x", [], ["x1"]],
    ["label@head", branched, "x@head", [], ["x2"]],
    ["label@heads", branched, "y@heads", [], ["y2"]],
    ["label@id", branched, "x@x2", [], ["x2"]],
    ["label@prefix narrowed by branch", branched, "y@y", [], ["y1"]],
    ["label@base", branched, "x@base", [], []],
    ["+1 from current", linear, "+1", ["b"], ["c"]],
    ["+2 from current", linear, "+2", ["b"], ["d"]],
    ["+1 from nothing applied", linear, "+1", [], ["a"]],
    ["-1 from current", linear, "-1", ["c"], ["b"]],
    ["-3 reaches base exactly", linear, "-3", ["c"], []],
    ["id+N", linear, "b+2", [], ["d"]],
    ["id-N", linear, "d-2", [], ["b"]],
    ["head-1", linear, "head-1", [], ["c"]],
    ["base+1", linear, "base+1", [], ["a"]],
    ["label@+1 walks the branch from a branch point", branched, "x@+1", ["r0"], ["x1"]],
    ["label@+1 from the other branch's head", branched, "y@+1", ["x2"], ["y1"]],
    ["label@-1 with several current heads", branched, "x@-1", ["x2", "y2"], ["x1"]],
    ["label@id+1", branched, "x@r0+1", [], ["x1"]],
    ["merge walks down ambiguously only at the merge", merged, "z-1", [], ["m"]],
    ["depends: label@head", depends, "net@head", [], ["n2"]],
  ])("%s", (_n, graph, spec, currentHeads, expected) => {
    expect(resolve(spec, { graph, currentHeads }).revisions).toEqual(expected);
  });

  it.each<[string, RevisionGraph, string, string[], string | RegExp]>([
    [
      "head with multiple heads",
      branched,
      "head",
      [],
      'Multiple heads are present: x2, y2; give a specific target or run `autogen merge heads -m "<message>"`',
    ],
    [
      "head with multiple heads (spliced)",
      spliced,
      "head",
      [],
      'Multiple heads are present: c, s; give a specific target or run `autogen merge heads -m "<message>"`',
    ],
    ["unknown id", linear, "xyz", [], "Can't locate revision identified by 'xyz'"],
    ["ambiguous prefix lists candidates", prefixed, "ab", [], "Multiple revisions start with 'ab': ab12cd, ab34ef"],
    ["unknown branch", branched, "nope@head", [], "No such branch: 'nope'"],
    ["id not on branch", branched, "x@y2", [], "Revision y2 is not a member of branch 'x'"],
    ["+N past the head", linear, "+5", ["b"], /^Relative revision '\+5' didn't produce 5 migrations: d has nothing above it$/],
    ["-N below base", linear, "-4", ["c"], "Relative revision '-4' goes below base: only 3 of 4 steps are possible"],
    [
      "-1 with several current heads",
      branched,
      "-1",
      ["x2", "y2"],
      "Multiple current heads (x2, y2): '-1' is ambiguous; qualify it with a branch, e.g. <branch>@-1",
    ],
    ["+1 with several current heads", branched, "+1", ["x2", "y1"], /^Multiple current heads \(x2, y1\)/],
    ["-1 with nothing applied", linear, "-1", [], "Relative revision '-1' didn't produce 1 migrations: nothing is applied"],
    ["+1 up through a branch point", branched, "+1", ["r0"], /^Relative revision '\+1' is ambiguous: r0 is a branch point \(x1, y1\)/],
    ["+1 from nothing with two bases", depends, "+1", [], /^Relative revision '\+1' is ambiguous: there are several bases \(c1, n1\)/],
    ["-2 down through a merge", merged, "m-2", [], /^Relative revision 'm-2' is ambiguous: m is a merge point \(x2, y2\)/],
    ["label@head with several heads on it", spliced, "a@head", [], /^Multiple heads are present for 'a@head': c, s;/],
    [
      "unknown row in the version table",
      linear,
      "+1",
      ["gone"],
      "Can't locate revision identified by 'gone' (listed in the version table)",
    ],
    ["empty spec", linear, " ", [], "Invalid revision spec ' '"],
  ])("%s", (_n, graph, spec, currentHeads, message) => {
    const err = userError(() => resolve(spec, { graph, currentHeads }));
    if (typeof message === "string") expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });

  it("a bare -N is narrowed to the head it walked from", () => {
    expect(resolve("-1", { graph: spliced, currentHeads: ["b"] }).branch).toEqual({ name: "b", anchor: "b" });
  });

  it("resolveRevision refuses base and several revisions", () => {
    expect(resolveRevision("c0f", { graph: prefixed })).toBe("c0ffee");
    expect(userError(() => resolveRevision("base", { graph: linear })).message).toBe("'base' names base, not a revision");
    expect(userError(() => resolveRevision("heads", { graph: branched })).message).toMatch(/names several revisions \(x2, y2\)/);
  });
});

// ---------------------------------------------------------------------------
// Upgrade and downgrade paths
// ---------------------------------------------------------------------------

describe("upgradePath", () => {
  it.each<[string, RevisionGraph, string[], string, string[]]>([
    ["linear from nothing", linear, [], "head", ["a", "b", "c", "d"]],
    ["linear from the middle", linear, ["b"], "head", ["c", "d"]],
    ["linear to a revision", linear, [], "b", ["a", "b"]],
    ["target already below current", linear, ["d"], "b", []],
    ["relative +2", linear, ["b"], "+2", ["c", "d"]],
    ["branched: all heads", branched, [], "heads", ["r0", "x1", "x2", "y1", "y2"]],
    ["branched: one branch", branched, [], "x@head", ["r0", "x1", "x2"]],
    ["branched: the other branch after the first", branched, ["x2"], "y@head", ["y1", "y2"]],
    ["merge needs both sides", merged, ["x2"], "head", ["y1", "y2", "m", "z"]],
    ["merge from nothing", merged, [], "m", ["r0", "x1", "x2", "y1", "y2", "m"]],
    ["dependency is applied first", depends, [], "net@head", ["c1", "c2", "n1", "n2"]],
    ["dependency already applied", depends, ["c3"], "n2", ["n1", "n2"]],
    ["spliced branch", spliced, ["c"], "s", ["s"]],
    ["spliced: every head", spliced, [], "heads", ["a", "b", "c", "s"]],
  ])("%s", (_n, graph, current, target, expected) => {
    expect(ids(upgradePath(graph, current, target))).toEqual(expected);
  });

  it("refuses a downward relative target", () => {
    expect(userError(() => upgradePath(linear, ["c"], "-1")).message).toBe(
      "Upgrade target '-1' moves down from the current revision; use downgrade",
    );
  });

  it("returns the graph's own nodes (scripts keep their functions)", () => {
    const script: RevisionScript = {
      revision: "only",
      downRevision: null,
      path: "versions/only.ts",
      upgrade() {},
      downgrade() {},
    };
    const g = RevisionGraph.fromNodes([script]);
    const [first] = upgradePath(g, [], "head");
    expect(first).toBe(script);
    expect(typeof first!.upgrade).toBe("function");
  });
});

describe("downgradePath", () => {
  it.each<[string, RevisionGraph, string[], string, string[]]>([
    ["linear to a revision", linear, ["d"], "b", ["d", "c"]],
    ["linear to base", linear, ["d"], "base", ["d", "c", "b", "a"]],
    ["linear -2", linear, ["d"], "-2", ["d", "c"]],
    ["linear to the current head is a no-op", linear, ["c"], "c", []],
    ["nothing applied, base is a no-op", linear, [], "base", []],
    ["branched: to the branch point unwinds both", branched, ["x2", "y2"], "r0", ["y2", "y1", "x2", "x1"]],
    ["branched: label@branchpoint unwinds one", branched, ["x2", "y2"], "x@r0", ["x2", "x1"]],
    ["branched: label@-1", branched, ["x2", "y2"], "y@-1", ["y2"]],
    ["branched: -1 with a single current head", branched, ["x2"], "-1", ["x2"]],
    ["merged: below the merge", merged, ["z"], "y2", ["z", "m"]],
    ["merged: to base", merged, ["z"], "base", ["z", "m", "y2", "y1", "x2", "x1", "r0"]],
    ["depends: dependents go down with their dependency", depends, ["c3", "n2"], "c1", ["n2", "c3", "c2"]],
    ["depends: label@base only unwinds that root", depends, ["c3", "n2"], "net@base", ["n2", "n1"]],
    ["spliced: -1 only unwinds the head walked from", spliced, ["s"], "-1", ["s"]],
    ["spliced: to a, both branches", spliced, ["c", "s"], "a", ["s", "c", "b"]],
  ])("%s", (_n, graph, current, target, expected) => {
    expect(ids(downgradePath(graph, current, target))).toEqual(expected);
  });

  it.each<[string, RevisionGraph, string[], string, string | RegExp]>([
    ["below base", linear, ["b"], "-3", "Relative revision '-3' goes below base: only 2 of 3 steps are possible"],
    [
      "-1 with several heads",
      branched,
      ["x2", "y2"],
      "-1",
      "Multiple current heads (x2, y2): '-1' is ambiguous; qualify it with a branch, e.g. <branch>@-1",
    ],
    ["target not applied", branched, ["x2"], "y1", /^Downgrade target y1 is not applied/],
    ["upward relative", linear, ["b"], "+1", "Downgrade target '+1' moves up from the current revision; use upgrade"],
    ["several targets", branched, ["x2", "y2"], "heads", /^Downgrade target 'heads' names several revisions \(x2, y2\)/],
  ])("refuses: %s", (_n, graph, current, target, message) => {
    const err = userError(() => downgradePath(graph, current, target));
    if (typeof message === "string") expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });
});

// ---------------------------------------------------------------------------
// Version table bookkeeping
// ---------------------------------------------------------------------------

describe("version rows", () => {
  type Step = ["apply" | "unapply", string, VersionAction[], string[]];
  const run = (graph: RevisionGraph, steps: Step[]) => {
    let rows: string[] = [];
    for (const [kind, revision, actions, heads] of steps) {
      const change = kind === "apply" ? applyRevision(graph, rows, revision) : unapplyRevision(graph, rows, revision);
      expect({ step: `${kind} ${revision}`, ...change }).toEqual({ step: `${kind} ${revision}`, actions, heads });
      rows = change.heads;
    }
    return rows;
  };

  it("branch, apply both branches (2 rows), merge (1 row), unapply merge (2 rows), down to base (0 rows)", () => {
    const rows = run(merged, [
      ["apply", "r0", [{ kind: "insert", revision: "r0" }], ["r0"]],
      ["apply", "x1", [{ kind: "update", from: "r0", revision: "x1" }], ["x1"]],
      ["apply", "y1", [{ kind: "insert", revision: "y1" }], ["x1", "y1"]],
      ["apply", "x2", [{ kind: "update", from: "x1", revision: "x2" }], ["x2", "y1"]],
      ["apply", "y2", [{ kind: "update", from: "y1", revision: "y2" }], ["x2", "y2"]],
      [
        "apply",
        "m",
        [
          { kind: "delete", revision: "y2" },
          { kind: "update", from: "x2", revision: "m" },
        ],
        ["m"],
      ],
      ["apply", "z", [{ kind: "update", from: "m", revision: "z" }], ["z"]],
      ["unapply", "z", [{ kind: "update", from: "z", revision: "m" }], ["m"]],
      [
        "unapply",
        "m",
        [
          { kind: "update", from: "m", revision: "x2" },
          { kind: "insert", revision: "y2" },
        ],
        ["x2", "y2"],
      ],
      ["unapply", "y2", [{ kind: "update", from: "y2", revision: "y1" }], ["x2", "y1"]],
      ["unapply", "y1", [{ kind: "delete", revision: "y1" }], ["x2"]],
      ["unapply", "x2", [{ kind: "update", from: "x2", revision: "x1" }], ["x1"]],
      ["unapply", "x1", [{ kind: "update", from: "x1", revision: "r0" }], ["r0"]],
      ["unapply", "r0", [{ kind: "delete", revision: "r0" }], []],
    ]);
    expect(rows).toEqual([]);
  });

  it("dependsOn never consumes a row", () => {
    const rows = run(depends, [
      ["apply", "c1", [{ kind: "insert", revision: "c1" }], ["c1"]],
      ["apply", "c2", [{ kind: "update", from: "c1", revision: "c2" }], ["c2"]],
      ["apply", "n1", [{ kind: "insert", revision: "n1" }], ["c2", "n1"]],
      ["apply", "n2", [{ kind: "update", from: "n1", revision: "n2" }], ["c2", "n2"]],
      ["unapply", "n2", [{ kind: "update", from: "n2", revision: "n1" }], ["c2", "n1"]],
    ]);
    expect(rows).toEqual(["c2", "n1"]);
  });

  it("unapplying a merge when one side is still revised elsewhere restores only the other side", () => {
    const g = RevisionGraph.fromNodes([...branchedNodes, rev("m", ["x2", "y2"]), rev("x3", "x2")]);
    const change = unapplyRevision(g, ["m", "x3"], "m");
    expect(change).toEqual({ heads: ["x3", "y2"], actions: [{ kind: "update", from: "m", revision: "y2" }] });
  });

  it.each<[string, () => unknown, string]>([
    ["apply twice", () => applyRevision(linear, ["b"], "a"), "Revision a is already applied"],
    ["apply before the down revision", () => applyRevision(linear, ["a"], "c"), "Cannot apply c before its down revision b"],
    ["apply before the dependency", () => applyRevision(depends, ["n1"], "n2"), "Cannot apply n2 before its dependency c2"],
    ["unapply what is not applied", () => unapplyRevision(linear, ["b"], "c"), "Revision c is not applied"],
    [
      "unapply under an applied dependent",
      () => unapplyRevision(depends, ["c2", "n2"], "c2"),
      "Cannot unapply c2 while n2, which builds on it, is applied",
    ],
    [
      "duplicate rows",
      () => appliedSet(linear, ["a", "a"]),
      "The version table lists revision 'a' twice; reset it with `autogen stamp --purge <revision>`",
    ],
  ])("refuses: %s", (_n, fn, message) => {
    expect(userError(fn).message).toBe(message);
  });

  it("appliedSet includes dependencies; headsOfApplied inverts it", () => {
    expect([...appliedSet(depends, ["n2"])]).toEqual(["c1", "c2", "n1", "n2"]);
    expect(headsOfApplied(depends, appliedSet(depends, ["n2"]))).toEqual(["c2", "n2"]);
    expect(headsOfApplied(merged, ["x2", "m"])).toEqual(["m"]);
  });

  it("planVersionSteps follows an upgrade path then the downgrade back", () => {
    const up = planVersionSteps(merged, [], upgradePath(merged, [], "heads"), "upgrade");
    expect(up.map((s) => s.node.revision)).toEqual(["r0", "x1", "x2", "y1", "y2", "m", "z"]);
    expect(up.at(-1)!.heads).toEqual(["z"]);
    expect(up.find((s) => s.node.revision === "y1")!.heads).toEqual(["x2", "y1"]);
    const down = planVersionSteps(merged, ["z"], downgradePath(merged, ["z"], "r0"), "downgrade");
    expect(down.map((s) => s.heads)).toEqual([["m"], ["x2", "y2"], ["x2", "y1"], ["x2"], ["x1"], ["r0"]]);
  });
});

// ---------------------------------------------------------------------------
// stamp
// ---------------------------------------------------------------------------

describe("stampRows", () => {
  it.each<[string, RevisionGraph, string[], string[], boolean, string[], VersionAction[]]>([
    ["empty table to head", linear, [], ["head"], false, ["d"], [{ kind: "insert", revision: "d" }]],
    ["move up", linear, ["b"], ["d"], false, ["d"], [{ kind: "update", from: "b", revision: "d" }]],
    ["move down", linear, ["d"], ["b"], false, ["b"], [{ kind: "update", from: "d", revision: "b" }]],
    ["already there", linear, ["c"], ["c"], false, ["c"], []],
    ["base clears the table", linear, ["d"], ["base"], false, [], [{ kind: "delete", revision: "d" }]],
    [
      "several targets",
      branched,
      [],
      ["x2", "y2"],
      false,
      ["x2", "y2"],
      [
        { kind: "insert", revision: "x2" },
        { kind: "insert", revision: "y2" },
      ],
    ],
    ["overlapping targets collapse", branched, [], ["x1", "x2"], false, ["x2"], [{ kind: "insert", revision: "x2" }]],
    ["other branch rows are kept", branched, ["x2", "y2"], ["x1"], false, ["x1", "y2"], [{ kind: "update", from: "x2", revision: "x1" }]],
    ["label@base clears one root", depends, ["c3", "n2"], ["net@base"], false, ["c3"], [{ kind: "delete", revision: "n2" }]],
    [
      "purge discards unknown rows",
      linear,
      ["gone"],
      ["b"],
      true,
      ["b"],
      [
        { kind: "delete", revision: "gone" },
        { kind: "insert", revision: "b" },
      ],
    ],
    [
      "purge to base empties",
      branched,
      ["x2", "y2"],
      ["base"],
      true,
      [],
      [
        { kind: "delete", revision: "x2" },
        { kind: "delete", revision: "y2" },
      ],
    ],
  ])("%s", (_n, graph, current, targets, purge, heads, actions) => {
    expect(stampRows(graph, current, targets, { purge })).toEqual({ heads, actions });
  });

  it("without --purge an unknown row is an error", () => {
    expect(userError(() => stampRows(linear, ["gone"], ["b"])).message).toBe(
      "Can't locate revision identified by 'gone' (listed in the version table)",
    );
  });
});

// ---------------------------------------------------------------------------
// history / branches / show / current
// ---------------------------------------------------------------------------

describe("describe", () => {
  it("history is newest first with markers", () => {
    const entries = history(merged, { currentHeads: ["x2", "y1"] });
    expect(entries.map((e) => e.revision)).toEqual(["z", "m", "y2", "y1", "x2", "x1", "r0"]);
    const byId = Object.fromEntries(entries.map((e) => [e.revision, markers(e)]));
    expect(byId).toEqual({
      z: ["head"],
      m: ["mergepoint"],
      y2: [],
      y1: ["current"],
      x2: ["current"],
      x1: [],
      r0: ["branchpoint"],
    });
    expect(entries.find((e) => e.revision === "y2")!.isApplied).toBe(false);
    expect(entries.find((e) => e.revision === "x1")!.isApplied).toBe(true);
  });

  it.each<[string, string, string[]]>([
    ["one branch", "x1:x2", ["x2", "x1"]],
    ["from current", "current:", ["z", "m", "x2"]],
    ["up to a revision", ":y1", ["y1", "r0"]],
    ["relative to current", "-1:current", ["x2", "x1"]],
  ])("history range %s (%s)", (_n, range, expected) => {
    expect(history(merged, { currentHeads: ["x2"], range }).map((e) => e.revision)).toEqual(expected);
  });

  it("history range across branches is an error", () => {
    expect(userError(() => history(merged, { range: "x2:y2" })).message).toMatch(/^Requested range x2:y2 does not refer/);
  });

  it("branches lists each branch point with its children and their heads", () => {
    const info = branches(spliced);
    expect(info.map((b) => b.branchPoint.revision)).toEqual(["a"]);
    expect(info[0]!.branches.map((b) => [b.child.revision, b.heads])).toEqual([
      ["b", ["c"]],
      ["s", ["s"]],
    ]);
  });

  it("show resolves a spec and reports parents, dependencies and labels", () => {
    const [n2] = show(depends, "net@head", ["c3", "n2"]);
    expect(n2).toMatchObject({
      revision: "n2",
      downRevisions: ["n1"],
      dependsOn: ["c2"],
      branchLabels: ["net"],
      ownBranchLabels: [],
      isHead: true,
      isCurrent: true,
      path: "versions/n2.ts",
    });
    expect(show(depends, "c2")[0]!.dependents).toEqual(["n2"]);
  });

  it("current lists the rows", () => {
    expect(currentRevisions(branched, ["y2", "x2"]).map((e) => e.revision)).toEqual(["x2", "y2"]);
  });
});

// ---------------------------------------------------------------------------
// New revisions and merges
// ---------------------------------------------------------------------------

describe("new revisions", () => {
  it.each<[string, RevisionGraph, Parameters<typeof parentsForNewRevision>[1], ReturnType<typeof parentsForNewRevision>]>([
    ["on the single head", linear, {}, { downRevision: "d", dependsOn: [], branchLabels: [] }],
    ["first revision", RevisionGraph.fromNodes([]), {}, { downRevision: null, dependsOn: [], branchLabels: [] }],
    ["new root", linear, { head: "base", branchLabels: ["extra"] }, { downRevision: null, dependsOn: [], branchLabels: ["extra"] }],
    ["on a branch head", branched, { head: "y@head" }, { downRevision: "y2", dependsOn: [], branchLabels: [] }],
    ["splice", linear, { head: "b", splice: true }, { downRevision: "b", dependsOn: [], branchLabels: [] }],
    [
      "dependencies: labels kept, prefixes expanded",
      depends,
      { head: "net@head", dependsOn: ["core", "c3"] },
      { downRevision: "n2", dependsOn: ["core", "c3"], branchLabels: [] },
    ],
  ])("%s", (_n, graph, request, expected) => {
    expect(parentsForNewRevision(graph, request)).toEqual(expected);
  });

  it.each<[string, () => unknown, string | RegExp]>([
    ["several heads", () => parentsForNewRevision(branched), /^Multiple heads are present: x2, y2;/],
    [
      "not a head without splice",
      () => parentsForNewRevision(linear, { head: "b" }),
      "Revision b is not a head revision; pass --splice to start a new branch from it",
    ],
    [
      "label taken",
      () => parentsForNewRevision(branched, { head: "x@head", branchLabels: ["y"] }),
      "Branch label 'y' is already used by revision y1",
    ],
    ["id taken", () => checkNewRevisionId(linear, "b"), "Revision id 'b' already exists (versions/b.ts)"],
    ["nothing to merge", () => mergeParents(linear), "Nothing to merge: heads names only d"],
    ["merge with an ancestor", () => mergeParents(linear, ["b", "d"]), "Cannot merge b with d: b is already an ancestor of d"],
  ])("refuses: %s", (_n, fn, message) => {
    const err = userError(fn);
    if (typeof message === "string") expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });

  it("merge joins every head", () => {
    expect(mergeParents(branched)).toEqual(["x2", "y2"]);
    expect(mergeParents(spliced, ["c", "s"])).toEqual(["c", "s"]);
  });
});

// ---------------------------------------------------------------------------
// Invariants over generated graphs
// ---------------------------------------------------------------------------

/** A small deterministic PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random histories with new roots, splices, merges of two heads and cross-branch dependencies. */
function randomGraph(seed: number): RevisionGraph {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const nodes: RevisionNode[] = [rev("g0", null)];
  for (let i = 1; i < 25; i++) {
    const id = `g${i}`;
    const graph = RevisionGraph.fromNodes(nodes);
    const roll = random();
    let node: RevisionNode;
    if (roll < 0.08) {
      node = rev(id, null);
    } else if (roll < 0.3 && graph.heads.length > 1) {
      const a = pick(graph.heads);
      const b = pick(graph.heads.filter((h) => h !== a));
      node = rev(id, [a, b]);
    } else {
      node = rev(id, random() < 0.7 ? pick(graph.heads) : pick(graph.order));
    }
    if (random() < 0.2) {
      const dep = pick(graph.order);
      if (!downRevisionsOfNode(node).includes(dep)) node = { ...node, dependsOn: [dep] };
    }
    nodes.push(node);
  }
  return RevisionGraph.fromNodes(nodes);
}

function downRevisionsOfNode(node: RevisionNode): string[] {
  return node.downRevision === null ? [] : typeof node.downRevision === "string" ? [node.downRevision] : [...node.downRevision];
}

describe("generated graphs keep the version-table invariant", () => {
  it.each(Array.from({ length: 30 }, (_, i) => [i + 1]))("seed %i", (seed) => {
    const graph = randomGraph(seed);
    const random = prng(seed * 7919);
    // Upgrade to a random revision, then to every head, then down to a random applied revision, then to base.
    let rows: string[] = [];
    const walk = (path: RevisionNode[], direction: "upgrade" | "downgrade") => {
      for (const step of planVersionSteps(graph, rows, path, direction)) {
        expect(step.heads).toEqual(headsOfApplied(graph, step.heads));
        rows = step.heads;
      }
    };
    const firstTarget = graph.order[Math.floor(random() * graph.order.length)]!;
    walk(upgradePath(graph, rows, firstTarget), "upgrade");
    expect(appliedSet(graph, rows).has(firstTarget)).toBe(true);
    expect([...appliedSet(graph, rows)]).toEqual([...graph.ancestors([firstTarget])]);

    walk(upgradePath(graph, rows, "heads"), "upgrade");
    expect(rows).toEqual([...graph.heads]);
    expect(appliedSet(graph, rows).size).toBe(graph.size);

    const downTarget = graph.order[Math.floor(random() * graph.order.length)]!;
    walk(downgradePath(graph, rows, downTarget), "downgrade");
    const applied = appliedSet(graph, rows);
    expect(applied.has(downTarget)).toBe(true);
    for (const child of graph.children(downTarget)) expect(applied.has(child)).toBe(false);

    walk(downgradePath(graph, rows, "base"), "downgrade");
    expect(rows).toEqual([]);
  });
});

describe("scale", () => {
  it("a 3000-revision history upgrades and downgrades quickly", () => {
    const nodes = Array.from({ length: 3000 }, (_, i) => rev(`r${i}`, i === 0 ? null : `r${i - 1}`));
    const started = Date.now();
    const graph = RevisionGraph.fromNodes(nodes);
    const up = upgradePath(graph, [], "head");
    const steps = planVersionSteps(graph, [], up, "upgrade");
    expect(steps.at(-1)!.heads).toEqual(["r2999"]);
    expect(downgradePath(graph, ["r2999"], "-2999").length).toBe(2999);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
