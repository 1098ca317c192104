/**
 * Which type changes keep every value on MySQL/MariaDB: a wider integer of the same
 * signedness, float to double, a decimal with at least as many integer and fraction
 * digits, a longer string or a larger text type, date to datetime.
 */
import type { ColumnTypeIR } from "../../schema/ir.js";
import { splitType } from "./types.js";

const INTEGERS = ["tinyint", "smallint", "mediumint", "int", "bigint"];
const TEXTS = ["tinytext", "text", "mediumtext", "longtext"];
const STRINGS = new Set(["char", "varchar"]);

export function widens(from: ColumnTypeIR, to: ColumnTypeIR): boolean {
  const a = splitType(from.type);
  const b = splitType(to.type);
  if (INTEGERS.includes(a.base) && INTEGERS.includes(b.base)) {
    return a.unsigned === b.unsigned && INTEGERS.indexOf(b.base) >= INTEGERS.indexOf(a.base);
  }
  if (a.base === "float" && b.base === "double") return true;
  if (a.base === "decimal" && b.base === "decimal") {
    const [pa, sa, pb, sb] = [from.precision ?? 10, from.scale ?? 0, to.precision ?? 10, to.scale ?? 0];
    return sb >= sa && pb - sb >= pa - sa && (a.unsigned || !b.unsigned);
  }
  if (STRINGS.has(a.base) && b.base === "varchar") return (to.length ?? 255) >= (from.length ?? 1);
  if ((STRINGS.has(a.base) || TEXTS.includes(a.base)) && TEXTS.includes(b.base)) {
    return !TEXTS.includes(a.base) || TEXTS.indexOf(b.base) >= TEXTS.indexOf(a.base);
  }
  if (a.base === "date" && (b.base === "datetime" || b.base === "timestamp")) return true;
  return false;
}
