/**
 * The PostgreSQL dialect: transactional DDL, named enum types, five catalog queries
 * per introspection. Needs PostgreSQL 12 or later (stored generated columns,
 * `pg_attribute.attgenerated`).
 */
import type { Dialect } from "../dialect.js";
import { connect } from "./connection.js";
import { dropAll } from "./drop-all.js";
import { isDriverError } from "./errors.js";
import { introspect } from "./introspect.js";
import { locks } from "./locks.js";
import { online } from "./online/index.js";
import { normalizeSchema } from "./normalize.js";
import { quoteIdent, quoteLiteral } from "./quote.js";
import { lexis } from "./lexis.js";
import { renderOp } from "./render.js";
import { renderEachOp } from "../render-ops.js";
import { seedInsert } from "./seed-insert.js";
import { session } from "./session.js";
import { testing } from "./testing.js";
import { beginTransaction, commitTransaction, rollbackTransaction } from "./transaction.js";
import { typeormMapping } from "./typeorm.js";
import { urls } from "./url.js";
import { MAX_IDENTIFIER_BYTES } from "./catalog/names.js";
import { versionTable } from "./version-table.js";
import { runLock } from "./run-lock.js";
import { widens } from "./widening.js";
import { postgresDiffPhases } from "./diff-phases.js";
import { postgresLint } from "./lint.js";
import { createPostgresScratch } from "./scratch.js";

export const postgresDialect: Dialect = {
  name: "postgres",
  title: "PostgreSQL",
  capabilities: {
    transactionalDDL: true,
    enumTypes: true,
    dropsUnnamedConstraints: false,
    schemas: true,
    materializedViews: true,
    outsideTransaction: true,
    maxIdentifierBytes: MAX_IDENTIFIER_BYTES,
  },
  urls,
  defaultSchema: "public",
  isDriverError,
  typeorm: typeormMapping,
  seedDataSource: (url, schema, user) => {
    const sameFamily = user.type === undefined || typeormMapping.family.has(user.type);
    const effective = schema ?? (sameFamily ? user.schema : undefined);
    return { types: ["postgres"], options: { url, ...(effective ? { schema: effective } : {}) } };
  },
  seedInsert,
  ciService: {
    name: "postgres",
    image: "postgres:16",
    env: { POSTGRES_PASSWORD: "postgres", POSTGRES_DB: "app" },
    port: 5432,
    healthCmd: "pg_isready",
    url: (host) => `postgres://postgres:postgres@${host}:5432/app`,
  },
  connect,
  introspect,
  normalizeSchema,
  renderOp: renderOp,
  renderOps: renderEachOp(renderOp),
  widens,
  diffPhases: postgresDiffPhases,
  lint: postgresLint,
  session,
  beginTransaction,
  commitTransaction,
  rollbackTransaction,
  versionTable,
  runLock,
  locks,
  online,
  createScratch: createPostgresScratch,
  dropAll,
  quoteIdent,
  quoteLiteral,
  lexis,
  testing,
};
