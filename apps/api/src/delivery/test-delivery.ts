import { checkEndpoint } from "@postvej/core/delivery";
import type { RecipientSystemsTable } from "@postvej/db";
import type { AppConfig } from "../config.ts";
import { bodyForSystem } from "./memo-for-system.ts";
import { pushMessage } from "./push-client.ts";

/**
 * A minimal, schema-valid MeMo 1.1 letter addressed to authority `cvr` (optionally to one of its
 * contact points): the test delivery sends one so a receiver's whole pipeline (signature,
 * parsing) is exercised, and the demo sends them as post. Its UUID is fresh each time.
 */
export function testMemo(
  uuid: string,
  cvr: string,
  now: Date,
  opts: { label?: string; contactPointId?: string; senderCvr?: string } = {},
): string {
  const contactPoint = opts.contactPointId
    ? `<memo:ContactPoint><memo:contactPointID>${opts.contactPointId}</memo:contactPointID></memo:ContactPoint>`
    : "";
  return `<?xml version="1.0" encoding="UTF-8"?>
<memo:Message xmlns:memo="https://DigitalPost.dk/MeMo-1" memoVersion="1.1" memoSchVersion="1.1.0">
  <memo:MessageHeader>
    <memo:messageType>DIGITALPOST</memo:messageType>
    <memo:messageUUID>${uuid}</memo:messageUUID>
    <memo:label>${opts.label ?? "postvej testforsendelse"}</memo:label>
    <memo:mandatory>false</memo:mandatory>
    <memo:legalNotification>false</memo:legalNotification>
    <memo:Sender><memo:senderID>${opts.senderCvr ?? cvr}</memo:senderID><memo:idType>CVR</memo:idType><memo:label>postvej</memo:label></memo:Sender>
    <memo:Recipient><memo:recipientID>${cvr}</memo:recipientID><memo:idType>CVR</memo:idType>${contactPoint}</memo:Recipient>
  </memo:MessageHeader>
  <memo:MessageBody>
    <memo:createdDateTime>${now.toISOString().slice(0, 19)}Z</memo:createdDateTime>
    <memo:MainDocument><memo:File><memo:encodingFormat>text/plain</memo:encodingFormat><memo:filename>test.txt</memo:filename><memo:language>da</memo:language><memo:content>${btoa("postvej test")}</memo:content></memo:File></memo:MainDocument>
  </memo:MessageBody>
</memo:Message>
`;
}

/** Pushes a signed test letter, in the MeMo version the system chose, to the system now; the outcome is reported, nothing is stored. */
export async function sendTestDelivery(
  s: RecipientSystemsTable,
  now: Date,
  config: Pick<AppConfig, "production" | "pushTimeoutMs">,
  fetch?: typeof globalThis.fetch,
) {
  const policy = checkEndpoint(s.endpoint ?? "", { production: config.production });
  if (!policy.ok || !s.endpoint || !s.signing_secret) {
    return {
      outcome: "failed" as const,
      statusCode: null,
      error: policy.ok ? "no endpoint" : policy.message,
      durationMs: 0,
      messageUUID: null,
    };
  }
  const uuid = crypto.randomUUID();
  const r = await pushMessage({
    endpoint: s.endpoint,
    signingSecret: s.signing_secret,
    messageUuid: uuid,
    contactPointId: null,
    attempt: 1,
    body: bodyForSystem(new TextEncoder().encode(testMemo(uuid, s.authority_cvr, now)), "1.1", s.memo_version).bytes,
    timeoutMs: config.pushTimeoutMs,
    signedAt: new Date(),
    ...(fetch ? { fetch } : {}),
  });
  return { outcome: r.outcome, statusCode: r.statusCode, error: r.error, durationMs: Math.round(r.durationMs), messageUUID: uuid };
}
