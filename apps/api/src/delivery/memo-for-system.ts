import { convertMemoVersion, type MemoConversion, type MemoVersionName } from "@postvej/core/memo";
import { EVENT_TYPE } from "@postvej/core/delivery";
import type { NewEvent } from "@postvej/db";

/** The bytes a recipient system receives: the original, or converted to the MeMo version it chose. */
export type SystemBody = { bytes: Uint8Array; conversion: MemoConversion | null };

/**
 * The message as the system receives it: the very same bytes when its version is the system's
 * (no work at all), else converted (core's convertMemoVersion). `messageVersion` may be unknown (a
 * claim queued before the version was carried): the bytes say it then. A message postvej accepted
 * always converts; should one not, it goes out as it is and the failure is logged.
 */
export function bodyForSystem(body: Uint8Array, messageVersion: string | undefined, systemVersion: string): SystemBody {
  if (messageVersion === systemVersion || (systemVersion !== "1.1" && systemVersion !== "1.2")) return { bytes: body, conversion: null };
  try {
    return convertMemoVersion(body, systemVersion as MemoVersionName);
  } catch (err) {
    console.error("postvej: converting a message to MeMo", systemVersion, "failed; sending it unconverted", err);
    return { bytes: body, conversion: null };
  }
}

/** The `converted` event of a conversion (appended once per message and system). */
export function convertedEvent(
  c: MemoConversion,
  m: { authorityCvr: string; messageUuid: string; systemId: string; at: string },
): NewEvent {
  return {
    authorityCvr: m.authorityCvr,
    at: m.at,
    type: EVENT_TYPE.converted,
    messageUuid: m.messageUuid,
    recipientSystemId: m.systemId,
    data: { converted: c.converted, from: c.from, to: c.to, dropped: c.dropped },
  };
}
