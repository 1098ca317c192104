/**
 * merge heads
 *
 * Revision:      9e8d7c6b5a40
 * Revises:       7a8b9c0d1e2f, b1c2d3e4f5a6
 * Depends on:    c0ffee000001
 * Branch labels: release
 * Created:       2026-11-24T10:00:00.000Z
 */
import type { Operations } from "autogen";

export const revision = "9e8d7c6b5a40";
export const downRevision = ["7a8b9c0d1e2f", "b1c2d3e4f5a6"];
export const dependsOn = ["c0ffee000001"];
export const branchLabels = ["release"];
export const message = "merge heads";
export const createdAt = "2026-11-24T10:00:00.000Z";

export function upgrade(op: Operations): void {
  // nothing to do
}

export function downgrade(op: Operations): void {
  // nothing to do
}
