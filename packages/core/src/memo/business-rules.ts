import { elementPath } from "./element-path.ts";
import type { MemoIssue } from "./issues.ts";
import { MEMO_NS } from "./namespaces.ts";
import { collapse } from "./simple-types.ts";
import type { RuleHit } from "./validate-schema.ts";
import type { XmlElement } from "./xml-types.ts";

/** Characters a file name may not contain: `< > : " / \ | ? *`, control characters, line breaks and every space but U+0020. */
const FILENAME_FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/u;
const YMD = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

function child(el: XmlElement, local: string, ns: string = MEMO_NS.memo): XmlElement | undefined {
  for (const c of el.children) if (c.local === local && c.ns === ns) return c;
  return undefined;
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return cp > 0x20 && cp < 0x7f ? `'${ch}'` : `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isRealYmd(value: string): boolean {
  const m = YMD.exec(value);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  return y > 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= days;
}

/** Why a file name is refused, or null when it is fine. */
export function filenameProblem(name: string): string | null {
  if (name.trim() === "") return "the file name is empty";
  const bad = FILENAME_FORBIDDEN.exec(name);
  if (bad !== null)
    return `the file name contains ${describeChar(bad[0])}; < > : " / \\ | ? *, line breaks and special spaces are not allowed`;
  return null;
}

/** Why an EntryPoint url is refused, or null when it is an absolute https URL. */
export function entryPointUrlProblem(raw: string): string | null {
  const url = collapse(raw);
  if (!/^https:\/\/[^/?#\s]/i.test(url)) return `'${url.slice(0, 80)}' is not an absolute https URL`;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" || parsed.hostname === "") return `'${url.slice(0, 80)}' is not an absolute https URL`;
  } catch {
    return `'${url.slice(0, 80)}' is not a valid URL`;
  }
  return null;
}

const ID_ELEMENT: Readonly<Record<string, string>> = { Sender: "senderID", Recipient: "recipientID", Representative: "representativeID" };

function idProblem(kind: "CPR" | "CVR", id: string): string | null {
  if (kind === "CPR") return /^[0-9]{10}$/.test(id) ? null : `a CPR number is 10 digits; got '${id.slice(0, 40)}'`;
  return /^[0-9]{8}$/.test(id) ? null : `a CVR number is 8 digits; got '${id.slice(0, 40)}'`;
}

/**
 * The business rules on top of the XSD: file names, https action URLs, CPR/CVR formats and a real
 * doNotDeliverUntilDate, on the elements the validator recognised (so they also run on messages
 * with schema problems elsewhere).
 */
export function checkBusinessRules(hits: readonly RuleHit[], issues: MemoIssue[]): void {
  for (const { el, rule } of hits) {
    if (rule !== "idHolder" && el.children.length > 0) continue;
    switch (rule) {
      case "filename": {
        const problem = filenameProblem(el.text);
        if (problem !== null) issues.push({ path: elementPath(el), code: "invalid_filename", message: problem });
        break;
      }
      case "entryPointUrl": {
        const problem = entryPointUrlProblem(el.text);
        if (problem !== null)
          issues.push({
            path: elementPath(el),
            code: "url_not_https",
            message: `EntryPoint/url must be an absolute https URL: ${problem}`,
          });
        break;
      }
      case "doNotDeliverUntilDate":
        if (!isRealYmd(el.text))
          issues.push({
            path: elementPath(el),
            code: "invalid_do_not_deliver_until_date",
            message: `doNotDeliverUntilDate must be a real date written YYYY-MM-DD; got '${el.text.slice(0, 40)}'`,
          });
        break;
      case "cpr":
      case "cvr": {
        const problem = idProblem(rule === "cpr" ? "CPR" : "CVR", el.text);
        if (problem !== null)
          issues.push({ path: elementPath(el), code: rule === "cpr" ? "invalid_cpr" : "invalid_cvr", message: problem });
        break;
      }
      case "idHolder": {
        const id = child(el, ID_ELEMENT[el.local] ?? "");
        const type = child(el, "idType");
        if (id === undefined || type === undefined || id.children.length > 0) break;
        const kind = collapse(type.text).toUpperCase();
        if (kind !== "CPR" && kind !== "CVR") break;
        const problem = idProblem(kind, id.text);
        if (problem !== null)
          issues.push({ path: elementPath(id), code: kind === "CPR" ? "invalid_cpr" : "invalid_cvr", message: problem });
        break;
      }
    }
  }
}
