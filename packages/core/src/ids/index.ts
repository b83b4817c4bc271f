export { isValidCvr } from "./cvr.ts";
export { isUuidV4 } from "./uuid.ts";
export { ID_PREFIX, newId, randomToken } from "./prefixed.ts";
export type { IdKind, RecipientSystemId, ApiKeyId, RelocationId } from "./prefixed.ts";
export { sha256Hex } from "./hash.ts";
