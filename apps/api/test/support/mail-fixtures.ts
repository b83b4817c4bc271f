import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, migrateToLatest, NEW_SYSTEM_STATE } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import type { Kysely } from "kysely";
import { SMTPServer } from "smtp-server";

/** A fresh, migrated libSQL file of its own. */
export async function mailTestDb(): Promise<Kysely<Database>> {
  const dir = mkdtempSync(join(tmpdir(), "postvej-mail-"));
  const db = await openNodeDatabase(`file:${join(dir, "mail.db")}`);
  await migrateToLatest(db);
  return db;
}

/** Inserts an authority and recipient systems with the given business contact e-mails. */
export async function seedAuthority(db: Kysely<Database>, cvr: string, name: string, businessEmails: string[]): Promise<void> {
  const now = "2026-11-01T00:00:00.000Z";
  await db.insertInto("authorities").values({ cvr, name, created_at: now }).execute();
  let i = 0;
  for (const email of businessEmails) {
    i++;
    await db
      .insertInto("recipient_systems")
      .values({
        id: `rs_${cvr}_${i}`,
        authority_cvr: cvr,
        name: `System ${i}`,
        protocol: "REST_PULL",
        endpoint: null,
        signing_secret: null,
        technical_contact_name: "Tekniker",
        technical_contact_email: `tech${i}@${cvr}.example`,
        technical_contact_phone: null,
        business_contact_email: email,
        memo_version: "1.1",
        ...NEW_SYSTEM_STATE,
        is_primary: i === 1 ? 1 : 0,
        state: i === 2 ? "deactivated" : "active",
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}

/** One message as the SMTP server received it. */
export type Received = { mailFrom: string; rcptTo: string[]; raw: string };

/** A real SMTP server on 127.0.0.1 (no TLS, AUTH optional) that keeps what it receives. */
export async function startSmtpSink(opts: { port?: number; rejectRcpt?: (address: string) => boolean } = {}) {
  const received: Received[] = [];
  const state = { rejectRcpt: opts.rejectRcpt ?? (() => false) };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (state.rejectRcpt(address.address)) {
        const err = Object.assign(new Error("mailbox unavailable"), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
