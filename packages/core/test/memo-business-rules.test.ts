import { describe, expect, it } from "vitest";
import { memoIssueKind, readMemo, type MemoIssue } from "../src/memo/index.ts";
import { asAuthorityPost, sampleBytes, sampleText, utf8 } from "./memo-samples.ts";

const UUID = "5f0d7c2a-3b1e-4c9d-8a7f-6e5d4c3b2a19";
const min12 = asAuthorityPost(sampleText("v1.2-minimum"), UUID);
const min11 = asAuthorityPost(sampleText("v1.1-minimum"), UUID);

function issues(xml: string): MemoIssue[] {
  const r = readMemo(utf8(xml));
  return r.ok ? [] : r.issues;
}
function businessCodes(xml: string): string[] {
  return issues(xml)
    .filter((i) => memoIssueKind(i.code) === "business")
    .map((i) => i.code);
}
const withFilename = (name: string): string =>
  min12.replace("<memo:filename>Pladsanvisning.pdf</memo:filename>", `<memo:filename>${name}</memo:filename>`);
const withUrl = (url: string): string =>
  min12.replace(
    "</memo:File>",
    `</memo:File><memo:Action><memo:label>Svar</memo:label><memo:actionCode>SELVBETJENING</memo:actionCode><memo:EntryPoint><memo:url>${url}</memo:url></memo:EntryPoint></memo:Action>`,
  );
const withHeader = (xml: string, after: string, element: string): string =>
  xml.replace(`<memo:label>${after}</memo:label>`, `<memo:label>${after}</memo:label>${element}`);

describe("business rules (one per rule)", () => {
  it('file names: no < > : " / \\ | ? *, line breaks or exotic spaces', () => {
    for (const bad of [
      "a&lt;b.pdf",
      "a&gt;b.pdf",
      "a:b.pdf",
      "a&quot;b.pdf",
      "a/b.pdf",
      "a\\b.pdf",
      "a|b.pdf",
      "a?b.pdf",
      "a*b.pdf",
      "a\nb.pdf",
      "a&#13;b.pdf",
      "a\tb.pdf",
      "a\u00a0b.pdf",
      "a\u2003b.pdf",
      "a\u200bb.pdf",
      "a\u3000b.pdf",
      "   ",
    ]) {
      expect(businessCodes(withFilename(bad)), JSON.stringify(bad)).toEqual(["invalid_filename"]);
    }
    for (const good of ["Pladsanvisning.pdf", "Praktiske oplysninger.doc", "Børnehave æøå (2).pdf", "rapport-2025_v1.2.pdf"]) {
      expect(issues(withFilename(good)), good).toEqual([]);
    }
    const r = issues(withFilename("a|b.pdf"))[0];
    expect(r?.path).toBe("/Message/MessageBody/MainDocument/File/filename");
  });

  it("EntryPoint/url must be an absolute https URL", () => {
    for (const bad of [
      "http://www.tusindfryd.dk",
      "/relative/path",
      "www.tusindfryd.dk",
      "ftp://x.dk/a",
      "https:/x.dk",
      "https://",
      "mailto:a@b.dk",
    ]) {
      expect(businessCodes(withUrl(bad)), bad).toEqual(["url_not_https"]);
    }
    for (const good of ["https://www.tusindfryd.dk/spørgeskema.html", "HTTPS://X.DK/a?b=c&amp;d=e#f", " https://x.dk "]) {
      expect(issues(withUrl(good)), good).toEqual([]);
    }
    const v11full = readMemo(sampleBytes("v1.1-full"));
    expect(!v11full.ok && v11full.issues.map((i) => i.code)).toEqual(["url_not_https", "url_not_https", "url_not_https"]);
  });

  it("a CPR number is 10 digits (recipient, sender and grd:cprNumber)", () => {
    const cprRecipient = (id: string): string =>
      min12.replace(
        /<memo:recipientID>[^<]*<\/memo:recipientID>\s*<memo:idType>CVR/,
        `<memo:recipientID>${id}</memo:recipientID><memo:idType>CPR`,
      );
    expect(issues(cprRecipient("2211771212"))).toEqual([]);
    for (const bad of ["221177121", "22117712123", "221177-1212", "22117712a2", " 2211771212"]) {
      expect(
        issues(cprRecipient(bad)).map((i) => [i.code, i.path]),
        bad,
      ).toEqual([["invalid_cpr", "/Message/MessageHeader/Recipient/recipientID"]]);
    }
    const full = sampleText("v1.2-full").replace("<grd:cprNumber>2512169996</grd:cprNumber>", "<grd:cprNumber>25121699</grd:cprNumber>");
    expect(businessCodes(full)).toEqual(["invalid_cpr"]);
  });

  it("a CVR number is 8 digits; the modulus-11 check is not applied to every id in a message", () => {
    const senderCvr = (id: string): string =>
      min12.replace("<memo:senderID>12345678</memo:senderID>", `<memo:senderID>${id}</memo:senderID>`);
    expect(issues(senderCvr("12345678"))).toEqual([]); // fails modulus 11, as in the official examples, and is fine
    for (const bad of ["1234567", "123456789", "DK12345678", ""]) {
      expect(
        issues(senderCvr(bad)).map((i) => [i.code, i.path]),
        bad,
      ).toEqual([["invalid_cvr", "/Message/MessageHeader/Sender/senderID"]]);
    }
    const full = sampleText("v1.2-full").replace(
      "<memo:representativeID>87654321</memo:representativeID>",
      "<memo:representativeID>8765432</memo:representativeID>",
    );
    expect(issues(full).map((i) => i.path)).toEqual(["/Message/MessageHeader/Sender/Representative/representativeID"]);
  });

  it("doNotDeliverUntilDate is a real date written YYYY-MM-DD", () => {
    const dated = (d: string): string =>
      withHeader(min12, "Pladsanvisning", `<memo:doNotDeliverUntilDate>${d}</memo:doNotDeliverUntilDate>`);
    const ok = readMemo(utf8(dated("2024-02-29")));
    expect(ok.ok && ok.summary.doNotDeliverUntilDate).toBe("2024-02-29");
    // schema-valid xs:date values that are not a plain date
    for (const d of ["2025-09-15Z", "2025-09-15+02:00", "12025-09-15", "-2025-09-15"]) {
      expect(
        issues(dated(d)).map((i) => i.code),
        d,
      ).toEqual(["invalid_do_not_deliver_until_date"]);
    }
    // not a date at all: the schema says so too
    for (const d of ["2025-02-29", "2025-13-01", "15-09-2025"]) {
      expect(
        issues(dated(d)).map((i) => i.code),
        d,
      ).toEqual(["invalid_date", "invalid_do_not_deliver_until_date"]);
    }
  });

  it("memoVersion 1.1 goes with memoSchVersion 1.1.0", () => {
    expect(issues(min11)).toEqual([]);
    expect(businessCodes(min11.replace('memoSchVersion="1.1.0"', 'memoSchVersion="1.1.1"'))).toEqual(["unsupported_sch_version"]);
    expect(issues(min11.replace(' memoSchVersion="1.1.0"', "")).map((i) => i.code)).toEqual(["missing_sch_version"]);
  });

  it("reports every problem at once, with paths", () => {
    const xml = withUrl("http://x.dk")
      .replace("Pladsanvisning.pdf", "a:b.pdf")
      .replace("<memo:senderID>12345678", "<memo:senderID>1234")
      .replace(/<memo:createdDateTime>[^<]*/, "<memo:createdDateTime>2024-05-03T12:00:00+02:00");
    expect(issues(xml).map((i) => `${i.code} ${i.path}`)).toEqual([
      "date_time_not_utc /Message/MessageBody/createdDateTime",
      "invalid_cvr /Message/MessageHeader/Sender/senderID",
      "invalid_filename /Message/MessageBody/MainDocument/File/filename",
      "url_not_https /Message/MessageBody/MainDocument/Action/EntryPoint/url",
    ]);
  });
});
