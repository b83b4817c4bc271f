import { describe, expect, it } from "vitest";
import { ByteBudget, IntakeBusy } from "../src/services/byte-budget.ts";

describe("ByteBudget", () => {
  it("admits work while it fits, then in arrival order as bytes come back", async () => {
    const budget = new ByteBudget(100);
    const order: string[] = [];
    const a = await budget.acquire(60);
    const b = await budget.acquire(40);
    expect(budget.inUse).toBe(100);
    const c = budget.acquire(50).then((give) => (order.push("c"), give));
    const d = budget.acquire(10).then((give) => (order.push("d"), give));
    await Promise.resolve();
    expect(order).toEqual([]); // d would fit after b, but waits its turn behind c
    a();
    const giveC = await c;
    const giveD = await d;
    expect(order).toEqual(["c", "d"]);
    expect(budget.inUse).toBe(100);
    b();
    giveC();
    giveD();
    giveD(); // giving back twice gives back once
    expect(budget.inUse).toBe(0);
  });

  it("lets one request larger than the whole budget through alone", async () => {
    const budget = new ByteBudget(100);
    const big = await budget.acquire(500);
    expect(budget.inUse).toBe(100);
    let small = false;
    const next = budget.acquire(1).then((give) => ((small = true), give));
    await Promise.resolve();
    expect(small).toBe(false);
    big();
    (await next)();
    expect(small).toBe(true);
    expect(budget.inUse).toBe(0);
  });

  it("grows a hold as bytes arrive, at once while it fits, and gives all of it back once", async () => {
    const budget = new ByteBudget(100);
    const h = budget.hold("a");
    expect(h.tryGrow(10)).toBe(true);
    expect(h.tryGrow(5)).toBe(true); // never shrinks
    await h.growTo(40);
    expect([h.held, budget.inUse, budget.heldBy("a")]).toEqual([40, 40, 40]);
    const other = budget.hold("b");
    expect(other.tryGrow(61)).toBe(false); // more than is free
    expect(other.tryGrow(60)).toBe(true);
    other.release();
    h.release();
    h.release(); // giving back twice gives back once
    const whole = budget.hold("b");
    expect(whole.tryGrow(Infinity)).toBe(true); // a hold never takes more than the whole budget
    expect(budget.inUse).toBe(100);
    whole.release();
    expect(budget.inUse).toBe(0);
    expect(() => h.tryGrow(1)).toThrow(IntakeBusy);
  });

  it("keeps a key to its share, and a waiter short only of its key's share does not hold up others", async () => {
    const budget = new ByteBudget(100, { perKeyBytes: 50 });
    const a1 = budget.hold("a");
    expect(a1.tryGrow(80)).toBe(true); // a key's only hold may go past its share
    const a2 = budget.hold("a");
    let a2In = false;
    const a2Wait = a2.growTo(10).then(() => (a2In = true));
    const b = budget.hold("b");
    await b.growTo(20); // b fits the budget: it goes by a2, who waits for a's share
    expect(budget.inUse).toBe(100);
    a1.release();
    await a2Wait;
    expect(a2In).toBe(true);
    expect(budget.heldBy("a")).toBe(10);
    const a3 = budget.hold("a");
    expect(a3.tryGrow(40)).toBe(true); // 10 + 40 = the share
    expect(a3.tryGrow(41)).toBe(false);
    for (const h of [a2, a3, b]) h.release();
    expect(budget.inUse).toBe(0);
  });

  it("without queueing (Workers) refuses at once with IntakeBusy and never waits", async () => {
    const budget = new ByteBudget(100, { queueing: false });
    const a = budget.hold("a");
    await a.growTo(70);
    const b = budget.hold("b");
    await expect(b.growTo(40)).rejects.toBeInstanceOf(IntakeBusy);
    await b.growTo(30);
    await expect(a.growTo(71)).rejects.toBeInstanceOf(IntakeBusy);
    expect(budget.waiting).toBe(0);
    a.release();
    b.release();
    expect(budget.inUse).toBe(0);
  });

  it("gives a waiter's place up when it is released while waiting", async () => {
    const budget = new ByteBudget(100);
    const a = budget.hold("a");
    await a.growTo(100);
    const b = budget.hold("b");
    void b.growTo(50);
    expect(budget.waiting).toBe(1);
    b.release();
    expect(budget.waiting).toBe(0);
    a.release();
    expect(budget.inUse).toBe(0);
  });

  it("never deadlocks: when every holder waits to grow, the youngest is refused and the others go on", async () => {
    const budget = new ByteBudget(100);
    const old = budget.hold("a");
    const young = budget.hold("b");
    await old.growTo(50);
    await young.growTo(50);
    const oldGrows = old.growTo(80);
    const youngGrows = young.growTo(60);
    await expect(youngGrows).rejects.toBeInstanceOf(IntakeBusy);
    await oldGrows;
    expect([old.held, young.held, budget.inUse]).toEqual([80, 0, 80]);
    old.release();
    young.release();
    expect(budget.inUse).toBe(0);
  });

  it("never deadlocks within one key either", async () => {
    const budget = new ByteBudget(100, { perKeyBytes: 40 });
    const other = budget.hold("b");
    await other.growTo(10); // holds and does not wait: the whole budget is not stuck
    const a1 = budget.hold("a");
    const a2 = budget.hold("a");
    await a1.growTo(20);
    await a2.growTo(20);
    const a1Grows = a1.growTo(30);
    await expect(a2.growTo(30)).rejects.toBeInstanceOf(IntakeBusy);
    await a1Grows;
    expect(budget.heldBy("a")).toBe(30);
    for (const h of [a1, a2, other]) h.release();
    expect(budget.inUse).toBe(0);
  });
});
