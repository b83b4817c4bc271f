import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as contract from "../src/index.ts";

describe("the contract's schemas", () => {
  it("are each named in components.schemas after their export", () => {
    const named = Object.entries(contract).flatMap(([name, value]) => {
      if (!(value instanceof z.ZodType)) return [];
      const id = z.globalRegistry.get(value)?.id;
      return id === undefined ? [] : [[name, id]];
    });
    expect(named.length).toBeGreaterThan(20);
    for (const [name, id] of named) expect(id).toBe(name);
  });

  it("convert to JSON Schema, requests as sent and answers as given", () => {
    expect(z.toJSONSchema(contract.RecipientSystem, { unrepresentable: "any" }).$ref).toBe("#/$defs/RecipientSystem");
    expect(() => z.toJSONSchema(contract.RelocationRequest, { io: "input" })).not.toThrow();
  });
});
