/** A plain-text table for the benchmark's output: the first column left-aligned, figures right-aligned. */

export function formatTable(title: string, headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    "  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const rule = "  " + widths.map((w) => "-".repeat(w)).join("  ");
  return ["", title, line(headers), rule, ...rows.map(line)].join("\n");
}
