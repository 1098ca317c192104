/**
 * Whether to colour a stream, and the colours (picocolors, ~3 kB, so loading it costs
 * nothing measurable at start-up). The decision follows the common conventions:
 * NO_COLOR (any non-empty value) turns colour off; FORCE_COLOR turns it on ("0" or
 * "false": off); otherwise only a TTY whose TERM is not "dumb" gets colour, so pipes,
 * files and CI logs never see escape codes.
 */
import pc from "picocolors";

export type Colours = ReturnType<typeof pc.createColors>;

export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR.toLowerCase() !== "false";
  return stream.isTTY === true && env.TERM !== "dumb";
}

const on = pc.createColors(true);
const off = pc.createColors(false);

/**
 * Colours for `stream`: real ones, or identity functions when colour is off. Decided at
 * each call, not once per stream: the environment may change between two commands run
 * in one process (the tests run the CLI in-process), and the check costs nothing.
 */
export function coloursFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colours {
  return colourEnabled(stream, env) ? on : off;
}
