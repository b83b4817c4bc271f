import type { AppConfig } from "../config.ts";

/**
 * A budget of bytes shared by concurrent work. Each request takes a `Hold` and grows it as its
 * bytes arrive (`growTo`), so a request holds what it has, not what it may one day send; the hold
 * is given back with `release()` (idempotent, and the only way bytes come back).
 *
 * - A hold never holds more than the whole budget: a request larger than the budget takes all of
 *   it, alone.
 * - One key (an API key) holds at most `perKeyBytes` across its holds, except that its only hold
 *   may grow past that (up to the whole budget), so one message larger than the share still fits.
 * - `queueing: true` (Node, one process): what does not fit waits, growing holds first (oldest
 *   first), then new ones in arrival order; a waiter blocked by the whole budget blocks those behind
 *   it (a large message is not starved by small ones), one blocked only by its key's share does not.
 *   When nothing that holds bytes can make progress (every holder is itself waiting to grow), the
 *   youngest waiting hold is refused with `IntakeBusy` and its bytes come back, so the budget never
 *   deadlocks.
 * - `queueing: false` (Workers): nothing ever waits on another request; what does not fit is
 *   refused at once with `IntakeBusy` (a request waiting on a promise another request resolves is
 *   cancelled by workerd as hung).
 */
export class ByteBudget {
  readonly limit: number;
  readonly perKeyBytes: number;
  readonly queueing: boolean;
  private used = 0;
  /** Holds with bytes that are not waiting: those give bytes back by themselves, sooner or later. */
  private active = 0;
  private readonly keys = new Map<string, KeyUse>();
  /** Holds waiting to grow, oldest first; they go before new ones. */
  private readonly growing: Hold[] = [];
  /** Empty holds waiting for their first bytes, in arrival order. */
  private readonly fresh: Hold[] = [];
  private seq = 0;

  constructor(limit: number, opts: { perKeyBytes?: number; queueing?: boolean } = {}) {
    this.limit = limit;
    this.perKeyBytes = Math.min(limit, opts.perKeyBytes ?? limit);
    this.queueing = opts.queueing ?? true;
  }

  /** Bytes taken right now (for tests and reports). */
  get inUse(): number {
    return this.used;
  }

  /** Bytes `key` holds right now. */
  heldBy(key: string): number {
    return this.keys.get(key)?.bytes ?? 0;
  }

  /** Holds waiting for bytes right now. */
  get waiting(): number {
    return this.growing.length + this.fresh.length;
  }

  /** A new, empty hold for `key`. */
  hold(key = ""): Hold {
    return new Hold(this, key, this.seq++);
  }

  /** `bytes` at once (waiting their turn when queueing); resolves to the function that gives them back. */
  async acquire(bytes: number, key = ""): Promise<() => void> {
    const h = this.hold(key);
    await h.growTo(bytes);
    return () => h.release();
  }

  /** @internal `total` clamped to what one hold may have. */
  clamp(total: number): number {
    return Number.isFinite(total) ? Math.min(this.limit, Math.max(0, total)) : this.limit;
  }

  /** @internal Whether `h` may hold `total` bytes now, leaving the queue aside. */
  fits(h: Hold, total: number): boolean {
    if (this.used + total - h.held > this.limit) return false;
    const others = (this.keys.get(h.key)?.bytes ?? 0) - h.held;
    return others === 0 || others + total <= this.perKeyBytes;
  }

  /** @internal Grows `h` to `total` at once when it fits and nobody waits ahead of it. */
  tryTake(h: Hold, total: number): boolean {
    if (!this.fits(h, total) || (this.queueing && this.waiting > 0)) return false;
    this.set(h, total);
    return true;
  }

  /** @internal Queues `h` for `total` bytes (queueing budgets only). */
  enqueue(h: Hold, total: number, admit: () => void, refuse: (e: Error) => void): void {
    h.waitingFor = { total, admit, refuse };
    if (h.held > 0) {
      let i = this.growing.length;
      while (i > 0 && this.growing[i - 1]!.seq > h.seq) i--;
      this.growing.splice(i, 0, h);
    } else this.fresh.push(h);
    this.sync(h);
    this.admitWaiting();
  }

  /** @internal Gives back everything `h` holds and drops it from the queue. */
  giveBack(h: Hold): void {
    if (h.waitingFor) {
      const list = h.held > 0 ? this.growing : this.fresh;
      list.splice(list.indexOf(h), 1);
      h.waitingFor = undefined;
    }
    this.set(h, 0);
    this.admitWaiting();
  }

  /** Sets what `h` holds, keeping the totals and the active counts right. */
  private set(h: Hold, total: number): void {
    let k = this.keys.get(h.key);
    if (!k) this.keys.set(h.key, (k = { bytes: 0, active: 0 }));
    this.used += total - h.held;
    k.bytes += total - h.held;
    h.held = total;
    this.sync(h);
  }

  private sync(h: Hold): void {
    const active = h.held > 0 && !h.waitingFor;
    if (active === h.active) return;
    h.active = active;
    const k = this.keys.get(h.key)!;
    this.active += active ? 1 : -1;
    k.active += active ? 1 : -1;
    if (k.bytes === 0 && k.active === 0) this.keys.delete(h.key);
  }

  private admitWaiting(): void {
    do {
      let blocked = false;
      for (const list of [this.growing, this.fresh]) {
        for (let i = 0; i < list.length && !blocked;) {
          const h = list[i]!;
          const w = h.waitingFor!;
          if (this.fits(h, w.total)) {
            list.splice(i, 1);
            h.waitingFor = undefined;
            this.set(h, w.total);
            w.admit();
          } else if (this.used + w.total - h.held > this.limit)
            blocked = true; // short of the whole budget: wait in line
          else i++; // short of its key's share only: let the others by
        }
      }
    } while (this.breakDeadlock());
  }

  /** Refuses the youngest waiting grower when nothing that holds bytes can give any back; true when it did. */
  private breakDeadlock(): boolean {
    let victim: Hold | undefined;
    if (this.active === 0) victim = this.growing[this.growing.length - 1];
    else {
      // A key whose holds all wait to grow past its share: none of them would ever give back.
      for (let i = this.growing.length - 1; i >= 0 && !victim; i--) {
        const h = this.growing[i]!;
        if (this.keys.get(h.key)!.active === 0 && this.used + h.waitingFor!.total - h.held <= this.limit) victim = h;
      }
    }
    if (!victim) return false;
    const { refuse } = victim.waitingFor!;
    victim.release();
    refuse(new IntakeBusy("intake is full of bodies still arriving; this one was given up so that the others can finish"));
    return true;
  }
}

type KeyUse = { bytes: number; active: number };

/** Bytes one request holds of a `ByteBudget`. */
export class Hold {
  /** Bytes held now. */
  held = 0;
  /** @internal */
  active = false;
  /** @internal */
  waitingFor: { total: number; admit: () => void; refuse: (e: Error) => void } | undefined;
  private released = false;
  private readonly budget: ByteBudget;
  readonly key: string;
  readonly seq: number;
  constructor(budget: ByteBudget, key: string, seq: number) {
    this.budget = budget;
    this.key = key;
    this.seq = seq;
  }

  /** Holds `total` bytes now if they fit (never less than it holds, never more than the budget); false if not. */
  tryGrow(total: number): boolean {
    if (this.released) throw new IntakeBusy("the hold was given back");
    const n = this.budget.clamp(total);
    return n <= this.held || (!this.waitingFor && this.budget.tryTake(this, n));
  }

  /** Holds `total` bytes: at once when they fit, else waits its turn (queueing) or throws `IntakeBusy`. */
  growTo(total: number): Promise<void> {
    try {
      if (this.tryGrow(total)) return Promise.resolve();
    } catch (e) {
      return Promise.reject(e as Error);
    }
    if (!this.budget.queueing) return Promise.reject(new IntakeBusy("intake is at its byte budget"));
    if (this.waitingFor) return Promise.reject(new Error("the hold is already waiting"));
    return new Promise<void>((admit, refuse) => this.budget.enqueue(this, this.budget.clamp(total), admit, refuse));
  }

  /** Gives every byte back (and leaves the queue); later calls do nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.giveBack(this);
  }
}

/** No room in the budget right now (answered 503 `intake_busy` with Retry-After). */
export class IntakeBusy extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IntakeBusy";
  }
}

/** Intake's budget under `config`, with its limit, key share and queueing; each runtime builds one (runtime.ts). */
export function intakeBudget(config: Pick<AppConfig, "intakeBudgetBytes" | "intakeKeyBudgetBytes" | "intakeQueueing">): ByteBudget {
  return new ByteBudget(config.intakeBudgetBytes, { perKeyBytes: config.intakeKeyBudgetBytes, queueing: config.intakeQueueing });
}
