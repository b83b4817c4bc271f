import type { Kysely } from "kysely";
import { NOT_YET_DELIVERED } from "../src/repos/messages.ts";
import { NEW_SYSTEM_STATE } from "../src/repos/recipient-systems.ts";
import type { Database, MessagesTable } from "../src/schema.ts";

export const CVR = "29189846";
export const OTHER = "12345674";
const T = "2026-11-27T08:00:00.000Z";

/** Two authorities; CVR has systems rs_a (push), rs_b (pull) and contact points cp_a, cp_b, cp_hidden. */
export async function seedStructure(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto("authorities")
    .values([
      { cvr: CVR, name: "Kommune", created_at: T },
      { cvr: OTHER, name: "Region", created_at: T },
    ])
    .execute();
  const sys = (id: string, cvr: string, protocol: "REST_PUSH" | "REST_PULL") => ({
    id,
    authority_cvr: cvr,
    name: `System ${id}`,
    protocol,
    endpoint: protocol === "REST_PUSH" ? "http://127.0.0.1:9/" : null,
    signing_secret: null,
    technical_contact_name: "T",
    technical_contact_email: `t-${id}@x.dk`,
    technical_contact_phone: null,
    business_contact_email: `b-${id}@x.dk`,
    memo_version: "1.2" as const,
    ...NEW_SYSTEM_STATE,
    created_at: T,
    updated_at: T,
  });
  await db
    .insertInto("recipient_systems")
    .values([sys("rs_a", CVR, "REST_PUSH"), sys("rs_b", CVR, "REST_PULL"), sys("rs_x", OTHER, "REST_PUSH")])
    .execute();
  const cp = (id: string, cvr: string, system: string, visible = 1) => ({
    id,
    authority_cvr: cvr,
    name: `Kontakt ${id}`,
    recipient_system_id: system,
    visible,
    audiences: "[]",
    max_size_mb: null,
    max_attachments: null,
    active: 1,
    created_at: T,
    updated_at: T,
  });
  await db
    .insertInto("contact_points")
    .values([cp("cp_a", CVR, "rs_a"), cp("cp_b", CVR, "rs_b"), cp("cp_hidden", CVR, "rs_a", 0), cp("cp_x", OTHER, "rs_x")])
    .execute();
}

/** A new message bound for CVR's Virk mailbox, as intake hands it to `storeNewMessages`: its `body` as given, received at `at`. */
export function newVirkRow(uuid: string, body: Uint8Array, at: string): MessagesTable {
  return {
    uuid,
    authority_cvr: CVR,
    sender_key_id: "k",
    sender_id: "11111111",
    sender_label: "",
    label: "Brev",
    memo_version: "1.2",
    body,
    body_sha256: "00",
    size_bytes: body.length,
    attachment_count: 0,
    original_contact_point_id: null,
    route_reason: "no_primary",
    route_contact_point_id: null,
    custodian_kind: "virk",
    custodian_system_id: null,
    state: "in_virk",
    received_at: at,
    release_at: null,
    queued_at: at,
    next_attempt_at: null,
    ...NOT_YET_DELIVERED,
  };
}

/** A message in an authority's Virk mailbox, with its `landed_in_virk` event. */
export async function virkMessage(
  db: Kysely<Database>,
  o: {
    uuid: string;
    receivedAt: string;
    cvr?: string;
    cp?: string | null;
    sender?: string;
    state?: MessagesTable["state"];
    reason?: string;
  },
): Promise<void> {
  const cvr = o.cvr ?? CVR;
  const state = o.state ?? "in_virk";
  await db
    .insertInto("messages")
    .values({
      uuid: o.uuid,
      authority_cvr: cvr,
      sender_key_id: null,
      sender_id: o.sender ?? "11111111",
      sender_label: null,
      label: `Brev ${o.uuid}`,
      memo_version: "1.2",
      body_sha256: "00",
      size_bytes: 10,
      attachment_count: 0,
      original_contact_point_id: o.cp ?? null,
      route_reason: "no_primary",
      route_contact_point_id: null,
      custodian_kind: state === "in_virk" ? "virk" : "recipient_system",
      custodian_system_id: state === "in_virk" ? null : "rs_a",
      state,
      received_at: o.receivedAt,
      release_at: null,
      next_attempt_at: null,
      ...NOT_YET_DELIVERED,
    })
    .execute();
  await db
    .insertInto("message_bodies")
    .values({ uuid: o.uuid, body: new TextEncoder().encode(`<x>${o.uuid}</x>`) })
    .execute();
  if (state === "in_virk") {
    await db
      .insertInto("events")
      .values({
        authority_cvr: cvr,
        at: o.receivedAt,
        type: "landed_in_virk",
        message_uuid: o.uuid,
        recipient_system_id: null,
        data: JSON.stringify({ reason: o.reason ?? "no_primary" }),
      })
      .execute();
  }
}

/** `m` + two digits, received `i` minutes after 09:00. */
export const uuidAt = (i: number) => `m${String(i).padStart(2, "0")}`;
export const minute = (i: number) => new Date(Date.parse("2026-11-27T09:00:00.000Z") + i * 60_000).toISOString();
