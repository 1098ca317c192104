#!/usr/bin/env node
/**
 * The `autogen` executable: runs one command (run.ts) with the process's arguments.
 * Importing run.ts runs nothing, so tests call `main(argv)` without starting a command.
 */
import { hideBin } from "yargs/helpers";
import { main, report } from "./run.js";

// `autogen history | head -1`: once the reader is gone, further output has nowhere to
// go. That is no reason to crash, nor to stop a migration halfway: drop the output.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
});

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = report(err, true);
  },
);
