import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { databaseUrl, readConfig, readServerConfig } from "../src/config.ts";

const base = { POSTVEJ_OPERATOR_TOKEN: "op_config_test_0123456789" };

describe("readConfig", () => {
  it("reads the documented defaults and numbers given", () => {
    expect(readConfig(base, { production: false })).toMatchObject({
      maxBodyBytes: 30 * 1048576,
      pushTimeoutMs: 15_000,
      portalTokenTtlSeconds: 900,
    });
    expect(
      readConfig(
        { ...base, POSTVEJ_MAX_BODY_MB: "2.5", POSTVEJ_PUSH_TIMEOUT_MS: "5000", POSTVEJ_PORTAL_TOKEN_TTL: "" },
        { production: false },
      ),
    ).toMatchObject({ maxBodyBytes: Math.round(2.5 * 1048576), pushTimeoutMs: 5000, portalTokenTtlSeconds: 900 });
  });

  it.each([
    ["POSTVEJ_MAX_BODY_MB", "thirty", "POSTVEJ_MAX_BODY_MB=thirty is not a number from 0.001 to 1024"],
    ["POSTVEJ_MAX_BODY_MB", "-1", "POSTVEJ_MAX_BODY_MB=-1 is not a number from 0.001 to 1024"],
    ["POSTVEJ_PUSH_TIMEOUT_MS", "1.5", "POSTVEJ_PUSH_TIMEOUT_MS=1.5 is not a whole number from 100 to 600000"],
    ["POSTVEJ_PORTAL_TOKEN_TTL", "Infinity", "POSTVEJ_PORTAL_TOKEN_TTL=Infinity is not a whole number from 60 to 86400"],
  ])("refuses %s=%s instead of running without the limit", (name, value, message) => {
    expect(() => readConfig({ ...base, [name]: value }, { production: false })).toThrow(message);
  });
});

describe("the one config reader", () => {
  it("reads the database, the mail and the claim lease once, for both entries", () => {
    const node = readConfig(base, { production: false, runtime: "node" });
    expect(node.database).toEqual({ url: "file:./data/postvej.db", authToken: undefined, requestTimeoutMs: 30_000 });
    expect(node.mail).toEqual({ kind: "file", dir: "./data/mail", from: "postvej@localhost" });
    expect(node.claimLeaseMs).toBeNull();
    const workers = readConfig(
      { ...base, POSTVEJ_MAIL_FROM: " Postvej <p@kommune.dk> ", POSTVEJ_CLAIM_LEASE_MS: "45000" },
      { production: true, runtime: "workers" },
    );
    expect(workers.database.url).toBeNull();
    expect(() => databaseUrl(workers)).toThrow("LIBSQL_URL must be set");
    expect(workers.mailFrom).toBe("Postvej <p@kommune.dk>");
    expect(workers.mail.from).toBe(workers.mailFrom);
    expect(workers.claimLeaseMs).toBe(45_000);
    expect(
      readConfig({ ...base, LIBSQL_URL: "http://127.0.0.1:8080", LIBSQL_AUTH_TOKEN: "t" }, { runtime: "workers" }).database,
    ).toMatchObject({ url: "http://127.0.0.1:8080", authToken: "t" });
  });

  it("takes the entry's defaults when a variable is unset", () => {
    expect(readConfig({}, { operatorToken: "op_generated_0123456789", clock: "simulated", runtime: "node" })).toMatchObject({
      operatorToken: "op_generated_0123456789",
      simulatedClock: true,
      production: false,
    });
    expect(readConfig({ ...base, POSTVEJ_CLOCK: "real" }, { clock: "simulated" }).simulatedClock).toBe(false);
    expect(readConfig({ ...base, NODE_ENV: "production" }, {}).production).toBe(true);
  });

  it.each([
    ["POSTVEJ_MAIL_FROM", "postvej", "POSTVEJ_MAIL_FROM is not an address: postvej"],
    ["POSTVEJ_CLAIM_LEASE_MS", "10", "POSTVEJ_CLAIM_LEASE_MS=10 is not a whole number from 1000 to 3600000"],
    ["POSTVEJ_DB_TIMEOUT_MS", "soon", "POSTVEJ_DB_TIMEOUT_MS=soon is not a whole number from 100 to 600000"],
    ["POSTVEJ_ENV", "prod", "POSTVEJ_ENV=prod is not production or development"],
    ["POSTVEJ_ENV", "Production", "POSTVEJ_ENV=Production is not production or development"],
    ["POSTVEJ_CLOCK", "simulate", "POSTVEJ_CLOCK=simulate is not simulated or real"],
    ["POSTVEJ_PORTAL_URL", "portal.kommune.dk", "POSTVEJ_PORTAL_URL=portal.kommune.dk is not an http(s) address"],
    ["POSTVEJ_PORTAL_URL", "mailto:it@kommune.dk", "POSTVEJ_PORTAL_URL=mailto:it@kommune.dk is not an http(s) address"],
    ["POSTVEJ_OPERATOR_TOKEN", " ".repeat(20), "POSTVEJ_OPERATOR_TOKEN must be set (at least 16 characters)"],
  ])("refuses %s=%s", (name, value, message) => {
    expect(() => readConfig({ ...base, [name]: value }, { production: false })).toThrow(message);
  });

  it("reads POSTVEJ_ENV, POSTVEJ_CLOCK and POSTVEJ_PORTAL_URL as given, and unset or empty as the default", () => {
    expect(readConfig({ ...base, POSTVEJ_ENV: "production" }, { production: false }).production).toBe(true);
    expect(readConfig({ ...base, POSTVEJ_ENV: "development", NODE_ENV: "production" }, {}).production).toBe(false);
    expect(readConfig({ ...base, POSTVEJ_ENV: "" }, { production: true }).production).toBe(true);
    expect(readConfig({ ...base, POSTVEJ_CLOCK: "simulated" }, { production: false }).simulatedClock).toBe(true);
    expect(readConfig({ ...base, POSTVEJ_CLOCK: " " }, { clock: "simulated", production: false }).simulatedClock).toBe(true);
    expect(readConfig({ ...base, POSTVEJ_PORTAL_URL: "https://portal.kommune.dk/post" }, {}).portalUrl).toBe(
      "https://portal.kommune.dk/post",
    );
    expect(readConfig({ ...base, POSTVEJ_PORTAL_URL: "" }, {}).portalUrl).toBeNull();
    expect(readConfig({ ...base, POSTVEJ_CLAIM_LEASE_MS: " " }, {}).claimLeaseMs).toBeNull();
  });

  it("reads the Node server's own settings", () => {
    expect(readServerConfig({}, "/srv")).toEqual({
      port: 8787,
      host: "127.0.0.1",
      parseThreads: null,
      demoReceiverPort: 0,
      delivery: { batch: 500, perSystem: 200, perSystemConcurrency: 16 },
      baseDir: "/srv",
    });
    const env = { PORT: "9000", HOST: "0.0.0.0", POSTVEJ_PARSE_THREADS: "0", INIT_CWD: "/repo" };
    const delivery = { POSTVEJ_DELIVERY_BATCH: "100", POSTVEJ_DELIVERY_PER_SYSTEM: "20", POSTVEJ_DELIVERY_CONCURRENCY: "2" };
    expect(readServerConfig({ ...env, ...delivery }, "/srv")).toEqual({
      port: 9000,
      host: "0.0.0.0",
      parseThreads: 0,
      demoReceiverPort: 0,
      delivery: { batch: 100, perSystem: 20, perSystemConcurrency: 2 },
      baseDir: "/repo",
    });
    expect(() => readServerConfig({ POSTVEJ_DELIVERY_CONCURRENCY: "0" }, "/srv")).toThrow(
      "POSTVEJ_DELIVERY_CONCURRENCY=0 is not a whole number from 1 to 256",
    );
    expect(() => readServerConfig({ PORT: "http" }, "/srv")).toThrow("PORT=http is not a whole number from 0 to 65535");
    expect(() => readServerConfig({ POSTVEJ_PARSE_THREADS: "many" }, "/srv")).toThrow(
      "POSTVEJ_PARSE_THREADS=many is not a whole number from 0 to 64",
    );
  });

  it("is the only place in apps/api/src that reads settings from the environment", () => {
    const src = fileURLToPath(new URL("../src/", import.meta.url));
    const readers = readdirSync(src, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && f !== "config.ts")
      .flatMap((f) =>
        readFileSync(join(src, f), "utf8")
          .split("\n")
          .map((line, i) => ({ at: `${f}:${i + 1}`, line })),
      )
      .filter(({ line }) => /process\.env\.|\benv\.(POSTVEJ_|LIBSQL_|PORT\b|HOST\b|NODE_ENV\b|INIT_CWD\b)|\benv\[/.test(line))
      .map(({ at }) => at);
    expect(readers).toEqual([]);
  });
});
