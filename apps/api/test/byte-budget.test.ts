import { describe, expect, it } from "vitest";
import { ByteBudget } from "../src/services/byte-budget.ts";

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
});
