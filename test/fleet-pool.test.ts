/**
 * The fleet's building blocks without a server: the connection pool never has more than
 * its size open (on real SQLite connections), keeps a good connection for the next
 * tenant on the same URL and closes one released after a failure; the scheduler runs at
 * most `concurrency` jobs at once, records a failure and goes on, and stops scheduling
 * after one with failFast or a failing canary; tenant names from database URLs.
 */
import { describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import { ConnectionPool } from "../src/fleet/pool.js";
import { runEach } from "../src/fleet/schedule.js";
import { databaseNameOf, selectTenants, type Tenant } from "../src/fleet/tenants.js";
import { createTempDir } from "./helpers/databases.js";

const sqlite = getDialect("sqlite");

describe("ConnectionPool", () => {
  it("never opens more than its size, reuses a released connection for the same URL, closes a failed one", async () => {
    const dir = createTempDir("autogen-fleet-pool-");
    try {
      const urls = Array.from({ length: 6 }, (_, i) => `sqlite:${dir.file(`t${i}.sqlite`)}`);
      const pool = new ConnectionPool(2);
      let open = 0;
      let most = 0;
      await Promise.all(
        urls.map(async (url, i) => {
          const conn = await pool.acquire(url, sqlite, []);
          open++;
          most = Math.max(most, open);
          await conn.query("CREATE TABLE IF NOT EXISTS x (id integer)");
          await new Promise((r) => setTimeout(r, 5));
          open--;
          await pool.release(conn, i === 3);
        }),
      );
      expect(most).toBe(2);
      expect(pool.peak).toBe(2);
      expect(pool.opened).toBe(6);

      const a = await pool.acquire(urls[0]!, sqlite, []);
      await pool.release(a, false);
      const again = await pool.acquire(urls[0]!, sqlite, []);
      expect(again).toBe(a);
      await pool.release(again, true);
      const fresh = await pool.acquire(urls[0]!, sqlite, []);
      expect(fresh).not.toBe(a);
      await pool.release(fresh, false);
      // Retired: the next tenant on that URL gets a new connection.
      await pool.retire(urls[0]!);
      const afterRetire = await pool.acquire(urls[0]!, sqlite, []);
      expect(afterRetire).not.toBe(fresh);
      await pool.release(afterRetire, false);
      await pool.close();
    } finally {
      dir.remove();
    }
  });
});

describe("runEach", () => {
  const tenants: Tenant[] = Array.from({ length: 10 }, (_, i) => ({ name: `t${i}`, url: `sqlite:t${i}` }));

  it("runs at most `concurrency` at once; a failure is recorded with its error and the others go on", async () => {
    let running = 0;
    let most = 0;
    const outcomes = await runEach(
      tenants,
      async (t) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 3));
        running--;
        if (t.name === "t4") throw new Error("boom at postgres://u:pw@h/db");
        return { status: "upgraded", from: [], to: ["r1"] };
      },
      { concurrency: 3, title: "upgrade" },
    );
    expect(most).toBe(3);
    expect(outcomes.map((o) => o.status)).toEqual(tenants.map((t) => (t.name === "t4" ? "failed" : "upgraded")));
    expect(outcomes[4]!.error).toBe("boom at postgres://u:***@h/db");
  });

  it("failFast starts nothing after a failure; a failing canary stops the rest", async () => {
    const failFirst = async (t: Tenant) => {
      if (t.name === "t0") throw new Error("no");
      return { status: "upgraded" as const, from: [], to: [] };
    };
    const fast = await runEach(tenants, failFirst, { concurrency: 1, failFast: true, title: "upgrade" });
    expect(fast.map((o) => o.status)).toEqual(["failed", ...Array(9).fill("not-run")]);
    const canary = await runEach(tenants, failFirst, { concurrency: 4, canary: 3, title: "upgrade" });
    expect(canary.map((o) => o.status)).toEqual(["failed", "upgraded", "upgraded", ...Array(7).fill("not-run")]);
    const good = await runEach(tenants, async () => ({ status: "upgraded" as const, from: [], to: [] }), {
      concurrency: 4,
      canary: 3,
      title: "upgrade",
    });
    expect(good.every((o) => o.status === "upgraded")).toBe(true);
  });
});

describe("tenant names", () => {
  it("a database URL's name is its database, or its file without the extension", () => {
    expect(databaseNameOf("postgres://u:pw@host:5432/acme?sslmode=require")).toBe("acme");
    expect(databaseNameOf("mysql://root@127.0.0.1:3306/globex")).toBe("globex");
    expect(databaseNameOf("sqlite:/data/tenants/initech.sqlite")).toBe("initech");
    expect(databaseNameOf("sqlite:./hooli.db")).toBe("hooli");
  });

  it("--tenant keeps list order; an unknown name says what there is", () => {
    const all: Tenant[] = ["a", "b", "c"].map((name) => ({ name, url: "sqlite:x" }));
    expect(selectTenants(all, ["c", "a"]).map((t) => t.name)).toEqual(["a", "c"]);
    expect(() => selectTenants(all, ["z"])).toThrow("--tenant z: no such tenant (3 configured: a, b, c)");
  });
});
