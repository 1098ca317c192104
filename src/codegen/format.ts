/**
 * Prettier formatting of generated revisions with the user's own configuration, so a
 * fresh revision already passes the project's `prettier --check`.
 */
import * as prettier from "prettier";
import { UserError, errorMessage } from "../errors.js";

export type FormatOptions = prettier.Options;

/**
 * The prettier options that apply to `filePath` (searched upwards from its directory,
 * `.editorconfig` included as the prettier CLI does), or prettier's defaults when no
 * path is given or nothing is found. The parser is always TypeScript.
 */
export async function resolveFormatOptions(filePath?: string): Promise<FormatOptions> {
  let config: prettier.Options | null = null;
  if (filePath !== undefined) {
    try {
      config = await prettier.resolveConfig(filePath, { useCache: false, editorconfig: true });
    } catch (err) {
      // Parser errors span several lines (message, then the reason); the CLI shows one.
      const reason = errorMessage(err)
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .join(" ");
      throw new UserError(`cannot read the prettier configuration that applies to ${filePath}: ${reason}`);
    }
  }
  return { ...(config ?? {}), parser: "typescript" };
}

/** Columns one indentation level takes in the formatted output. */
export function indentWidth(options: FormatOptions): number {
  return options.tabWidth ?? 2;
}

/** How much text went through prettier (the writer's tests count it instead of timing it). */
export const formatStats = {
  calls: 0,
  bytes: 0,
  reset(): void {
    this.calls = 0;
    this.bytes = 0;
  },
};

export async function formatTypeScript(text: string, options: FormatOptions, what = "revision file"): Promise<string> {
  formatStats.calls += 1;
  formatStats.bytes += text.length;
  try {
    return await prettier.format(text, options);
  } catch (err) {
    throw new UserError(`prettier could not format the generated ${what}: ${errorMessage(err).split("\n")[0]}`);
  }
}
