/**
 * How long-running API calls report where they are, for a status line on a terminal.
 * The API only calls these; whether anything is shown (a TTY, not CI, not JSON output)
 * is the caller's decision (src/cli/progress.ts), and the default is no sink at all.
 */
export interface ProgressSink {
  /**
   * Work begins. `total`: how many items (revisions) it has; `size`: how big it is in
   * other terms (tables), so a sink can show big work at once and small work never;
   * `count`: a live figure read while an item runs (statements sent so far); `unit`: what
   * an item is (default "revision"; a fleet counts tenants).
   */
  begin(title: string, options?: { total?: number; size?: number; count?: () => number; countLabel?: string; unit?: string }): void;
  /** Item `n` (1-based) of `total` is running. */
  item(n: number, label: string): void;
  /** A phase of the work ("reading models", "comparing 2000 tables"); `size` as in `begin`. */
  phase(label: string, size?: number): void;
  /** The work is over, whether it succeeded or not. */
  end(): void;
}
