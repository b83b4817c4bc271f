import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config.ts";

const base = { POSTVEJ_OPERATOR_TOKEN: "op_config_test_0123456789" };

describe("readConfig", () => {
  it("reads the documented defaults and numbers given", () => {
    expect(readConfig(base, { production: false })).toMatchObject({ maxBodyBytes: 30 * 1048576, pushTimeoutMs: 15_000, portalTokenTtlSeconds: 900 });
    expect(readConfig({ ...base, POSTVEJ_MAX_BODY_MB: "2.5", POSTVEJ_PUSH_TIMEOUT_MS: "5000", POSTVEJ_PORTAL_TOKEN_TTL: "" }, { production: false }))
      .toMatchObject({ maxBodyBytes: Math.round(2.5 * 1048576), pushTimeoutMs: 5000, portalTokenTtlSeconds: 900 });
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
