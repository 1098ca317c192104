/**
 * Validates a config object against the JSON Schema (./schema.ts) with ajv, and turns
 * ajv's first relevant error into the one-line message autogen has always given:
 * `<file>:<line>: unknown field "x" (known fields: …)`, `field "x" must be a string`,
 * `unknown dialect "x" (expected one of: …)`. Errors are reported in the order the
 * fields appear in the file, so fixing them top-down works.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { UserError } from "../errors.js";
import { configSchema, type ConfigField, type ConfigFile } from "./schema.js";

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  // allErrors: the message reports the first problem *in the file's order*, not ajv's.
  // validateSchema off: checking our own schema against the JSON Schema meta-schema cost
  // most of the compile (a fifth of a warm `autogen check`); test/config-sources.test.ts compiles the shipped schema with it on.
  compiled ??= new Ajv({ allErrors: true, strict: true, validateSchema: false }).compile(configSchema);
  return compiled;
}

const PROPERTIES = configSchema.properties as Record<string, { type: string; enum?: readonly string[]; pattern?: string }>;
const KNOWN_FIELDS = Object.keys(PROPERTIES).filter((k) => k !== "$schema");

/**
 * Line (1-based) of the first occurrence of a field in the file's text: `"field"` in
 * JSON, also `field:` / `'field'` in a JS or TS config.
 */
export function lineOf(text: string, field: string): number | undefined {
  const escaped = field.replace(/[$]/g, "\\$");
  const match = new RegExp(`"${escaped}"|'${escaped}'|(?<![\\w$.])${escaped}\\s*:`).exec(text);
  if (!match) return undefined;
  return text.slice(0, match.index).split("\n").length;
}

/** The field an ajv error is about (the unknown one for additionalProperties). */
function fieldOf(error: ErrorObject): string | undefined {
  if (error.keyword === "additionalProperties" && error.instancePath === "")
    return String((error.params as { additionalProperty: string }).additionalProperty);
  const first = error.instancePath.split("/")[1];
  return first === undefined ? undefined : first.replace(/~1/g, "/").replace(/~0/g, "~");
}

function describeKind(field: string): string {
  if (field === "tenants") {
    return '{ "schemas": [...] | { "query": "..." } }, { "databases": [...] | { "query": "..." } } or { "module": "..." } (in autogen.config.ts also a function)';
  }
  return PROPERTIES[field]?.type === "array" ? "an array of strings" : "a string";
}

/** Shape problems come before value problems (a wrong dialect), as they always have. */
const VALUE_KEYWORDS = new Set(["enum", "pattern"]);

function message(error: ErrorObject, field: string, value: unknown): string {
  if (error.keyword === "additionalProperties" && error.instancePath === "")
    return `unknown field "${field}" (known fields: ${KNOWN_FIELDS.join(", ")})`;
  if (error.keyword === "enum") {
    return `unknown ${field} "${String(value)}" (expected one of: ${(PROPERTIES[field]?.enum ?? []).join(", ")})`;
  }
  if (error.keyword === "pattern") return `field "${field}" must be a plain identifier, got "${String(value)}"`;
  if (field === "tenants") return `field "tenants" must be ${describeKind(field)}`;
  return `field "${field}" must be ${describeKind(field)}`;
}

/**
 * The config as typed, or a UserError naming `file`, the line and the field. `text` is
 * the file's source, used only to find lines.
 */
export function validateConfig(file: string, text: string, raw: unknown): ConfigFile {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new UserError(`${file}: expected a JSON object at the top level`);
  }
  const validate = validator();
  // A tenants function (autogen.config.ts) is called when tenants are listed; JSON Schema cannot describe it.
  const tenantsFn = typeof (raw as { tenants?: unknown }).tenants === "function";
  const checked = tenantsFn ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "tenants")) : raw;
  if (validate(checked)) return raw as ConfigFile;
  const order = Object.keys(raw);
  const rank = (e: ErrorObject) => {
    const field = fieldOf(e);
    return (VALUE_KEYWORDS.has(e.keyword) ? order.length : 0) + (field === undefined ? -1 : order.indexOf(field));
  };
  const errors = [...(validate.errors ?? [])].sort((a, b) => rank(a) - rank(b));
  const error = errors[0]!;
  const field = fieldOf(error);
  if (field === undefined) throw new UserError(`${file}: ${error.message ?? "invalid configuration"}`);
  const line = lineOf(text, field);
  const where = line ? `${file}:${line}` : file;
  throw new UserError(`${where}: ${message(error, field, (raw as Record<string, unknown>)[field])}`);
}

export type { ConfigField };
