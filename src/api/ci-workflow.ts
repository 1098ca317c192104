/**
 * The CI workflow `autogen init --ci github` writes: a PostgreSQL service, `npm ci`,
 * `autogen test` (pytest-alembic's checks on a scratch database), then `autogen check`
 * against the service database upgraded to head, with annotations on the pull request
 * and a Markdown summary on the run's page.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UsageError, UserError } from "../errors.js";

export const CI_PROVIDERS = ["github"] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number];

export const GITHUB_WORKFLOW_FILE = ".github/workflows/autogen.yml";

/** The workflow's text (also shown in the README, with GitLab's equivalent). */
export function githubWorkflow(): string {
  return `# Written by \`autogen init --ci github\`. Checks every pull request's migrations:
# autogen test runs the revisions up and down on a scratch database it creates on the
# service; autogen check compares the models with the database upgraded to head.
# Exit codes: 0 clean, 1 drift or a failed test, 2 usage/config, 3 behind head /
# unmerged heads / changed revision, 4 cannot connect.
name: autogen

on:
  pull_request:
  push:
    branches: [main]

jobs:
  migrations:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:16
        env:
          POSTGRES_PASSWORD: postgres
          POSTGRES_DB: app
        ports:
          - 5432:5432
        options: >-
          --health-cmd pg_isready
          --health-interval 5s
          --health-timeout 5s
          --health-retries 10
    env:
      # Overrides "url" in autogen.config.json.
      AUTOGEN_DATABASE_URL: postgres://postgres:postgres@localhost:5432/app
    steps:
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

/** Writes the workflow into `dir`; refuses to overwrite one that exists. */
export function writeCiWorkflow(dir: string, provider: string, log: (line: string) => void): string {
  if (!(CI_PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(`--ci ${provider}: unknown CI provider (known: ${CI_PROVIDERS.join(", ")}); the README shows GitLab's equivalent`);
  }
  const file = path.join(dir, GITHUB_WORKFLOW_FILE);
  if (existsSync(file)) throw new UserError(`${file} already exists; not overwriting it`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, githubWorkflow());
  log(`Creating ${file} ... done`);
  return file;
}
