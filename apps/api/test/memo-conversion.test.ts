import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertMemoVersion } from "@postvej/core/memo";
import { findMessageBody } from "@postvej/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import type { startRecipientServer } from "./support/recipient-server.ts";
import { must } from "./support/reply.ts";
import { addPullSystem, CVR, type seedAuthority, type TestApp } from "./support/test-app.ts";

// Issue 12 §1: each recipient system receives the MeMo version it chose, push and pull alike, through
// HTTP against a real loopback receiver that verifies every signature; libxml2 judges what arrives.
const XML = { "content-type": "application/xml" };
const XSD = {
  "1.1": join(import.meta.dirname, "../../../fixtures/memo/xsd/MeMo_core.xsd"),
  "1.2": join(import.meta.dirname, "../../../fixtures/memo/xsd/Version1.2/MeMo_core.xsd"),
} as const;
const REPRESENTATIVE = "/Message/MessageHeader/Sender/Representative";

let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
let r: Awaited<ReturnType<typeof startRecipientServer>>;
let kicks: Promise<unknown>[];

beforeEach(async () => {
  ({ r, t, s } = await pushFixture({ pushTimeoutMs: 2_000 }));
  kicks = [];
  t.deps.kickDeliveries = () => {
    const run = deliverDue(t.deps);
    kicks.push(run);
    return run.then(() => undefined);
  };
  // the primary system receives MeMo 1.1; the other keeps 1.2
  must(await t.call("PATCH", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`, s.admin, { memoVersion: "1.1" }), 200);
});
afterEach(() => r.close());

const settle = async () => void (await Promise.all(kicks.splice(0)));

/** A MeMo 1.2 letter whose sender acts through a representative (an element MeMo 1.1 does not have). */
function withRepresentative(cp: string): { xml: string; uuid: string } {
  const m = memoFor(CVR, { contactPointId: cp });
  const xml = m.xml.replace(
    /(<memo:label>Kommunen<\/memo:label>)/,
    "$1\n\t\t\t<memo:Representative>\n\t\t\t\t<memo:representativeID>87654321</memo:representativeID>\n\t\t\t\t<memo:idType>CVR</memo:idType>\n\t\t\t</memo:Representative>",
  );
  expect(xml).toContain("<memo:Representative>");
  return { xml, uuid: m.uuid };
}

/** libxml2's verdict on `bytes` against MeMo `version`'s schema. */
function xmllintValid(bytes: Uint8Array, version: "1.1" | "1.2"): boolean {
  const dir = mkdtempSync(join(tmpdir(), "postvej-convert-"));
  try {
    writeFileSync(join(dir, "m.xml"), bytes);
    const res = spawnSync("xmllint", ["--noout", "--nonet", "--schema", XSD[version], "m.xml"], { cwd: dir, encoding: "utf8" });
    return res.status === 0 && /m\.xml validates/.test(res.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bodiesOf = (uuid: string) => r.bodies.filter((b) => b.uuid === uuid);
const events = async (uuid: string) =>
  must(await t.call("GET", `/v1/messages/${uuid}`, s.admin), 200).events as {
    type: string;
    recipientSystemId: string | null;
    data: Record<string, unknown>;
  }[];

describe("each recipient system receives the MeMo version it chose", () => {
  it("push: a 1.2 message with a Representative reaches a 1.1 system as valid 1.1, signed over the converted bytes; recorded once", async () => {
    const m = withRepresentative(s.cpPrimary.id);
    must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
    await settle();
    const got = bodiesOf(m.uuid);
    expect(got).toHaveLength(1);
    expect(r.badSignatures).toEqual([]);
    const body = got[0]!.body;
    expect(text(body)).toContain('memoVersion="1.1" memoSchVersion="1.1.0"');
    expect(text(body)).not.toContain("Representative");
    expect(xmllintValid(body, "1.1")).toBe(true);
    expect(xmllintValid(new TextEncoder().encode(m.xml), "1.1")).toBe(false);
    expect(body).toEqual(convertMemoVersion(new TextEncoder().encode(m.xml), "1.1").bytes);
    // the message and its events say what the conversion did
    const detail = must(await t.call("GET", `/v1/messages/${m.uuid}`, s.admin), 200);
    expect(detail.state).toBe("delivered");
    const converted = (detail.events as { type: string }[]).filter((e) => e.type === "converted");
    expect(converted).toEqual([
      expect.objectContaining({
        recipientSystemId: s.primary.id,
        data: { converted: "1.2→1.1", from: "1.2", to: "1.1", dropped: [REPRESENTATIVE] },
      }),
    ]);
    const order = (detail.events as { type: string }[]).map((e) => e.type);
    expect(order.indexOf("converted")).toBeLessThan(order.indexOf("delivered"));
    // delivered again: converted again, recorded no second time
    must(await t.call("POST", `/v1/messages/${m.uuid}/redeliver`, s.admin), 202);
    await settle();
    expect(bodiesOf(m.uuid)).toHaveLength(2);
    expect(bodiesOf(m.uuid)[1]!.body).toEqual(body);
    expect((await events(m.uuid)).filter((e) => e.type === "converted")).toHaveLength(1);
    // the stored message (the sender's and the Virk mailbox's copy) keeps the original bytes
    expect(await findMessageBody(t.db, m.uuid)).toMatchObject({ encoding: "identity", body: new TextEncoder().encode(m.xml) });
  });

  it("push: a system of the message's own version gets the very bytes sent, and nothing is recorded", async () => {
    const m = withRepresentative(s.cpOther.id);
    must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
    await settle();
    expect(text(bodiesOf(m.uuid)[0]!.body)).toBe(m.xml);
    expect((await events(m.uuid)).map((e) => e.type)).not.toContain("converted");
  });

  it("pull: a 1.1 pull system fetches a 1.2 message as valid 1.1; the conversion is recorded once however often it is fetched", async () => {
    const { system: sys, contactPoint: cp, key } = await addPullSystem(t, s.admin, { memoVersion: "1.1" });
    const m = withRepresentative(cp.id);
    must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
    let wall = Date.now();
    t.deps.wallClock = () => wall;
    const fetched = await t.call("GET", `/v1/recipient/messages/${m.uuid}`, key);
    expect(fetched.status).toBe(200);
    const bytes = new TextEncoder().encode(fetched.text);
    expect(fetched.text).toContain('memoVersion="1.1" memoSchVersion="1.1.0"');
    expect(xmllintValid(bytes, "1.1")).toBe(true);
    expect(bytes).toEqual(convertMemoVersion(new TextEncoder().encode(m.xml), "1.1").bytes);
    // after the lease it is fetched again: the same bytes, still one converted event
    wall += 11 * 60_000;
    const again = await t.call("GET", `/v1/recipient/messages/${m.uuid}`, key);
    expect(again.text).toBe(fetched.text);
    const converted = (await events(m.uuid)).filter((e) => e.type === "converted");
    expect(converted).toEqual([
      expect.objectContaining({
        recipientSystemId: sys.id,
        data: { converted: "1.2→1.1", from: "1.2", to: "1.1", dropped: [REPRESENTATIVE] },
      }),
    ]);
    must(await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, key, { status: "COMPLETED" }), 200);
  });

  it("a 1.1 message reaches a 1.2 system as valid 1.2 (memoSchVersion dropped)", async () => {
    const m = memoFor(CVR, { name: "v1.1-minimum", contactPointId: s.cpOther.id });
    must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
    await settle();
    const body = bodiesOf(m.uuid)[0]!.body;
    expect(text(body)).toBe(m.xml.replace('memoVersion="1.1" memoSchVersion="1.1.0"', 'memoVersion="1.2"'));
    expect(xmllintValid(body, "1.2")).toBe(true);
    expect((await events(m.uuid)).filter((e) => e.type === "converted").map((e) => e.data)).toEqual([
      { converted: "1.1→1.2", from: "1.1", to: "1.2", dropped: ["/Message/@memoSchVersion"] },
    ]);
  });

  it("the test delivery sends the system's version, signed", async () => {
    for (const [system, path, version] of [
      [s.other, "/other", "1.2"],
      [s.primary, "/primary", "1.1"],
    ] as const) {
      const res = must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${system.id}/test`, s.admin), 200);
      expect(res.outcome).toBe("delivered");
      const body = r.bodies.find((b) => b.uuid === res.messageUUID && b.path === path)!.body;
      expect(text(body)).toContain(`memoVersion="${version}"`);
      expect(xmllintValid(body, version)).toBe(true);
    }
    expect(r.badSignatures).toEqual([]);
  });

  it("relocation: post moved out of Virk to a system of the other version arrives converted; the Virk mailbox kept the original", async () => {
    r.set("/other", 503);
    must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/primary`, s.admin), 200);
    const m = withRepresentative(s.cpOther.id);
    must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
    await settle();
    expect(must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/deactivate`, s.admin), 200)).toMatchObject({
      moved: 1,
      destination: { kind: "virk" },
    });
    const inVirk = await t.call("GET", `/v1/authorities/${CVR}/virk/messages/${m.uuid}`, s.admin, undefined, { accept: "application/xml" });
    expect(inVirk.status).toBe(200);
    expect(inVirk.text).toBe(m.xml);
    const rel = must(
      await t.call("POST", `/v1/authorities/${CVR}/relocations`, s.admin, {
        selection: { all: true },
        targetContactPointId: s.cpPrimary.id,
        preferOriginal: false,
        dryRun: false,
      }),
      202,
    );
    expect(rel).toMatchObject({ state: "finished", moved: 1 });
    await t.deps.runJobs(await t.clock.now());
    await settle();
    const pushed = bodiesOf(m.uuid).filter((b) => b.path === "/primary");
    expect(pushed).toHaveLength(1);
    expect(xmllintValid(pushed[0]!.body, "1.1")).toBe(true);
    expect(r.badSignatures).toEqual([]);
    const converted = (await events(m.uuid)).filter((e) => e.type === "converted");
    expect(converted).toEqual([
      expect.objectContaining({
        recipientSystemId: s.primary.id,
        data: expect.objectContaining({ converted: "1.2→1.1", dropped: [REPRESENTATIVE] }),
      }),
    ]);
  });
});
