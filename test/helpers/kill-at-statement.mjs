/**
 * Preloaded into a CLI process (`node --import`, see test/helpers/faults.ts) to kill it
 * with SIGKILL at a chosen statement: the n-th statement (AUTOGEN_TEST_KILL_NTH, default
 * 1) sent to the database by the pg, sqlite3 or mysql2 driver whose text matches
 * AUTOGEN_TEST_KILL_SQL, counted from the first one matching AUTOGEN_TEST_KILL_ARM when
 * that is set, either before it is sent or right after the server answered it
 * (AUTOGEN_TEST_KILL_WHEN=before|after). Nothing in autogen knows about it: the process
 * dies as under `kill -9`, its connection dropped mid-run.
 *
 * AUTOGEN_TEST_LOCK_BUDGET=<max_locks_per_transaction>,<max_connections> answers
 * PostgreSQL's lock-budget query with those settings instead of the server's (as
 * test/scale-locks.test.ts does in-process), so a revision of a few tables is split.
 */
import { createRequire } from "node:module";
import process from "node:process";

const require = createRequire(import.meta.url);
const pattern = process.env.AUTOGEN_TEST_KILL_SQL ? new RegExp(process.env.AUTOGEN_TEST_KILL_SQL, "i") : undefined;
const nth = Number(process.env.AUTOGEN_TEST_KILL_NTH ?? "1");
const after = (process.env.AUTOGEN_TEST_KILL_WHEN ?? "after") === "after";
const arm = process.env.AUTOGEN_TEST_KILL_ARM ? new RegExp(process.env.AUTOGEN_TEST_KILL_ARM, "i") : undefined;
const budget = process.env.AUTOGEN_TEST_LOCK_BUDGET?.split(",").map(Number);
let armed = arm === undefined;
let seen = 0;

const die = () => process.kill(process.pid, "SIGKILL");

/** A query's SQL: a string, or a driver's query object (pg's `{ text }`, mysql2's `{ sql }`). */
const text = (q) => (typeof q === "string" ? q : (q?.sql ?? q?.text));

/** Whether this statement is the one to die at. */
function chosen(sql) {
  if (!pattern || typeof sql !== "string") return false;
  if (!armed) {
    armed = arm.test(sql);
    return false;
  }
  if (!pattern.test(sql)) return false;
  seen += 1;
  return seen === nth;
}

/** Wraps a promise-returning method whose first argument is (or holds) the SQL. */
function patchPromise(proto, name, textOf) {
  const original = proto[name];
  proto[name] = function (...args) {
    if (!chosen(textOf(args[0]))) return original.apply(this, args);
    if (!after) die();
    const result = original.apply(this, args);
    return result && typeof result.then === "function" ? result.then(die, die) : result;
  };
}

/** Wraps a callback-style method (sqlite3): dies before the call, or when its callback is called. */
function patchCallback(proto, name) {
  const original = proto[name];
  proto[name] = function (sql, ...rest) {
    if (!chosen(sql)) return original.call(this, sql, ...rest);
    if (!after) die();
    const i = rest.findIndex((a) => typeof a === "function");
    if (i >= 0) rest[i] = die;
    return original.call(this, sql, ...rest);
  };
}

if (budget) {
  const Client = require("pg").Client;
  const original = Client.prototype.query;
  Client.prototype.query = function (config, ...rest) {
    // autogen sends { text, values, queryMode } (one statement per call); older callers a string.
    const sql = text(config);
    if (typeof sql === "string" && /^\s*SELECT\b[\s\S]*max_locks_per_transaction/i.test(sql)) {
      const faked = `SELECT ${budget[0]} AS max_locks_per_transaction, ${budget[1]} AS max_connections, 0 AS max_prepared_transactions`;
      config = typeof config === "string" ? faked : { ...config, text: faked };
    }
    return original.call(this, config, ...rest);
  };
}

if (pattern) {
  try {
    patchPromise(require("pg").Client.prototype, "query", text);
  } catch {
    // driver not installed
  }
  try {
    const sqlite3 = require("sqlite3");
    for (const name of ["all", "run", "exec", "get"]) patchCallback(sqlite3.Database.prototype, name);
  } catch {
    // driver not installed
  }
  try {
    patchPromise(require("mysql2/promise").PromiseConnection.prototype, "query", text);
  } catch {
    // driver not installed
  }
}
