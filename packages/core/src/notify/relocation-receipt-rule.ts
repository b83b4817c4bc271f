/**
 * A move receipt tells the business contacts that post left the Virk mailbox for their systems:
 * it goes out when a relocation that moved at least one message finishes or is stopped. One that
 * moved nothing (every message skipped, say `already_moving` behind an identical move made at the
 * same moment, or stopped before its first batch) has nothing to tell and sends none; its history
 * and events stay.
 */
export function relocationReceiptDue(relocation: { moved: number }): boolean {
  return relocation.moved > 0;
}
