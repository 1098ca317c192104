/**
 * Questions on the terminal, through @clack/prompts (loaded on first use, so `--help`
 * and every non-interactive run never pay for it). The contract every caller relies
 * on: a yes/no question whose default is No, answered on stdin, drawn on stderr (stdout
 * stays the command's output, e.g. an `--sql` script), and a cancelled prompt (Ctrl-C,
 * Esc) is a No. Callers ask only when stdin is a TTY.
 */
import type { RenameSuggestion } from "../diff/types.js";
import { activeStatusLine } from "./progress.js";

type Clack = typeof import("@clack/prompts");
let clack: Promise<Clack> | undefined;
const loadClack = (): Promise<Clack> => (clack ??= import("@clack/prompts"));

/** A trailing "[y/N]" or "(y/n)" in a caller's question: the prompt shows its own choices. */
const CHOICE_HINT = /\s*[[(]\s*y(es)?\s*\/\s*n(o)?\s*[\])]\s*:?\s*$/i;

async function confirmOnTty(message: string, yes: string, no: string): Promise<boolean> {
  const status = activeStatusLine();
  return status ? status.pause(() => ask(message, yes, no)) : ask(message, yes, no);
}

async function ask(message: string, yes: string, no: string): Promise<boolean> {
  const { confirm, isCancel } = await loadClack();
  const answer = await confirm({
    message,
    active: yes,
    inactive: no,
    // No is the default: an Enter pressed by habit must not drop a table or a column.
    initialValue: false,
    input: process.stdin,
    output: process.stderr,
  });
  return !isCancel(answer) && answer === true;
}

/**
 * Yes/no on the terminal, default No. `question` is one line ("Drop every table in
 * db? "); y/n answer at once, Enter takes the highlighted choice.
 */
export async function askOnTty(question: string): Promise<boolean> {
  return confirmOnTty(question.replace(CHOICE_HINT, "").trim(), "Yes", "No");
}

/**
 * The rename question, with both outcomes spelled out so the default (No: drop and
 * add, the same as without a prompt) is a conscious choice.
 */
export async function askRenameOnTty(question: string, suggestion: RenameSuggestion): Promise<boolean> {
  const what = suggestion.kind === "table" ? "table" : "column";
  return confirmOnTty(
    question,
    `Yes: rename the ${what} (keeps its data)`,
    `No: drop ${suggestion.from} and add ${suggestion.to} (loses its data)`,
  );
}
