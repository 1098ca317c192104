/**
 * Op kinds, payloads and field names are public: they are hashed into migration logs.
 * fixtures/op-log-compat/written-by-d3f4fca.json was written by the release before op
 * kinds moved into their databases' folders (commit d3f4fca): for revisions using every
 * op kind, the checksum it logged, the ops it recorded and the call text it wrote. This
 * code must give the same three, so every log row written then is still valid.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderOpCall } from "../src/codegen/opCalls.js";
import { OpRecorder } from "../src/ops/recorder.js";
import { revisionChecksum } from "../src/revisions/checksum.js";
import { loadRevisionScripts } from "../src/revisions/scripts.js";
import { REPO_ROOT } from "./helpers/project.js";

const dir = path.join(REPO_ROOT, "fixtures/op-log-compat");
const written = JSON.parse(readFileSync(path.join(dir, "written-by-d3f4fca.json"), "utf8")) as Record<
  string,
  { checksum: string; upgrade: unknown[]; downgrade: unknown[]; calls: string[] }
>;
const scripts = loadRevisionScripts([path.join(dir, "versions")]);

describe("migration logs written before the op registry", () => {
  it("covers every revision of the fixture, and the kinds only one database has", () => {
    expect(scripts.map((s) => s.revision).sort()).toEqual(Object.keys(written).sort());
    const kinds = new Set(Object.values(written).flatMap((w) => [...w.upgrade, ...w.downgrade].map((op) => (op as { kind: string }).kind)));
    for (const kind of ["createExclusion", "dropExclusion", "createExtension", "dropExtension", "alterTable", "alterEnum", "execute"]) {
      expect(kinds).toContain(kind);
    }
  });

  it.each(scripts.map((s) => [s.revision, s] as const))("%s: same checksum, same ops, same call text", async (revision, script) => {
    const before = written[revision]!;
    expect(await revisionChecksum(script, "postgres")).toBe(before.checksum);
    const up = new OpRecorder("postgres");
    await script.upgrade(up);
    const down = new OpRecorder("postgres");
    await script.downgrade(down);
    expect(up.ops).toEqual(before.upgrade);
    expect(down.ops).toEqual(before.downgrade);
    expect([...up.ops, ...down.ops].map(renderOpCall)).toEqual(before.calls);
  });
});
