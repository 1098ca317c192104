/**
 * Timing and memory helpers for the benchmark. Figures are printed, never asserted:
 * wall time on a shared 2-core machine is too noisy to fail a build on.
 */
import { performance } from "node:perf_hooks";

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Timed<T> {
  ms: number;
  result: T;
}

export async function timed<T>(fn: () => Promise<T> | T): Promise<Timed<T>> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

/** Runs `fn` `runs` times; the median and the spread (min..max) of the wall times, and the last result. */
export async function timedRuns<T>(
  runs: number,
  fn: () => Promise<T> | T,
): Promise<{ medianMs: number; minMs: number; maxMs: number; last: T }> {
  const times: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    const { ms, result } = await timed(fn);
    times.push(ms);
    last = result;
  }
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), last: last as T };
}

export interface MemorySnapshot {
  section: string;
  /** Resident set size right now (process.memoryUsage). */
  rssMb: number;
  heapUsedMb: number;
  /** Highest resident set size the process has reached so far (getrusage maxrss). */
  peakRssMb: number;
}

const MB = 1024 * 1024;

export function memorySnapshot(section: string): MemorySnapshot {
  const usage = process.memoryUsage();
  return {
    section,
    rssMb: usage.rss / MB,
    heapUsedMb: usage.heapUsed / MB,
    // maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

export const ms = (value: number): string =>
  Number.isNaN(value) ? "-" : value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;

export const mb = (value: number): string => `${value.toFixed(1)} MB`;

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
