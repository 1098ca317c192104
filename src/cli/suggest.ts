/**
 * "Did you mean": yargs' own message for a mistyped command or flag, made one line that
 * names the mistake and the closest thing autogen knows (git's and Alembic's habit).
 */

/** Edit distance (insertions, deletions, substitutions; a swap of neighbours counts once). */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known name closest to `name`, if close enough to be what was meant. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (!best || d < best.d) best = { name: k, d };
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best && best.d <= limit ? best.name : undefined;
}

const flag = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

/**
 * yargs' failure message, rewritten where a suggestion helps: `Did you mean x?` (a mistyped
 * command) and `Unknown argument(s): …` (flags the command does not take).
 */
export function withSuggestion(message: string, argv: readonly string[], knownOptions: readonly string[]): string {
  const command = /^Did you mean (\S+)\?$/.exec(message);
  if (command) {
    const typed = argv.find((a) => !a.startsWith("-")) ?? "";
    return `unknown command "${typed}": did you mean \`autogen ${command[1]}\`? (autogen --help lists the commands)`;
  }
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (!unknown) return message;
  const names = unknown[1]!.split(", ");
  // Only what was typed as a flag: positionals yargs lists too are the command's business.
  const flags = names.filter((n) => argv.some((a) => a === flag(n) || a.startsWith(`${flag(n)}=`) || a === `--no-${n}`));
  if (flags.length === 0) return message;
  const parts = flags.map((n) => {
    const match = closest(
      n,
      knownOptions.filter((k) => k.length > 1),
    );
    return `unknown option ${flag(n)}${match ? `: did you mean --${match}?` : ""}`;
  });
  return `${parts.join("; ")} (--help lists the options)`;
}
