import { checkBusinessRules } from "./business-rules.ts";
import type { MemoIssue } from "./issues.ts";
import { DEFAULT_MEMO_LIMITS, type MemoLimits } from "./limits.ts";
import type { MemoDocument } from "./model.ts";
import { MEMO_NS, XSI_NS } from "./namespaces.ts";
import { MEMO_SCHEMA_1_1, MEMO_SCHEMA_1_2 } from "./schema.ts";
import { checkSimpleType, collapse } from "./simple-types.ts";
import { summarizeMemo, type MemoSummary } from "./summary.ts";
import { validateAgainstSchema, type RuleHit } from "./validate-schema.ts";
import { parseXml } from "./xml-parser.ts";
import type { XmlDocument, XmlElement } from "./xml-types.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Result of `parseMemo`: a well-formed, safe XML document, or why not. */
export type ParseMemoResult = { ok: true; xml: XmlDocument } | { ok: false; issues: MemoIssue[] };
/** Result of `validateMemo` and `readMemo`: the typed message and its summary, or every problem found. */
export type ReadMemoResult = { ok: true; memo: MemoDocument; summary: MemoSummary } | { ok: false; issues: MemoIssue[] };

/**
 * Step 1: decodes UTF-8 (a byte-order mark is allowed) and parses the XML, refusing oversize
 * input, DTDs, entity declarations, external references and too-deep nesting before reading on.
 */
export function parseMemo(bytes: Uint8Array, limits?: Partial<MemoLimits>): ParseMemoResult {
  const lim: MemoLimits = limits === undefined ? DEFAULT_MEMO_LIMITS : { ...DEFAULT_MEMO_LIMITS, ...limits };
  if (bytes.length > lim.maxBytes) {
    return {
      ok: false,
      issues: [{ path: "/", code: "too_large", message: `the message is ${bytes.length} bytes; at most ${lim.maxBytes} are accepted` }],
    };
  }
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    return { ok: false, issues: [{ path: "/", code: "invalid_encoding", message: "UTF-16 is not accepted; MeMo messages are UTF-8" }] };
  }
  let source: string;
  try {
    source = decoder.decode(bytes);
  } catch {
    return { ok: false, issues: [{ path: "/", code: "invalid_encoding", message: "the message is not valid UTF-8" }] };
  }
  const parsed = parseXml(source, lim);
  return parsed.ok ? { ok: true, xml: { root: parsed.root, source, bytes } } : parsed;
}

function attribute(el: XmlElement, local: string): string | undefined {
  for (const a of el.attributes) if (a.ns === "" && a.local === local) return a.value;
  return undefined;
}

/**
 * Step 2: checks a parsed document is MeMo 1.1 or 1.2, validates it against that version's
 * schema and the business rules, and builds the typed model and summary when nothing is wrong.
 */
export function validateMemo(xml: XmlDocument): ReadMemoResult {
  const root = xml.root;
  if (root.ns !== MEMO_NS.memo || root.local !== "Message") {
    const what = root.ns === "" ? `<${root.local}> without a namespace` : `<${root.local}> in namespace ${root.ns}`;
    return {
      ok: false,
      issues: [
        {
          path: `/${root.local}`,
          code: "unsupported_layout",
          message: `not a MeMo 1.1/1.2 message: the root is ${what}, not Message in ${MEMO_NS.memo} (the MeMo 1.0 layout is not accepted)`,
        },
      ],
    };
  }
  const rawVersion = attribute(root, "memoVersion");
  if (rawVersion === undefined) {
    return {
      ok: false,
      issues: [
        {
          path: "/Message/@memoVersion",
          code: "unsupported_layout",
          message: "Message has no memoVersion attribute: this is the MeMo 1.0 layout or not MeMo at all; send MeMo 1.1 or 1.2",
        },
      ],
    };
  }
  const version = collapse(rawVersion);
  if (version !== "1.1" && version !== "1.2") {
    return {
      ok: false,
      issues: [
        {
          path: "/Message/@memoVersion",
          code: "unknown_version",
          message: `memoVersion '${rawVersion.slice(0, 20)}' is not supported; use 1.1 or 1.2`,
        },
      ],
    };
  }
  const issues: MemoIssue[] = [];
  const schVersion = attribute(root, "memoSchVersion");
  if (version === "1.1") {
    if (schVersion === undefined)
      issues.push({
        path: "/Message/@memoSchVersion",
        code: "missing_sch_version",
        message: "memoVersion 1.1 requires memoSchVersion (1.1.0)",
      });
    else {
      const problem = checkSimpleType("text", schVersion);
      if (problem !== null)
        issues.push({ path: "/Message/@memoSchVersion", code: problem.code, message: `memoSchVersion: ${problem.message}` });
      else if (schVersion !== "1.1.0")
        issues.push({
          path: "/Message/@memoSchVersion",
          code: "unsupported_sch_version",
          message: `memoSchVersion '${schVersion.slice(0, 20)}' is not supported with memoVersion 1.1; use 1.1.0`,
        });
    }
  } else if (schVersion !== undefined) {
    issues.push({
      path: "/Message/@memoSchVersion",
      code: "unexpected_sch_version",
      message: "memoSchVersion belongs to MeMo 1.1; a memoVersion 1.2 message must not have it",
    });
  }
  for (const a of root.attributes) {
    if (a.ns === "" && (a.local === "memoVersion" || a.local === "memoSchVersion")) continue;
    if (a.ns === XSI_NS && (a.local === "schemaLocation" || a.local === "noNamespaceSchemaLocation")) continue;
    issues.push({ path: `/Message/@${a.qname}`, code: "unexpected_attribute", message: `attribute ${a.qname} is not allowed on Message` });
  }
  const schema = version === "1.1" ? MEMO_SCHEMA_1_1 : MEMO_SCHEMA_1_2;
  const hits: RuleHit[] = [];
  const model = validateAgainstSchema(root, schema, issues, hits) as unknown as Pick<MemoDocument, "MessageHeader" | "MessageBody">;
  checkBusinessRules(hits, issues);
  if (issues.length > 0) return { ok: false, issues };
  const memo: MemoDocument = { version, memoSchVersion: schVersion ?? null, bytes: xml.bytes, ...model };
  return { ok: true, memo, summary: summarizeMemo(memo) };
}

/** Parses and validates a MeMo message in one go; never throws for bad input. */
export function readMemo(bytes: Uint8Array, limits?: Partial<MemoLimits>): ReadMemoResult {
  const parsed = parseMemo(bytes, limits);
  return parsed.ok ? validateMemo(parsed.xml) : parsed;
}
