import { describe, expect, it } from "vitest";
import {
  ACCOUNT_ENUM_FIELDS,
  ACCOUNT_FIELDS,
  AccountSchema,
  AccountStoredSchema,
  AccountWriteSchema,
  BatchRequest,
  CompetitorSchema,
  ContactSchema,
  contactLayerOf,
  FollowUpSchema,
  PERSONAL_FIELDS,
  PersonalDetailsSchema,
  ProjectExpectationSchema,
  TEXT_LIMITS,
  enumFieldsToIds,
  parseEnumInput,
  validate,
} from "./index.js";
import { OWNERSHIP_TYPES, PAYMENT_ATTITUDES } from "../labels.js";

const decider = { id: "c1", name: "王建国", title: "总经理", role: "decider", intimacy: 4, professionalism: 3, support: 5 };

const account = {
  id: "KA-001",
  version: 3,
  name: "中建材料集团有限公司",
  owner: "u-li",
  legalRep: "张伟",
  address: "北京市海淀区中关村大街 1 号",
  postcode: "100080",
  phone: "010-88886666",
  ownershipType: "stateOwned",
  industry: "建材",
  registeredCapital: 50_000_000.5,
  foundedYear: 1998,
  industryPosition: "leading",
  paymentAttitude: "prompt",
  credit: "good",
  strategic: true,
  group: false,
  closedReferrals: 2,
  stage: "relate",
  grade: "A",
  contacts: [{ ...decider, email: "wang@example.cn", layer: "decision", personal: { birthday: "03-15", hobbies: "钓鱼" } }],
  competitors: [{ company: "华润建材", mainProduct: "水泥", intimacy: 3 }],
  followUps: [{ date: "2026-03-02", progress: "提交方案", problem: "预算未批", handling: "约见财务总监" }],
  updatedAt: "2026-03-02T08:00:00.000Z",
  updatedBy: "u-li",
  lastReviewed: "2026-01-10",
};

function paths(r: { ok: boolean; details?: { path: string }[] }): string[] {
  return r.ok ? [] : r.details!.map((d) => d.path);
}

describe("Account (docs/domain.md §2, profile field ids (docs/contracts.md §7))", () => {
  it("accepts a full archive with decision chain, competitors, follow-ups and server fields", () => {
    const r = validate(AccountSchema, account);
    expect(r.ok).toBe(true);
    expect(validate(AccountStoredSchema, account).ok).toBe(true);
  });

  it("holds exactly the profile field ids (docs/contracts.md §7) plus contacts, competitors, followUps", () => {
    const contentKeys = Object.keys(AccountSchema.shape).filter((k) => !["id", "version", "updatedAt", "updatedBy", "deleted", "lastReviewed", "lastChanged"].includes(k));
    const contracts =
      "name legalRep address postcode phone fax website industry ownershipType businessScope registeredCapital foundedYear industryPosition mainBusiness orgNotes paymentAttitude credit owner liaisonLeader strategic group closedReferrals stage grade".split(" ");
    // docs/domain.md §3.4 classifications and the termination record of a terminated account (stageGates.ts).
    contracts.push("dealStatus", "accountScope", "cooperationDepth", "termination");
    expect(new Set(contentKeys)).toEqual(new Set([...contracts, "contacts", "competitors", "followUps"]));
    expect(new Set(ACCOUNT_FIELDS)).toEqual(new Set(contentKeys));
  });

  it("requires id, version, name and owner", () => {
    const r = validate(AccountSchema, { id: "a" });
    expect(paths(r).sort()).toEqual(["name", "owner", "version"]);
  });

  it("a stored account needs updatedAt / updatedBy; the API form does not", () => {
    const { updatedAt: _a, updatedBy: _b, ...rest } = account;
    expect(validate(AccountSchema, rest).ok).toBe(true);
    expect(paths(validate(AccountStoredSchema, rest)).sort()).toEqual(["updatedAt", "updatedBy"]);
  });

  it("rejects an unknown field naming its path, at the top and inside a contact", () => {
    const r = validate(AccountSchema, { ...account, colour: "red", contacts: [{ ...decider, wechat: "x" }] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.details).toContainEqual({ path: "colour", message: "unknown field" });
      expect(r.details).toContainEqual({ path: "contacts[0].wechat", message: "unknown field" });
    }
  });

  it("rejects an unknown personal field (only the six docs/domain.md §2 fields)", () => {
    const r = validate(AccountSchema, { ...account, contacts: [{ ...decider, personal: { idCard: "110…" } }] });
    expect(paths(r)).toEqual(["contacts[0].personal.idCard"]);
  });

  it("rejects a bad date in a follow-up and a non-date lastReviewed", () => {
    const r = validate(AccountSchema, { ...account, followUps: [{ date: "2026-02-30", progress: "x" }], lastReviewed: "2026/01/10" });
    expect(paths(r).sort()).toEqual(["followUps[0].date", "lastReviewed"]);
  });

  it("money: 2 decimals pass, 3 decimals fail; negative capital fails", () => {
    expect(validate(AccountSchema, { ...account, registeredCapital: 0.29 }).ok).toBe(true);
    const r = validate(AccountSchema, { ...account, registeredCapital: 1.005 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.details).toEqual([{ path: "registeredCapital", message: "amount in yuan must have at most 2 decimals" }]);
    expect(paths(validate(AccountSchema, { ...account, registeredCapital: -1 }))).toEqual(["registeredCapital"]);
  });

  it("numbers must be finite", () => {
    expect(paths(validate(AccountSchema, { ...account, registeredCapital: Infinity }))).toContain("registeredCapital");
    expect(paths(validate(AccountSchema, { ...account, closedReferrals: NaN }))).toContain("closedReferrals");
  });

  it("strings are length-limited: a 201-character name fails, 200 passes", () => {
    expect(validate(AccountSchema, { ...account, name: "厂".repeat(TEXT_LIMITS.name) }).ok).toBe(true);
    expect(paths(validate(AccountSchema, { ...account, name: "厂".repeat(TEXT_LIMITS.name + 1) }))).toEqual(["name"]);
    expect(paths(validate(AccountSchema, { ...account, name: "   " }))).toEqual(["name"]);
  });

  it("enum fields accept stored ids only — a label is an error until parsed", () => {
    expect(paths(validate(AccountSchema, { ...account, ownershipType: "国企" }))).toEqual(["ownershipType"]);
    expect(paths(validate(AccountSchema, { ...account, grade: "E" }))).toEqual(["grade"]);
  });

  it("contact ratings are integers 1–5 and the role is a CONTACT_ROLES id", () => {
    const r = validate(AccountSchema, { ...account, contacts: [{ ...decider, intimacy: 0, support: 6, professionalism: 2.5, role: "boss" }] });
    expect(paths(r).sort()).toEqual(["contacts[0].intimacy", "contacts[0].professionalism", "contacts[0].role", "contacts[0].support"]);
  });

  it("contact ids are unique within an account", () => {
    const r = validate(AccountSchema, { ...account, contacts: [decider, { ...decider }] });
    expect(paths(r)).toEqual(["contacts[1].id"]);
  });

  it("ids cannot carry store-key / URL characters", () => {
    expect(paths(validate(AccountSchema, { ...account, id: "a#b" }))).toEqual(["id"]);
    expect(paths(validate(AccountSchema, { ...account, id: "a/b" }))).toEqual(["id"]);
    expect(validate(AccountSchema, { ...account, id: "客户-001" }).ok).toBe(true);
  });

  it("e-mail is checked", () => {
    expect(paths(validate(ContactSchema, { ...decider, email: "not-an-email" }))).toEqual(["email"]);
  });
});

describe("PersonalDetails — confidential (docs/domain.md §2, §9)", () => {
  it("has exactly the six personal fields, all optional", () => {
    expect(Object.keys(PersonalDetailsSchema.shape).sort()).toEqual([...PERSONAL_FIELDS].sort());
    expect(validate(PersonalDetailsSchema, {}).ok).toBe(true);
  });
});

describe("Competitor, FollowUp, ProjectExpectation", () => {
  it("competitor needs a company", () => {
    expect(paths(validate(CompetitorSchema, { mainProduct: "x" }))).toEqual(["company"]);
  });
  it("follow-up needs date and progress", () => {
    expect(paths(validate(FollowUpSchema, {})).sort()).toEqual(["date", "progress"]);
  });
  it("project expectation: success rate is a ratio 0..1, budget is money", () => {
    expect(validate(ProjectExpectationSchema, { target: "二期扩建", time: "2026-09-30", successRate: 0.6, budgetYuan: 3_000_000, tender: true }).ok).toBe(true);
    expect(paths(validate(ProjectExpectationSchema, { successRate: 60, budgetYuan: 1.234 })).sort()).toEqual(["budgetYuan", "successRate"]);
  });
});

describe("AccountWrite (docs/contracts.md §6)", () => {
  it("a new item needs only an id; any subset of fields is allowed", () => {
    expect(validate(AccountWriteSchema, { id: "KA-9" }).ok).toBe(true);
    expect(validate(AccountWriteSchema, { id: "KA-9", version: 0, phone: "021-1" }).ok).toBe(true);
  });
  it("null clears an optional field but cannot clear name or owner", () => {
    expect(validate(AccountWriteSchema, { id: "KA-9", version: 2, phone: null, contacts: null }).ok).toBe(true);
    expect(paths(validate(AccountWriteSchema, { id: "KA-9", version: 2, name: null, owner: null })).sort()).toEqual(["name", "owner"]);
  });
  it("server-managed fields are rejected as unknown", () => {
    const r = validate(AccountWriteSchema, { id: "KA-9", updatedAt: "2026-01-01T00:00:00Z", lastReviewed: "2026-01-01", deleted: true });
    expect(paths(r).sort()).toEqual(["deleted", "lastReviewed", "updatedAt"]);
  });
  it("a contact write may be partial, may clear personal, and may mark deletion", () => {
    const r = validate(AccountWriteSchema, { id: "KA-9", version: 1, contacts: [{ id: "c1", title: null, personal: { birthday: null } }, { id: "c2", deleted: true }, { id: "c3", personal: null }] });
    expect(r.ok).toBe(true);
  });
  it("version must be a non-negative integer", () => {
    expect(paths(validate(AccountWriteSchema, { id: "x", version: -1 }))).toEqual(["version"]);
    expect(paths(validate(AccountWriteSchema, { id: "x", version: 1.5 }))).toEqual(["version"]);
  });
  it("a batch of 500 is accepted, 501 rejected; item paths carry the index", () => {
    const batch = BatchRequest(AccountWriteSchema);
    const items = Array.from({ length: 500 }, (_, i) => ({ id: `a${i}` }));
    expect(validate(batch, { items }).ok).toBe(true);
    const r = validate(batch, { items: [...items, { id: "a500" }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.details[0]!.path).toBe("items");
    expect(paths(validate(batch, { items: [{ id: "a" }, { id: "b", contacts: [{ id: "c", email: "x" }] }] }))).toEqual(["items[1].contacts[0].email"]);
    expect(paths(validate(batch, { items: [], extra: 1 }))).toEqual(["extra"]);
  });
});

describe("parseEnumInput / enumFieldsToIds", () => {
  it("turns a sheet cell label into the stored id", () => {
    expect(parseEnumInput(OWNERSHIP_TYPES, "国企")).toEqual({ ok: true, value: "stateOwned" });
    expect(parseEnumInput(OWNERSHIP_TYPES, "State-owned")).toEqual({ ok: true, value: "stateOwned" });
    expect(parseEnumInput(PAYMENT_ATTITUDES, "爽快")).toEqual({ ok: true, value: "prompt" });
    expect(parseEnumInput(OWNERSHIP_TYPES, "")).toEqual({ ok: true, value: undefined });
  });
  it("an unknown label is a #VALUE! error listing the choices", () => {
    const r = parseEnumInput(OWNERSHIP_TYPES, "乡镇企业", "ownershipType");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("value");
      expect(r.error.arg).toBe("ownershipType");
      expect(r.error.message.zh).toContain("国企");
      expect(r.error.message.en).toContain("State-owned");
    }
  });
  it("a sheet row with labels validates after enumFieldsToIds", () => {
    const row = { id: "KA-1", version: 0, name: "甲公司", owner: "u1", ownershipType: "国企", paymentAttitude: "一般", grade: "B", stage: "3" };
    expect(validate(AccountSchema, row).ok).toBe(false);
    const fixed = enumFieldsToIds(row, ACCOUNT_ENUM_FIELDS);
    expect(fixed).toMatchObject({ ownershipType: "stateOwned", paymentAttitude: "average", grade: "B", stage: "assess" });
    expect(validate(AccountSchema, fixed).ok).toBe(true);
  });
});

describe("contactLayerOf", () => {
  it("keeps a contact's own layer and derives a blank one from the role", () => {
    expect(contactLayerOf({ layer: "related", role: "decider" })).toBe("related");
    expect(contactLayerOf({ role: "decider" })).toBe("decision");
    expect(contactLayerOf({ role: "gatekeeper" })).toBe("management");
    expect(contactLayerOf({ role: "buyer", layer: null })).toBe("management");
    expect(contactLayerOf({ role: "user" })).toBe("operations");
    expect(contactLayerOf({ role: "influencer", layer: "" })).toBe("related");
    expect(contactLayerOf({ role: "决策者" })).toBe("decision");
    expect(contactLayerOf({})).toBeUndefined();
  });
});
