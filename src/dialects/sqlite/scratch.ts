/** A throwaway SQLite database for `autogen test`: a file in a new temp directory, removed afterwards. */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ScratchDatabase } from "../dialect.js";

export async function createSqliteScratch(_url?: string, prefix = "autogen-test"): Promise<ScratchDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  const file = path.join(dir, "scratch.sqlite");
  return {
    url: `sqlite:${file}`,
    name: file,
    // The file and its journal (-wal, -shm, -journal): an absent file opens as an empty database.
    reset: async () => {
      for (const f of readdirSync(dir)) rmSync(path.join(dir, f), { force: true });
    },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
