import { test } from "vitest";
import { readModels } from "../src/models/index.js";
test("scratch", async () => {
  for (const dialect of ["sqlite", "postgres"] as const) {
    const ir = await readModels({ dialect, baseDir: "models-example", entities: ["entities/*.ts"] });
    console.log(JSON.stringify(ir, null, 1));
  }
});
