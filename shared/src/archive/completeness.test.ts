import { describe, expect, it } from "vitest";
import { archiveCompleteness, DEFAULT_REQUIRED_ARCHIVE_FIELDS, isStaleArchive, STALE_ARCHIVE_DAYS } from "./completeness.js";

const full = {
  name: "华东电力集团",
  ownershipType: "stateOwned",
  industry: "电力",
  address: "上海市浦东新区",
  phone: "021-12345678",
  owner: "u-li",
  registeredCapital: 500_000_000,
  industryPosition: "leading",
  paymentAttitude: "prompt",
  contacts: [
    { name: "王总", role: "decider" },
    { name: "李工", role: "user" },
  ],
};

describe("archive completeness (docs/domain.md §2: filled required ÷ required)", () => {
  it("the 10 default required fields", () => {
    expect(DEFAULT_REQUIRED_ARCHIVE_FIELDS).toEqual([
      "name", "ownershipType", "industry", "address", "phone", "owner", "registeredCapital", "industryPosition", "deciderContact", "paymentAttitude",
    ]);
  });

  it("complete archive → 10/10 = 1", () => {
    expect(archiveCompleteness(full)).toEqual({ ok: true, value: { ratio: 1, filled: 10, required: 10, missing: [] } });
  });

  it("missing phone (blank) and no decider contact → 8/10 = 0.8", () => {
    const a = { ...full, phone: "  ", contacts: [{ name: "李工", role: "user" }] };
    expect(archiveCompleteness(a)).toEqual({ ok: true, value: { ratio: 0.8, filled: 8, required: 10, missing: ["phone", "deciderContact"] } });
  });

  it("the decider may be given by its Chinese name; registered capital 0 is filled; null is not", () => {
    const a = { ...full, registeredCapital: 0, industry: null, contacts: [{ name: "王总", role: "决策者" }] };
    // only industry missing → 9/10
    expect(archiveCompleteness(a)).toEqual({ ok: true, value: { ratio: 0.9, filled: 9, required: 10, missing: ["industry"] } });
  });

  it("a model may choose its own required fields", () => {
    // name ✓, website ✗, competitors ✗ (empty list) → 1/3
    const r = archiveCompleteness({ ...full, competitors: [] }, ["name", "website", "competitors"]);
    expect(r.ok && [r.value.filled, r.value.required, r.value.missing]).toEqual([1, 3, ["website", "competitors"]]);
    expect(r.ok && r.value.ratio).toBeCloseTo(1 / 3, 12);
  });

  it("no required fields → #DIV/0!; an unknown field → #VALUE!", () => {
    const z = archiveCompleteness(full, []);
    expect(!z.ok && [z.error.code, z.error.arg]).toEqual(["div0", "requiredFields"]);
    const u = archiveCompleteness(full, ["name", "shoeSize"]);
    expect(!u.ok && [u.error.code, u.error.arg]).toEqual(["value", "requiredFields"]);
  });
});

describe("stale archive (docs/domain.md §2: not reviewed for > 183 days)", () => {
  it("183 days is not stale, 184 is", () => {
    expect(STALE_ARCHIVE_DAYS).toBe(183);
    // 2026-01-01 → 2026-07-01 = 31+28+31+30+31+30 = 181 days; → 07-03 = 183; → 07-04 = 184
    expect(isStaleArchive("2026-01-01", "2026-07-03")).toEqual({ ok: true, value: false });
    expect(isStaleArchive("2026-01-01", "2026-07-04")).toEqual({ ok: true, value: true });
  });
  it("never reviewed is stale; a bad date is #VALUE!", () => {
    expect(isStaleArchive(null, "2026-07-04")).toEqual({ ok: true, value: true });
    const r = isStaleArchive("yesterday", "2026-07-04");
    expect(!r.ok && [r.error.code, r.error.arg]).toEqual(["value", "lastReviewed"]);
  });
  it("accepts an Excel serial and a timestamp", () => {
    // 46023 = 2026-01-01
    expect(isStaleArchive(46023, "2026-07-04")).toEqual({ ok: true, value: true });
    expect(isStaleArchive("2026-06-01T08:00:00Z", "2026-07-04")).toEqual({ ok: true, value: false });
  });
});
