import { describe, expect, it } from "vitest";
import { readMemo, parseMemo, validateMemo, memoIssueKind, type MemoIssue } from "../src/memo/index.ts";
import { asAuthorityPost, sampleBytes, sampleText, utf8, SAMPLE_NAMES } from "./memo-samples.ts";

const UUID = "0b3c9f0e-5a7d-4c1e-9f2a-1d2e3f405162";
const codes = (issues: MemoIssue[]): string[] => issues.map((i) => i.code);

describe("readMemo on the official samples", () => {
  it("accepts v1.1-minimum, v1.2-minimum and v1.2-full, and rejects v1.1-full for its http action URLs only", () => {
    for (const name of SAMPLE_NAMES) {
      const r = readMemo(sampleBytes(name));
      if (name === "v1.1-full") {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(new Set(codes(r.issues))).toEqual(new Set(["url_not_https"]));
      } else {
        expect(r.ok, name).toBe(true);
      }
    }
  });

  it("summarises v1.2-full", () => {
    const r = readMemo(sampleBytes("v1.2-full"));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.summary).toEqual({
      version: "1.2",
      messageUUID: "8c2ea15d-61fb-4ba9-9366-42f8b194c114",
      messageType: "DIGITALPOST",
      label: "Besked fra Børneforvaltningen",
      senderId: "12345678",
      senderIdType: "CVR",
      senderLabel: "Kommunen",
      recipientId: "2211771212",
      recipientIdType: "CPR",
      contactPointId: "241d39f6-998e-4929-b198-ccacbbf4b330",
      doNotDeliverUntilDate: "2025-09-15",
      attachmentCount: 6,
    });
    expect(r.memo.bytes).toBe(r.memo.bytes);
    expect(r.memo.MessageHeader.Sender.Representative?.representativeID).toBe("87654321");
    expect(r.memo.MessageHeader.mandatory).toBe(true);
    expect(r.memo.MessageHeader.ReplyData).toHaveLength(2);
    expect(r.memo.MessageBody?.MainDocument.Action[1]?.Reservation?.location).toBe("Gl. Landevej 61, 9000 aalborg, Rød stue");
    expect(r.memo.MessageBody?.AdditionalDocument[1]?.Action[0]?.EntryPoint?.url).toBe(
      "https://registration.nemhandel.dk/NemHandelRegisterWeb/public/participant/info?key=5798009811578&keytype=GLN",
    );
    expect(r.memo.MessageHeader.ContentData?.AdditionalContentData.map((a) => a.contentDataValue)).toEqual(["Værdi 1", "Værdi 2"]);
  });

  it("summarises v1.1-minimum rewritten to authority post, keeping the original bytes", () => {
    const bytes = utf8(asAuthorityPost(sampleText("v1.1-minimum"), UUID.toUpperCase()));
    const r = readMemo(bytes);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.memo.bytes).toBe(bytes);
    expect(r.memo.memoSchVersion).toBe("1.1.0");
    expect(r.summary).toMatchObject({
      version: "1.1",
      messageUUID: UUID,
      recipientId: "29189846",
      recipientIdType: "CVR",
      contactPointId: null,
      doNotDeliverUntilDate: null,
      attachmentCount: 1,
      label: "Pladsanvisning",
    });
    expect(r.memo.MessageHeader.mandatory).toBe(false);
  });

  it("parseMemo + validateMemo give the same answer as readMemo", () => {
    const parsed = parseMemo(sampleBytes("v1.2-minimum"));
    if (!parsed.ok) throw new Error("parse");
    const v = validateMemo(parsed.xml);
    expect(v.ok && v.summary.messageUUID).toBe("8c2ea15d-61fb-4ba9-9366-42f8b194c114");
  });
});

describe("versions", () => {
  const min12 = sampleText("v1.2-minimum");
  const min11 = sampleText("v1.1-minimum");
  it.each([
    ["unknown memoVersion", min12.replace('memoVersion="1.2"', 'memoVersion="1.3"'), "unknown_version"],
    ["1.1 without memoSchVersion", min11.replace(' memoSchVersion="1.1.0"', ""), "missing_sch_version"],
    ["1.2 with memoSchVersion", min12.replace('memoVersion="1.2"', 'memoVersion="1.2" memoSchVersion="1.1.0"'), "unexpected_sch_version"],
    ["no memoVersion (MeMo 1.0 layout)", min12.replace(' memoVersion="1.2"', ""), "unsupported_layout"],
    ["another namespace", min12.replaceAll("https://DigitalPost.dk/MeMo-1", "urn:memo-1.0"), "unsupported_layout"],
    [
      "1.2 element in a 1.1 message",
      sampleText("v1.2-full").replace('memoVersion="1.2"', 'memoVersion="1.1" memoSchVersion="1.1.0"'),
      "only_in_1_2",
    ],
    [
      "1.1 sample said to be 1.2 (mandatory order is fine, memoSchVersion is not)",
      min11.replace('memoVersion="1.1"', 'memoVersion="1.2"'),
      "unexpected_sch_version",
    ],
  ])("%s → %s", (_label, xml, code) => {
    const r = readMemo(utf8(xml));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(codes(r.issues)).toContain(code);
  });

  it("accepts any prefix and the default namespace", () => {
    const xml = min12.replace(/memo:/g, "m:").replace("xmlns:memo=", "xmlns:m=");
    expect(readMemo(utf8(xml)).ok).toBe(true);
    const def = min12.replace(/memo:/g, "").replace("xmlns:memo=", "xmlns=");
    expect(readMemo(utf8(def)).ok).toBe(true);
  });
});

describe("unsafe or broken XML is refused without throwing", () => {
  const min12 = sampleText("v1.2-minimum");
  const body = min12.replace(/^<\?xml[^>]*>\s*/, "");
  it.each([
    ["DOCTYPE", `<?xml version="1.0"?><!DOCTYPE Message>${body}`, "dtd_forbidden"],
    ["entity declaration", `<!DOCTYPE m [<!ENTITY a "aaaa">]>${body}`, "entity_forbidden"],
    ["external entity (XXE)", `<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>${body}`, "external_reference_forbidden"],
    ["undeclared entity reference", min12.replace("Kommunen", "&nbsp;Kommunen"), "entity_forbidden"],
    ["mismatched tags", min12.replace("</memo:label>", "</memo:lable>"), "malformed_xml"],
    ["unbound prefix", min12.replace("<memo:label>", "<x:label>").replace("</memo:label>", "</x:label>"), "malformed_xml"],
    ["text after the root", `${min12}junk`, "malformed_xml"],
    ["control character", min12.replace("Kommunen", "Kom\u0001munen"), "malformed_xml"],
    ["Latin-1 declared", min12.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), "invalid_encoding"],
  ])("%s → %s", (_label, xml, code) => {
    const r = readMemo(utf8(xml));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(codes(r.issues)).toContain(code);
      expect(r.issues.every((i) => memoIssueKind(i.code) === "xml")).toBe(true);
    }
  });

  it("refuses invalid UTF-8", () => {
    const bytes = utf8(min12);
    const bad = new Uint8Array(bytes.length + 2);
    bad.set(bytes.subarray(0, 200));
    bad.set([0xc3, 0x28], 200);
    bad.set(bytes.subarray(200), 202);
    const r = readMemo(bad);
    expect(!r.ok && r.issues[0]?.code).toBe("invalid_encoding");
  });

  it("refuses too large and too deep documents", () => {
    const r = readMemo(sampleBytes("v1.2-full"), { maxBytes: 10_000 });
    expect(!r.ok && r.issues[0]?.code).toBe("too_large");
    const deep = `<a>${"<b>".repeat(100)}${"</b>".repeat(100)}</a>`;
    const d = readMemo(utf8(deep));
    expect(!d.ok && d.issues[0]?.code).toBe("too_deep");
    expect(readMemo(sampleBytes("v1.2-full"), { maxDepth: 5 }).ok).toBe(false);
    expect(readMemo(sampleBytes("v1.2-full"), { maxDepth: 7 }).ok).toBe(true);
  });

  it("refuses a billion-laughs bomb at the DOCTYPE", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`).join("")}]><lolz>&lol9;</lolz>`;
    const r = readMemo(utf8(bomb));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(codes(r.issues)).toEqual(["dtd_forbidden", "entity_forbidden"]);
  });
});
