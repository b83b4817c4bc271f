import type { HonoRequest } from "hono";
import { ApiError } from "./errors.ts";
import { joinChunks } from "./join-chunks.ts";
import { IntakeBusy } from "./services/byte-budget.ts";

/**
 * Bodies with a declared Content-Length up to this many bytes are reserved whole and read in one
 * go (on Node @hono/node-server then hands over its buffer directly, with no web stream between);
 * anything larger, or streamed, holds this much first and grows as its bytes arrive.
 */
export const FIRST_SLICE_BYTES = 64 * 1024;

/** Where a body's bytes are accounted (a `Hold` of the intake's byte budget). */
export type BodyHold = {
  /** Holds `total` bytes now if they fit; false if not. */
  tryGrow(total: number): boolean;
  /** Holds `total` bytes, waiting for them or throwing (e.g. `IntakeBusy`) when they do not fit. */
  growTo(total: number): Promise<void>;
};

/** The hold of a body outside the intake budget (a JSON body, at most 2 MB): it always has room. */
export const OUTSIDE_INTAKE_BUDGET: BodyHold = { tryGrow: () => true, growTo: () => Promise.resolve() };

export type BodyReadOptions = {
  /** Longest body accepted: 413 `payload_too_large` above. */
  maxBytes: number;
  /** Longest pause between two pieces of the body: 408 `request_timeout`. */
  idleTimeoutMs: number;
  /** Longest the whole body may take: 408 `request_timeout`. */
  timeoutMs: number;
  /** Grown before bytes are read (and as they arrive), so the body never holds bytes it has not got. */
  hold: BodyHold;
};

/**
 * A request's body, read within the deadlines and at most `maxBytes` long; its bytes are taken from
 * `hold` as they arrive. Throws 413 when it is longer, 408 when it stalls or takes too long, 400
 * when the client goes away before it is complete, and whatever `hold` throws when there is no room.
 *
 * - Declared up to `FIRST_SLICE_BYTES`: the whole length is held at once (waiting for room, before
 *   the deadlines start), then read in one go; there are no pieces to time there, so the whole body
 *   must arrive within the shorter of the two deadlines.
 * - Larger or streamed: the first slice is held before anything is read, and the hold grows ahead of
 *   the bytes (doubling, never past the declared length or the limit) as pieces arrive. Time spent
 *   waiting for room does not count as the client's idleness (the total deadline still runs; when it
 *   strikes while waiting the answer is the hold's, e.g. 503 busy, not 408).
 */
export async function readBodyWithin(req: HonoRequest, o: BodyReadOptions): Promise<Uint8Array> {
  const declared = declaredLength(req);
  if (declared !== null && declared > o.maxBytes) throw tooLarge(o.maxBytes);
  if (declared !== null && declared <= FIRST_SLICE_BYTES) {
    if (!o.hold.tryGrow(declared)) await o.hold.growTo(declared);
    if (declared === 0) return new Uint8Array(0);
    // One deadline, the shorter: with no pieces to time, it is the only one that can strike.
    const detail =
      o.timeoutMs <= o.idleTimeoutMs
        ? `the request body did not arrive within ${o.timeoutMs / 1000} s`
        : `the request body paused for more than ${o.idleTimeoutMs / 1000} s`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeout(detail)), Math.min(o.idleTimeoutMs, o.timeoutMs));
    });
    try {
      return new Uint8Array(await Promise.race([req.arrayBuffer().catch(incomplete), expired]));
    } finally {
      clearTimeout(timer);
    }
  }
  const cap = declared ?? o.maxBytes;
  if (!o.hold.tryGrow(Math.min(FIRST_SLICE_BYTES, cap))) await o.hold.growTo(Math.min(FIRST_SLICE_BYTES, cap));
  const reader = req.raw.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const clock = new ReadClock(o.idleTimeoutMs, o.timeoutMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  let held = Math.min(FIRST_SLICE_BYTES, cap);
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read().catch(incomplete), clock.expired]);
      if (done) break;
      clock.touch();
      size += value.byteLength;
      if (size > o.maxBytes) throw tooLarge(o.maxBytes);
      if (size > held) {
        const ahead = Math.min(cap, Math.max(size, 2 * held));
        if (o.hold.tryGrow(ahead)) held = ahead;
        else if (o.hold.tryGrow(size)) held = size;
        else {
          clock.pause();
          await Promise.race([o.hold.growTo(size), clock.expiredWhileWaiting]);
          clock.resume();
          held = size;
        }
      }
      chunks.push(value);
    }
  } catch (e) {
    // Stop reading without destroying the connection under the answer (the answer closes it).
    reader.cancel().catch(() => {});
    throw e;
  } finally {
    clock.stop();
  }
  // One piece that is a whole buffer of its own is the body; anything else is copied into one, so the
  // body can be lent (transferred) to a parse thread without taking other bytes along.
  const only = chunks.length === 1 ? chunks[0]! : null;
  if (only && only.byteOffset === 0 && only.byteLength === only.buffer.byteLength) return only;
  return joinChunks(chunks, size);
}

/** The body's length as its Content-Length declares it, or null for a streamed (chunked) body. */
export function declaredLength(req: HonoRequest): number | null {
  const declared = req.header("content-length");
  if (declared === undefined || req.header("transfer-encoding") !== undefined) return null;
  const n = Number(declared);
  return Number.isFinite(n) ? n : null;
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, "payload_too_large", `the message is larger than the limit of ${Math.round(maxBytes / 1048576)} MB`);
}

function incomplete(err: unknown): never {
  throw new ApiError(
    400,
    "incomplete_body",
    `the request body ended before it was complete (${err instanceof Error ? err.message : String(err)})`,
  );
}

/**
 * The two read deadlines of one body, as promises that reject when they strike: `expired` with 408
 * for the client's slowness, `expiredWhileWaiting` (`IntakeBusy`) for the total deadline striking
 * while the body waits for room (then it is intake that is busy, not the client that is slow).
 */
class ReadClock {
  readonly expired: Promise<never>;
  readonly expiredWhileWaiting: Promise<never>;
  private fail!: (e: Error) => void;
  private failWaiting!: (e: Error) => void;
  private last = performance.now();
  private paused = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly totalTimer: ReturnType<typeof setTimeout>;
  private readonly idleMs: number;

  constructor(idleMs: number, totalMs: number) {
    this.idleMs = idleMs;
    this.expired = new Promise<never>((_, reject) => (this.fail = reject));
    this.expiredWhileWaiting = new Promise<never>((_, reject) => (this.failWaiting = reject));
    // Nobody need listen to both; an unheard rejection must not count as unhandled.
    this.expired.catch(() => {});
    this.expiredWhileWaiting.catch(() => {});
    this.totalTimer = setTimeout(() => {
      if (this.paused) this.failWaiting(new IntakeBusy("intake had no room for the rest of the message within the deadline"));
      else this.fail(timeout(`the request body did not arrive within ${totalMs / 1000} s`));
    }, totalMs);
    this.armIdle(idleMs);
  }

  /** A piece arrived. */
  touch(): void {
    this.last = performance.now();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.last = performance.now();
  }

  stop(): void {
    clearTimeout(this.totalTimer);
    clearTimeout(this.idleTimer);
  }

  // One timer per body, re-armed for what is left rather than reset on every piece.
  private armIdle(ms: number): void {
    this.idleTimer = setTimeout(() => {
      const quiet = performance.now() - this.last;
      if (this.paused || quiet < this.idleMs) this.armIdle(this.paused ? this.idleMs : this.idleMs - quiet);
      else this.fail(timeout(`the request body paused for more than ${this.idleMs / 1000} s`));
    }, ms);
  }
}

function timeout(detail: string): ApiError {
  return new ApiError(408, "request_timeout", `${detail}; send the whole request body without pauses`);
}
