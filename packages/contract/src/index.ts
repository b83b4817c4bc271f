// The wire contract of the postvej API: every request and answer body as a named zod schema,
// each also exported as its TypeScript type (requests as the client sends them, answers as the
// server sends them). The API validates with these, /openapi.json is generated from them, and the
// widgets import their types. Each schema's `meta({ id })` is its name in components.schemas.
export * from "./shared.ts";
export * from "./problem.ts";
export * from "./authority.ts";
export * from "./recipient-system.ts";
export * from "./contact-point.ts";
export * from "./message.ts";
export * from "./status.ts";
export * from "./virk.ts";
export * from "./relocation.ts";
export * from "./pull.ts";
export * from "./meta.ts";
export {
  ReceiptEndpointRequest,
  ReceiptEndpoint,
  SenderReceiptType,
  SenderReceipt,
  SenderReceiptInFeed,
  PushBusinessReceipt,
} from "./sender-receipt.ts";
