import type { AppConfig } from "../../src/config.ts";
import { startRecipientServer } from "./recipient-server.ts";
import { CVR, createTestApp, seedAuthority } from "./test-app.ts";

/** The test app with an authority whose two push systems (primary, other) answer on a real loopback receiver. */
export async function pushFixture(config: Partial<AppConfig> = {}) {
  const r = await startRecipientServer();
  const t = await createTestApp({ config });
  const s = await seedAuthority(t, CVR, { a: r.url("/primary"), b: r.url("/other") });
  r.register("/primary", s.primary.signingSecret);
  r.register("/other", s.other.signingSecret);
  return { r, t, s };
}
