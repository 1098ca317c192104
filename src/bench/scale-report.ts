/** The scale section's tables: per database, each stage across the sizes, the growth, and the side-by-side ratios. */
import type { DialectName } from "../schema/ir.js";
import { mb, ms } from "./measure.js";
import { FAULT_STAGES, growth, STAGES, type ScaleRow, type Stage } from "./scale.js";
import { formatTable } from "./table.js";

const ratio = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "-" : `${value.toFixed(1)}×`);

export function scaleReport(rows: readonly ScaleRow[]): string {
  const out: string[] = [];
  for (const dialect of ["postgres", "sqlite"] as DialectName[]) {
    const mine = rows.filter((r) => r.dialect === dialect).sort((a, b) => a.size - b.size);
    if (mine.length === 0) continue;
    const largest = mine[mine.length - 1]!.size;
    const headers = ["stage", ...mine.map((r) => `N=${r.size}`), ...mine.map((r) => `rss N=${r.size}`), `t(${largest})/t(500)`];
    const cell = (row: ScaleRow, stage: Stage) => {
      const f = row.stages[stage];
      return f ? `${ms(f.ms)}${f.ok ? "" : " FAILED"}` : "-";
    };
    const rss = (row: ScaleRow, stage: Stage) => {
      const f = row.stages[stage];
      return f?.rssMb !== undefined && Number.isFinite(f.rssMb) ? mb(f.rssMb) : "";
    };
    const table = STAGES.map((stage) => [
      stage,
      ...mine.map((r) => cell(r, stage)),
      ...mine.map((r) => rss(r, stage)),
      ratio(growth(rows, dialect, stage)),
    ]);
    out.push(
      formatTable(
        `9. Scale, ${dialect}: N generated entities (10 columns, FK, unique, index each); each command a new process`,
        headers,
        table,
      ),
    );

    const side = mine.map((r) => {
      const f = (s: Stage) => r.stages[s]?.ms;
      const speedup = (ours: Stage, theirs: Stage) => {
        const a = f(ours);
        const b = f(theirs);
        return a && b ? b / a : undefined;
      };
      return [
        String(r.size),
        ms(f("introspect + diff") ?? Number.NaN),
        ms(f("TypeORM log()") ?? Number.NaN),
        ratio(speedup("introspect + diff", "TypeORM log()")),
        ms(f("check") ?? Number.NaN),
        ms(f("TypeORM whole-process diff") ?? Number.NaN),
        ratio(speedup("check", "TypeORM whole-process diff")),
        r.stages["TypeORM log()"]?.detail ?? "",
      ];
    });
    out.push(
      formatTable(
        // Rows re-measured with AUTOGEN_BENCH_REUSE_TYPEORM kept TypeORM's figures from an earlier run: say so.
        mine.some((r) => r.typeormFrom)
          ? `   Side by side with TypeORM, ${dialect}, same database; TypeORM's figures from the run of ${[...new Set(mine.map((r) => r.typeormFrom ?? "this run"))].join(", ")}, autogen's re-measured later (not the same run: a different load)`
          : `   Side by side with TypeORM, ${dialect}, same database, same run`,
        ["N", "introspect+diff", "TypeORM log()", "faster", "autogen check", "TypeORM process", "faster", "TypeORM says"],
        side,
      ),
    );
    const faulted = mine.filter((r) => r.faults);
    if (faulted.length) {
      out.push(
        formatTable(
          `   Faults of the first revision, ${dialect}: onto a tenth of its tables made by hand (refused, nothing dropped); killed (SIGKILL) after its first split transaction, then run again (resumed). no TypeORM counterpart (its migration:run never splits a migration)`,
          ["N", ...FAULT_STAGES, "what happened"],
          faulted.map((r) => [
            String(r.size),
            ...FAULT_STAGES.map((s) => {
              const f = r.faults![s];
              return f ? `${ms(f.ms)}${f.ok ? "" : " FAILED"}` : "-";
            }),
            FAULT_STAGES.map((s) => r.faults![s]?.detail)
              .filter(Boolean)
              .join("; "),
          ]),
        ),
      );
    }
  }
  return out.join("\n");
}
