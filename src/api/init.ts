/**
 * `init`: scaffold a project — autogen.config.json, the versions directory and an
 * editable copy of the revision template (as Alembic's script.py.mako) — from what the
 * project shows (config/detect.ts): its database and its entities, each finding printed
 * with its reason.
 */
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { writeFileWhole } from "../files/write-whole.js";
import path from "node:path";
import { PROJECT_TEMPLATE_FILE, readDefaultTemplate } from "../codegen/index.js";
import { DEFAULT_CONFIG_FILE, defaultConfigFile, dialectNameOfUrl } from "../config/config.js";
import { detectProject } from "../config/detect.js";
import { findConfigFile, readConfigFile } from "../config/files.js";
import { UserError, errorMessage } from "../errors.js";
import { writeCiWorkflow } from "./ci-workflow.js";

export interface InitOptions {
  /** Project directory (default: the working directory), relative to `cwd`. */
  dir?: string;
  /** Working directory `dir` is relative to (default: the process's). */
  cwd?: string;
  /** Entity globs to write into the config. */
  entities?: string[];
  url?: string;
  /** Also write a CI workflow (`github`, `gitlab`); alone in a project that has a config already. */
  ci?: string;
  /** Environment the project's URL is looked for in (default process.env); `.env` is read, never loaded. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface InitResult {
  config: string;
  versionsDir: string;
  template: string;
  /** The CI workflow written, with `ci`. */
  workflow?: string;
}

export function init(options: InitOptions = {}): InitResult {
  const dir = path.resolve(options.cwd ?? process.cwd(), options.dir ?? ".");
  const log = options.log ?? (() => {});
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError(`${dir} is not a directory`);
  // A typed config (autogen.config.ts, …) counts as the project's config too.
  const configFile = (existsSync(dir) ? findConfigFile(dir) : undefined) ?? path.join(dir, DEFAULT_CONFIG_FILE);
  if (options.ci !== undefined && existsSync(configFile)) {
    // A project that is set up already only gets the workflow, for its configured database.
    const { config } = readConfigFile(configFile);
    const dialect =
      (config.url ? dialectNameOfUrl(config.url) : undefined) ??
      config.dialect ??
      detectProject(dir, { env: options.env ?? process.env }).dialect!;
    const workflow = writeCiWorkflow(dir, options.ci, dialect, log);
    return { config: configFile, versionsDir: "", template: "", workflow };
  }
  if (existsSync(configFile)) throw new UserError(`${configFile} already exists; not overwriting it`);
  const detected = detectProject(dir, {
    env: options.env ?? process.env,
    ...(options.url !== undefined ? { url: options.url } : {}),
    ...(options.entities ? { entities: options.entities } : {}),
  });
  for (const line of detected.findings) log(line);
  const config = defaultConfigFile({
    ...(detected.entities ? { entities: detected.entities } : {}),
    ...(detected.dataSource ? { dataSource: detected.dataSource } : {}),
    ...(detected.url ? { url: detected.url } : {}),
    ...(detected.dialect ? { dialect: detected.dialect } : {}),
  });
  const versionsDir = path.join(dir, config.versionsDir ?? "versions");
  const template = path.join(versionsDir, PROJECT_TEMPLATE_FILE);

  // A failed write leaves nothing of this init behind: what it created is removed again.
  const created: string[] = [];
  let workflow: string | undefined;
  try {
    if (!existsSync(versionsDir)) {
      mkdirSync(versionsDir, { recursive: true });
      created.push(versionsDir);
    }
    writeFileWhole(configFile, `${JSON.stringify(config, null, 2)}\n`, { exclusive: true });
    created.push(configFile);
    log(`Creating ${configFile} ... done`);
    log(`Creating directory ${versionsDir} ... done`);
    if (!existsSync(template)) {
      writeFileWhole(template, readDefaultTemplate(), { exclusive: true });
      created.push(template);
      log(`Creating ${template} ... done`);
    }
    workflow = options.ci !== undefined ? writeCiWorkflow(dir, options.ci, config.dialect!, log) : undefined;
  } catch (err) {
    for (const made of created.reverse()) rmSync(made, { recursive: true, force: true });
    if (err instanceof UserError) throw err;
    throw Object.assign(new UserError(`could not create ${versionsDir}: ${errorMessage(err)}; nothing was written`), { cause: err });
  }
  log(
    detected.entities || detected.dataSource
      ? `Next: \`autogen revision --autogenerate -m "initial"\` (a new database), or \`autogen baseline\` (one that exists already).`
      : `Edit "entities" in ${configFile}, then run \`autogen revision --autogenerate -m "initial"\`.`,
  );
  return { config: configFile, versionsDir, template, ...(workflow ? { workflow } : {}) };
}
