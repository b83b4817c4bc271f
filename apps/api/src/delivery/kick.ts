import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";

/**
 * Asks for a delivery run now, after a request made post due (to `systemId`, when one system is
 * concerned). On Workers the run is this request's own, kept alive past the answer
 * (`waitUntil`); on Node it simply goes on in-process.
 */
export function kickDeliveries(c: Context<AppEnv>, systemId?: string): void {
  const run = c.get("deps").kickDeliveries?.(systemId);
  if (!run) return;
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    // No execution context outside Workers.
  }
  ctx?.waitUntil(run);
}

/** Asks for a receipt run now, after a request made an outcome a sender hears of (a pull receipt, a recall); on Workers the cron pushes them. */
export function kickReceipts(c: Context<AppEnv>): void {
  c.get("deps").kickReceipts?.();
}
