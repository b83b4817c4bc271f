import { z } from "zod";
import { Capability, iso, displayName } from "./shared.ts";

export const AuthorityCreate = z
  .object({
    cvr: z.string().regex(/^\d{8}$/, "a CVR number is 8 digits"),
    name: displayName,
  })
  .strict()
  .meta({ id: "AuthorityCreate" });
export type AuthorityCreate = z.input<typeof AuthorityCreate>;

export const Authority = z.object({ cvr: z.string(), name: z.string(), createdAt: z.string() }).meta({ id: "Authority" });
export type Authority = z.infer<typeof Authority>;

export const ApiKeyRole = z.enum(["sender", "admin", "recipient"]).meta({ id: "ApiKeyRole" });
export type ApiKeyRole = z.infer<typeof ApiKeyRole>;

export const ApiKeyCreate = z
  .object({
    role: ApiKeyRole,
    recipientSystemId: z.string().optional(),
    label: displayName,
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe("when the key stops working (the server's wall clock): in the future, at most two years (730 days) ahead; absent: never"),
  })
  .strict()
  .meta({ id: "ApiKeyCreate" });
export type ApiKeyCreate = z.input<typeof ApiKeyCreate>;

export const ApiKey = z
  .object({
    id: z.string(),
    role: ApiKeyRole,
    key: z.string().describe("pv_<role>_… — shown once, never again"),
    label: z.string(),
    recipientSystemId: z.string().nullable(),
    createdAt: iso,
    expiresAt: iso.nullable(),
  })
  .meta({ id: "ApiKey" });
export type ApiKey = z.infer<typeof ApiKey>;

/** An API key as listed and as revoked: never the key, nor its hash. Its times are the wall clock. */
export const ApiKeyInfo = z
  .object({
    id: z.string(),
    role: ApiKeyRole,
    label: z.string(),
    recipientSystemId: z.string().nullable().describe("the REST_PULL system of a recipient key; null for the others"),
    createdAt: iso,
    lastUsedAt: iso.nullable().describe("the last use, to within about a minute; null: never used"),
    expiresAt: iso.nullable().describe("null: never expires"),
    revokedAt: iso.nullable(),
  })
  .meta({ id: "ApiKeyInfo" });
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export const PortalSessionCreate = z
  .object({
    capabilities: z.array(Capability).min(1),
    user: z.object({ name: displayName }).strict(),
    ttlSeconds: z.number().int().min(60).max(43_200).optional(),
  })
  .strict()
  .meta({ id: "PortalSessionCreate" });
export type PortalSessionCreate = z.input<typeof PortalSessionCreate>;

export const PortalSession = z
  .object({ token: z.string().describe("pvp_… — shown once"), expiresAt: iso, capabilities: z.array(Capability) })
  .meta({ id: "PortalSession" });
export type PortalSession = z.infer<typeof PortalSession>;

/** `GET /v1/session` for a portal token. */
export const PortalCaller = z
  .object({
    kind: z.literal("portal"),
    authorityCvr: z.string(),
    capabilities: z.array(Capability),
    user: z.object({ name: z.string() }),
    expiresAt: iso,
    now: iso.describe("the server's clock, to time the refresh by"),
  })
  .meta({ id: "PortalCaller" });
export type PortalCaller = z.infer<typeof PortalCaller>;

export const Session = z
  .discriminatedUnion("kind", [
    PortalCaller,
    z.object({ kind: z.literal("api_key"), authorityCvr: z.string(), role: z.enum(["sender", "admin", "recipient"]), label: z.string() }),
    z.object({ kind: z.literal("operator") }),
  ])
  .meta({ id: "Session" });
export type Session = z.infer<typeof Session>;
