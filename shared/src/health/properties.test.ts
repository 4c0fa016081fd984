import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTACT_ROLES, STAGES } from "../labels.js";
import { accountHealth, explainHealth, type HealthInput, type HealthResult } from "./health.js";
import { DEFAULT_HEALTH_MODEL } from "./model.js";

const TODAY = "2026-12-01";
const RUNS = { seed: 1414, numRuns: 200 };

const rating = fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined });
const contact = fc.record({
  name: fc.constantFrom("王总", "李工", "张处", "Ms. Wu"),
  role: fc.option(fc.constantFrom(...CONTACT_ROLES.ids, "决策者", "采购者"), { nil: undefined }),
  support: rating,
  intimacy: rating,
});
/** A date within the five months around the last quarter (some before, some after). */
const visitDate = fc.integer({ min: 0, max: 150 }).map((d) => new Date(Date.UTC(2026, 6, 15) + d * 86_400_000).toISOString().slice(0, 10));
const record = fc.record({
  date: visitDate,
  summary: fc.constantFrom("已拜访", "", "技术交流"),
  role: fc.option(fc.constantFrom("kaManager", "salesManager", "vicePresident", "generalManager"), { nil: undefined }),
});
const money = fc.integer({ min: 0, max: 1_000_000 });
const receivables = fc
  .tuple(money, money, money, money, money)
  .map(([a, b, c, d, extra]) => ({ dueYuan: a + b + c + d + extra, ageing: { d1_30: a, d31_60: b, d61_90: c, over90: d } }));

const input: fc.Arbitrary<HealthInput> = fc.record({
  today: fc.constant(TODAY),
  account: fc.record({
    name: fc.option(fc.constant("华东电力"), { nil: undefined }),
    owner: fc.option(fc.constant("u1"), { nil: undefined }),
    industry: fc.option(fc.constant("电力"), { nil: undefined }),
    phone: fc.option(fc.constant("021-5555"), { nil: undefined }),
    stage: fc.option(fc.constantFrom(...STAGES.ids), { nil: undefined }),
    dealStatus: fc.option(fc.constantFrom("potential", "opportunity", "closed", "terminated"), { nil: undefined }),
    lastReviewed: fc.option(fc.constantFrom("2026-01-10", "2026-06-01", "2026-11-30"), { nil: undefined }),
    contacts: fc.array(contact, { maxLength: 7 }),
  }),
  visits: fc.option(fc.record({ classes: fc.subarray(["strategic", "important", "quality"]), records: fc.array(record, { maxLength: 8 }) }), { nil: undefined }),
  receivables: fc.option(receivables, { nil: undefined }),
});

function run(i: HealthInput): HealthResult {
  const r = accountHealth(i, DEFAULT_HEALTH_MODEL);
  if (!r.ok) throw new Error(r.error.message.en);
  return r.value;
}

describe("health properties (fast-check)", () => {
  it("the score is a whole number 0–100, never NaN; the factor points add up to it (±0.5 rounding)", () => {
    fc.assert(
      fc.property(input, (i) => {
        const h = run(i);
        expect(Number.isInteger(h.score)).toBe(true);
        expect(h.score).toBeGreaterThanOrEqual(0);
        expect(h.score).toBeLessThanOrEqual(100);
        for (const f of h.factors) {
          expect(Number.isNaN(f.points)).toBe(false);
          expect(f.points).toBeGreaterThanOrEqual(0);
          expect(f.points).toBeLessThanOrEqual(f.maxPoints + 1e-9);
        }
        const maxSum = h.factors.reduce((a, f) => a + f.maxPoints, 0);
        expect(Math.abs(maxSum - 100)).toBeLessThanOrEqual(0.25);
        const sum = h.factors.reduce((a, f) => a + f.points, 0);
        expect(Math.abs(sum - h.score)).toBeLessThanOrEqual(0.5 + 0.05 * h.factors.length);
        expect(explainHealth(h, "zh")).toContain(String(h.score));
      }),
      RUNS,
    );
  });

  it("the status follows the score, and without a supportive decider it is at most A", () => {
    fc.assert(
      fc.property(input, (i) => {
        const h = run(i);
        const supportive = (i.account.contacts ?? []).some((c) => CONTACT_ROLES.parse(c.role) === "decider" && (c.support ?? 0) >= 4);
        expect(h.supportiveDecider).toBe(supportive);
        const byScore = h.score >= 70 ? "G" : h.score >= 40 ? "A" : "R";
        expect(h.status).toBe(byScore === "G" && !supportive ? "A" : byScore);
        expect(h.capped).toBe(byScore === "G" && !supportive);
      }),
      RUNS,
    );
  });

  it("raising one contact's support never lowers the score", () => {
    fc.assert(
      fc.property(input, fc.nat(), fc.integer({ min: 1, max: 5 }), (i, pick, raise) => {
        const contacts = i.account.contacts ?? [];
        fc.pre(contacts.length > 0);
        const k = pick % contacts.length;
        const before = contacts[k]!.support;
        const after = Math.max(before ?? 1, raise);
        fc.pre(before !== undefined);
        const raised = { ...i, account: { ...i.account, contacts: contacts.map((c, j) => (j === k ? { ...c, support: after } : c)) } };
        expect(run(raised).score).toBeGreaterThanOrEqual(run(i).score);
      }),
      RUNS,
    );
  });

  it("one more visit carried out never lowers the score", () => {
    fc.assert(
      fc.property(input, record, (i, extra) => {
        fc.pre(i.visits !== undefined && i.visits !== null);
        const more = { ...i, visits: { ...i.visits, records: [...i.visits.records, { ...extra, summary: "补充拜访" }] } };
        expect(run(more).score).toBeGreaterThanOrEqual(run(i).score);
      }),
      RUNS,
    );
  });

  it("less overdue (a bucket paid down) never lowers the score", () => {
    fc.assert(
      fc.property(input, receivables, fc.constantFrom("d1_30", "d31_60", "d61_90", "over90") , (i, r, bucket) => {
        const paid = { ...r, ageing: { ...r.ageing, [bucket]: 0 } };
        expect(run({ ...i, receivables: paid }).score).toBeGreaterThanOrEqual(run({ ...i, receivables: r }).score);
      }),
      RUNS,
    );
  });
});
