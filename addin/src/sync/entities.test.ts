import { describe, expect, it } from "vitest";
import { CATALOGUE } from "../../../shared/src/index.js";
import { ENTITIES } from "./entities.js";
import { parseCell, toCell } from "./rows.js";

describe("sync entities are the field catalogue", () => {
  it("every entity's columns are its catalogue fields (personal details are not synced through sheets)", () => {
    for (const e of Object.values(ENTITIES)) {
      expect(e.columns.map((c) => c.field)).toEqual(CATALOGUE[e.id].fields.filter((d) => !d.personal && !d.notSynced).map((d) => d.id));
      for (const c of e.columns) expect(c.label).toEqual(CATALOGUE[e.id].fields.find((d) => d.id === c.field)!.label);
    }
  });

  it("a new account needs a name and an owner (the owner defaults to the signed-in manager); a contact only its account and name", () => {
    const req = (id: keyof typeof ENTITIES) => ENTITIES[id].columns.filter((c) => c.required).map((c) => c.field);
    expect(req("accounts")).toEqual(["name", "owner"]);
    expect(ENTITIES.accounts.columns.find((c) => c.field === "owner")!.defaultsToUser).toBe(true);
    expect(req("contacts")).toEqual(["accountId", "name"]);
  });

  it("parseCell and toCell go through the shared grammar", () => {
    const col = (id: string) => ENTITIES.accounts.columns.find((c) => c.field === id)!;
    expect(parseCell(col("registeredCapital"), "120万")).toEqual({ value: 1_200_000 });
    expect(parseCell(col("registeredCapital"), 120, { unit: "wan" })).toEqual({ value: 1_200_000 });
    expect(parseCell(col("registeredCapital"), "约100")).toMatchObject({ reason: "ambiguous" });
    expect(parseCell(col("strategic"), "x")).toMatchObject({ reason: "ambiguous" });
    expect(parseCell(col("ownershipType"), "央企")).toEqual({ value: "stateOwned" });
    expect(toCell(col("strategic"), true, "zh")).toBe("是");
    expect(toCell(col("strategic"), false, "en")).toBe("No");
    expect(toCell(col("registeredCapital"), 1_200_000, "zh", { unit: "wan" })).toBe(120);
    const support = ENTITIES.contacts.columns.find((c) => c.field === "support")!;
    expect(parseCell(support, "中立")).toEqual({ value: 3 });
  });
});
