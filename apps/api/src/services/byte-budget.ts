/**
 * A budget of bytes shared by concurrent work, first come first served: `acquire(n)` resolves
 * once `n` more bytes fit under the limit (a request larger than the whole budget takes all of
 * it), and hands back the function that gives them back.
 */
export class ByteBudget {
  readonly limit: number;
  private used = 0;
  private readonly waiting: { n: number; admit: () => void }[] = [];
  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes taken right now (for tests and reports). */
  get inUse(): number {
    return this.used;
  }

  async acquire(bytes: number): Promise<() => void> {
    const n = Number.isFinite(bytes) ? Math.min(Math.max(0, bytes), this.limit) : this.limit;
    if (this.waiting.length === 0 && this.used + n <= this.limit) this.used += n;
    else await new Promise<void>((admit) => this.waiting.push({ n, admit }));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.used -= n;
      this.admitWaiting();
    };
  }

  private admitWaiting(): void {
    for (let next = this.waiting[0]; next && this.used + next.n <= this.limit; next = this.waiting[0]) {
      this.waiting.shift();
      this.used += next.n;
      next.admit();
    }
  }
}

const budgets = new WeakMap<object, ByteBudget>();

/** The one budget of everything sharing `owner` (intake keys it by the app's configuration). */
export function sharedBudget(owner: object, limit: number): ByteBudget {
  let budget = budgets.get(owner);
  if (!budget) budgets.set(owner, (budget = new ByteBudget(limit)));
  return budget;
}
