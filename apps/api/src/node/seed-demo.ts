import { newId, randomToken, sha256Hex } from "@postvej/core/ids";
import {
  findAuthority,
  inTransaction,
  insertApiKey,
  insertAuthority,
  insertContactPoint,
  insertRecipientSystem,
  listRecipientSystems,
  revokeApiKeysLabelled,
  setPrimary,
  updateRecipientSystem,
  type Database,
  type RecipientSystemsTable,
  NEW_SYSTEM_STATE,
} from "@postvej/db";
import type { Kysely } from "kysely";
import { freshSigningSecret } from "../services/signing-secrets.ts";
import type { DemoReceiver } from "./demo-receiver.ts";

/** The demo authority; its CVR passes the modulus-11 check. */
export const DEMO_AUTHORITY = { cvr: "34051178", name: "Demo Kommune" };
const DEMO_SYSTEMS = [
  {
    key: "sagssystem",
    name: "Sagssystem (demo)",
    primary: true,
    contactPoints: [
      { id: "6f1c1a9e-2b47-4c4e-9a7e-0d3c2f1b5a01", name: "Borgerservice" },
      { id: "6f1c1a9e-2b47-4c4e-9a7e-0d3c2f1b5a02", name: "Byggesager" },
    ],
  },
  {
    key: "dokumentboks",
    name: "Dokumentboks (demo)",
    primary: false,
    contactPoints: [{ id: "6f1c1a9e-2b47-4c4e-9a7e-0d3c2f1b5a03", name: "Skole og dagtilbud" }],
  },
] as const;

/** The labels of the keys each start mints (and the next start revokes). */
export const DEMO_KEY_LABEL = { admin: "demo admin", sender: "demo sender" } as const;

/**
 * Seeds the demo authority, two push systems pointing at the demo receiver, and contact points;
 * on later starts only re-points the systems at the receiver's current port. Each start mints a
 * fresh demo admin key and sender key (keys are stored hashed, so they can only be shown when made)
 * and revokes the ones an earlier start made: the demo has one admin and one sender key in force,
 * the ones this start prints, however often it is started on the same data.
 */
export async function seedDemo(db: Kysely<Database>, receiver: DemoReceiver, now: Date, secretKey: Uint8Array | null = null) {
  const at = now.toISOString();
  const { cvr, name } = DEMO_AUTHORITY;
  return inTransaction(db, async (tx) => {
    if (!(await findAuthority(tx, cvr))) {
      await insertAuthority(tx, { cvr, name, created_at: at });
      for (const s of DEMO_SYSTEMS) {
        const id = `rs_demo_${s.key}`;
        const row: RecipientSystemsTable = {
          id,
          authority_cvr: cvr,
          name: s.name,
          protocol: "REST_PUSH",
          endpoint: receiver.url(s.key),
          signing_secret: (await freshSigningSecret(secretKey, id)).stored,
          technical_contact_name: "Demo Drift",
          technical_contact_email: `drift+${s.key}@demo-kommune.dk`,
          technical_contact_phone: null,
          business_contact_email: `post+${s.key}@demo-kommune.dk`,
          memo_version: "1.2",
          ...NEW_SYSTEM_STATE,
          created_at: at,
          updated_at: at,
        };
        await insertRecipientSystem(tx, row);
        if (s.primary) await setPrimary(tx, cvr, row.id, at);
        for (const cp of s.contactPoints) {
          await insertContactPoint(tx, {
            id: cp.id,
            authority_cvr: cvr,
            name: cp.name,
            recipient_system_id: row.id,
            visible: 1,
            audiences: JSON.stringify(["citizens_companies", "authorities"]),
            max_size_mb: 30,
            max_attachments: 10,
            active: 1,
            created_at: at,
            updated_at: at,
          });
        }
      }
    }
    for (const s of await listRecipientSystems(tx, cvr)) {
      const key = s.id.replace(/^rs_demo_/, "");
      if (s.id.startsWith("rs_demo_")) await updateRecipientSystem(tx, cvr, s.id, { endpoint: receiver.url(key) });
    }
    const mint = async (role: "admin" | "sender", label: string) => {
      const key = `pv_${role}_${randomToken(40)}`;
      const id = newId("apiKey");
      // A key's times are the wall clock (security time), whatever the demo's simulated clock says.
      await insertApiKey(tx, {
        id,
        authority_cvr: cvr,
        role,
        recipient_system_id: null,
        label,
        key_hash: await sha256Hex(key),
        created_at: new Date().toISOString(),
        revoked_at: null,
      });
      return { id, key };
    };
    await revokeApiKeysLabelled(tx, cvr, [DEMO_KEY_LABEL.admin, DEMO_KEY_LABEL.sender], new Date().toISOString());
    const admin = await mint("admin", DEMO_KEY_LABEL.admin);
    const sender = await mint("sender", DEMO_KEY_LABEL.sender);
    return {
      authority: DEMO_AUTHORITY,
      adminKey: admin.key,
      adminKeyId: admin.id,
      senderKey: sender.key,
      senderKeyId: sender.id,
      systems: DEMO_SYSTEMS.map((s) => ({ id: `rs_demo_${s.key}`, key: s.key, name: s.name })),
      contactPoints: DEMO_SYSTEMS.flatMap((s) => s.contactPoints.map((cp) => ({ ...cp }))),
    };
  });
}
