/**
 * The CI job `autogen init --ci github|gitlab` writes: the configured database's server
 * as a service (PostgreSQL, MariaDB; none for SQLite, whose database is a file), `npm ci`,
 * `autogen test` (pytest-alembic's checks on a scratch database), then `autogen check`
 * against the database upgraded to head, with annotations on the pull request and a
 * Markdown summary.
 */
import { existsSync } from "node:fs";
import { writeFileWhole } from "../files/write-whole.js";
import path from "node:path";
import type { CiService } from "../dialects/dialect.js";
import { getDialect, type DialectName } from "../dialects/index.js";
import { UsageError, UserError } from "../errors.js";

export const CI_PROVIDERS = ["github", "gitlab"] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number];

export const GITHUB_WORKFLOW_FILE = ".github/workflows/autogen.yml";
export const GITLAB_CI_FILE = ".gitlab-ci.yml";
/** Where the GitLab job goes when the project has a pipeline already (it is included from there). */
export const GITLAB_INCLUDE_FILE = ".gitlab/ci/autogen.yml";

const HEADER = `# Checks every pull request's migrations: autogen test runs the revisions up and down
# on a scratch database it creates; autogen check compares the models with the database
# upgraded to head. Exit codes: 0 clean, 1 drift or a failed test, 2 usage/config,
# 3 behind head / unmerged heads / changed revision, 4 cannot connect.`;

const indent = (text: string, n: number) => text.replace(/^(?=.)/gm, " ".repeat(n));

function githubService(s: CiService): string {
  return `services:
  ${s.name}:
    image: ${s.image}
    env:
${Object.entries(s.env)
  .map(([k, v]) => `      ${k}: ${v}`)
  .join("\n")}
    ports:
      - ${s.port}:${s.port}
    options: >-
      --health-cmd "${s.healthCmd}"
      --health-interval 5s
      --health-timeout 5s
      --health-retries 10
env:
  # Overrides "url" in autogen.config.json.
  AUTOGEN_DATABASE_URL: ${s.url("localhost")}
`;
}

/** The GitHub Actions workflow for `dialect` (also shown in the README). */
export function githubWorkflow(dialect: DialectName = "postgres"): string {
  const service = getDialect(dialect).ciService;
  return `# Written by \`autogen init --ci github\`.
${HEADER}
name: autogen

on:
  pull_request:
  push:
    branches: [main]

jobs:
  migrations:
    runs-on: ubuntu-latest
${service ? indent(githubService(service), 4) : ""}    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Migrations go up and down (single head, stairway, models match head)
        run: npx autogen test --format github
      - name: Upgrade the database to head
        run: npx autogen upgrade head
      - name: Models match the database
        run: npx autogen check --format github
      - name: Summary
        if: always()
        run: npx autogen check --format markdown >> "$GITHUB_STEP_SUMMARY"
`;
}

/** The GitLab CI job for `dialect` (also shown in the README). */
export function gitlabWorkflow(dialect: DialectName = "postgres"): string {
  const s = getDialect(dialect).ciService;
  const service = s
    ? `  services:
    - name: ${s.image}
      alias: ${s.name}
  variables:
${Object.entries({ ...s.env, AUTOGEN_DATABASE_URL: s.url(s.name) })
  .map(([k, v]) => `    ${k}: ${v}`)
  .join("\n")}
`
    : "";
  return `# Written by \`autogen init --ci gitlab\`.
${HEADER}
autogen:
  image: node:20
${service}  script:
    - npm ci
    - npx autogen test
    - npx autogen upgrade head
    - npx autogen check --format markdown > autogen-check.md
  artifacts:
    when: always
    paths: [autogen-check.md]
`;
}

function writeNew(file: string, text: string, log: (line: string) => void): string {
  if (existsSync(file)) throw new UserError(`${file} already exists; not overwriting it`);
  writeFileWhole(file, text, { exclusive: true });
  log(`Creating ${file} ... done`);
  return file;
}

/** Writes the CI job for `dialect` into `dir`; never overwrites a file. */
export function writeCiWorkflow(dir: string, provider: string, dialect: DialectName, log: (line: string) => void): string {
  if (!(CI_PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(`--ci ${provider}: unknown CI provider (known: ${CI_PROVIDERS.join(", ")})`);
  }
  const service = getDialect(dialect).ciService;
  log(
    `ci: ${service ? `a ${service.image} service for the ${getDialect(dialect).title} database` : `no database service (${getDialect(dialect).title} is a file)`}`,
  );
  if (provider === "github") return writeNew(path.join(dir, GITHUB_WORKFLOW_FILE), githubWorkflow(dialect), log);
  // A project with a pipeline already gets the job in a file of its own, to include.
  if (!existsSync(path.join(dir, GITLAB_CI_FILE))) return writeNew(path.join(dir, GITLAB_CI_FILE), gitlabWorkflow(dialect), log);
  const file = writeNew(path.join(dir, GITLAB_INCLUDE_FILE), gitlabWorkflow(dialect), log);
  log(`Add it to ${GITLAB_CI_FILE}: include: [{ local: ${GITLAB_INCLUDE_FILE} }]`);
  return file;
}
