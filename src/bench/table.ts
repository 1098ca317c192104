/** A plain-text table for the benchmark's output: aligned columns, numbers right-aligned. */

const NUMERIC = /^[-+]?[\d.,]+(\s?\w+)?$/;

export function formatTable(title: string, headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const cell = (text: string, i: number, alignRight: boolean) =>
    alignRight ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const line = (cells: readonly string[], header: boolean) =>
    "  " +
    cells
      .map((c, i) => cell(c, i, !header && i > 0 && NUMERIC.test(c)))
      .join("  ")
      .trimEnd();
  const rule = "  " + widths.map((w) => "-".repeat(w)).join("  ");
  return [title, line(headers, true), rule, ...rows.map((r) => line(r, false))].join("\n");
}
