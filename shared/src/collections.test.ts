import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AGEING_BUCKETS, ageingBucketOf, allocatePayments, collectionSummary, type ContractInput, type PaymentInput } from "./collections.js";

const TODAY = "2026-09-01";

// Worked book (docs/domain.md §7):
//   C1 (account A1): I1 due 2026-01-31 100,000; I2 due 2026-04-30 100,000; I3 due 2026-07-31 100,000
//   C2 (account A2): I1 due 2026-02-15  50,000
//   P1 C1 2026-02-10 150,000 → FIFO: 100,000 to C1/I1, 50,000 to C1/I2
//   P2 C2 2026-03-20  60,000 → 50,000 to C2/I1, 10,000 over-payment → credit
//   P3 C1 2026-04-05  20,000 → C1/I2 (open 50,000 → 30,000)
//   P4 C1 2026-05-10  80,000 → 30,000 to C1/I2 (now paid), 50,000 to C1/I3
const contracts: ContractInput[] = [
  {
    id: "C1",
    accountId: "A1",
    amountYuan: 300_000,
    instalments: [
      { id: "I1", dueDate: "2026-01-31", amountYuan: 100_000 },
      { id: "I2", dueDate: "2026-04-30", amountYuan: 100_000 },
      { id: "I3", dueDate: "2026-07-31", amountYuan: 100_000 },
    ],
  },
  { id: "C2", accountId: "A2", amountYuan: 50_000, instalments: [{ id: "I1", dueDate: "2026-02-15", amountYuan: 50_000 }] },
];
const payments: PaymentInput[] = [
  { id: "P3", contractId: "C1", date: "2026-04-05", amountYuan: 20_000 }, // listed out of date order on purpose
  { id: "P1", contractId: "C1", date: "2026-02-10", amountYuan: 150_000 },
  { id: "P2", contractId: "C2", date: "2026-03-20", amountYuan: 60_000 },
  { id: "P4", contractId: "C1", date: "2026-05-10", amountYuan: 80_000 },
];

describe("allocation (docs/domain.md §7: FIFO, named instalment, credit)", () => {
  it("applies payments in date order to the oldest open instalment; over-payment kept as credit", () => {
    const r = allocatePayments(contracts, payments);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.lines.map((l) => [l.paymentId, l.instalmentId, l.amountYuan])).toEqual([
      ["P1", "I1", 100_000],
      ["P1", "I2", 50_000],
      ["P2", "I1", 50_000],
      ["P2", null, 10_000],
      ["P3", "I2", 20_000],
      ["P4", "I2", 30_000],
      ["P4", "I3", 50_000],
    ]);
    // C1/I3: 100,000 − 50,000 = 50,000 open
    expect(r.value.instalments.map((i) => [i.contractId, i.instalmentId, i.paidYuan, i.openYuan])).toEqual([
      ["C1", "I1", 100_000, 0],
      ["C1", "I2", 100_000, 0],
      ["C1", "I3", 50_000, 50_000],
      ["C2", "I1", 50_000, 0],
    ]);
    expect(r.value.credits).toEqual([{ contractId: "C2", accountId: "A2", creditYuan: 10_000 }]);
  });

  it("a payment naming an instalment goes there first, even if an older one is open", () => {
    const c: ContractInput[] = [
      { id: "K", accountId: "A", instalments: [{ id: "I1", dueDate: "2026-01-31", amountYuan: 100 }, { id: "I2", dueDate: "2026-02-28", amountYuan: 100 }] },
    ];
    const r = allocatePayments(c, [{ id: "P", contractId: "K", date: "2026-02-15", amountYuan: 100, instalmentId: "I2" }]);
    expect(r.ok && r.value.lines.map((l) => [l.instalmentId, l.amountYuan])).toEqual([["I2", 100]]);
    // named 150 to I2 (open 100): 100 to I2, the remaining 50 flows FIFO to I1
    const s = allocatePayments(c, [{ id: "P", contractId: "K", date: "2026-02-15", amountYuan: 150, instalmentId: "I2" }]);
    expect(s.ok && s.value.lines.map((l) => [l.instalmentId, l.amountYuan])).toEqual([["I2", 100], ["I1", 50]]);
  });

  it("over-payment of the whole contract is credit, never dropped", () => {
    // instalments total 100; paid 130 → 100 applied, 30 credit
    const c: ContractInput[] = [{ id: "K", accountId: "A", instalments: [{ id: "I1", dueDate: "2026-01-31", amountYuan: 100 }] }];
    const r = allocatePayments(c, [{ id: "P", contractId: "K", date: "2026-01-10", amountYuan: 130 }]);
    expect(r.ok && r.value.credits).toEqual([{ contractId: "K", accountId: "A", creditYuan: 30 }]);
  });

  it("a one-instalment contract may give its due date on the contract", () => {
    const r = allocatePayments([{ id: "K", accountId: "A", amountYuan: 500, dueDate: "2026-03-31" }], [{ id: "P", contractId: "K", date: "2026-03-01", amountYuan: 200 }]);
    expect(r.ok && r.value.instalments.map((i) => [i.instalmentId, i.openYuan])).toEqual([["K", 300]]);
  });

  it("bad input is an error naming the argument", () => {
    const unknown = allocatePayments(contracts, [{ id: "P", contractId: "C9", date: "2026-01-01", amountYuan: 1 }]);
    expect(!unknown.ok && [unknown.error.code, unknown.error.arg]).toEqual(["na", "payments[0].contractId"]);
    const inst = allocatePayments(contracts, [{ id: "P", contractId: "C2", date: "2026-01-01", amountYuan: 1, instalmentId: "I7" }]);
    expect(!inst.ok && [inst.error.code, inst.error.arg]).toEqual(["na", "payments[0].instalmentId"]);
    const neg = allocatePayments(contracts, [{ id: "P", contractId: "C2", date: "2026-01-01", amountYuan: -5 }]);
    expect(!neg.ok && [neg.error.code, neg.error.arg]).toEqual(["num", "payments[0].amountYuan"]);
    const date = allocatePayments([{ id: "K", accountId: "A", instalments: [{ id: "I", dueDate: "2026-02-30", amountYuan: 1 }] }], []);
    expect(!date.ok && [date.error.code, date.error.arg]).toEqual(["value", "contracts[0].instalments[0].dueDate"]);
    const dup = allocatePayments([contracts[0]!, contracts[0]!], []);
    expect(!dup.ok && [dup.error.code, dup.error.arg]).toEqual(["value", "contracts[1].id"]);
  });
});

describe("collection summary (docs/domain.md §7, docs/contracts.md §11)", () => {
  it("Q1, cumulative: due by 03-31, collected by payments ≤ 03-31, advance and credit shown", () => {
    // due by 2026-03-31: C1/I1 100,000 + C2/I1 50,000 = 150,000
    // payments ≤ 03-31: P1, P2 (P3 of 04-05 is after the period end → excluded)
    // collected: 100,000 (P1→C1/I1) + 50,000 (P2→C2/I1) = 150,000 → rate 1
    // advance: P1→C1/I2 (due 04-30) 50,000; credit: P2 over-payment 10,000
    // paid ≤ 03-31 = 150,000 + 60,000 = 210,000 = 150,000 + 50,000 + 10,000
    const r = collectionSummary({ contracts, payments, period: "2026-Q1", today: TODAY });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.value;
    expect([s.dueYuan, s.collectedYuan, s.advanceYuan, s.creditYuan, s.priorCollectedYuan, s.paidYuan]).toEqual([150_000, 150_000, 50_000, 10_000, 0, 210_000]);
    expect(s.rate).toEqual({ ok: true, value: 1 });
    expect([s.asOf, s.overdueYuan, s.overdue90Yuan]).toEqual(["2026-03-31", 0, 0]);
    expect(s.rows.map((x) => [x.accountId, x.dueYuan, x.collectedYuan, x.advanceYuan, x.creditYuan])).toEqual([
      ["A1", 100_000, 100_000, 50_000, 0],
      ["A2", 50_000, 50_000, 0, 10_000],
    ]);
  });

  it("Q2, cumulative to 06-30", () => {
    // due by 06-30: C1/I1 + C1/I2 + C2/I1 = 100,000 + 100,000 + 50,000 = 250,000
    // collected: C1/I1 100,000 + C1/I2 (50,000 + 20,000 + 30,000) + C2/I1 50,000 = 250,000
    // advance: P4→C1/I3 (due 07-31) 50,000; credit 10,000; paid = 150,000+60,000+20,000+80,000 = 310,000
    const r = collectionSummary({ contracts, payments, period: "2026-Q2", today: TODAY });
    expect(r.ok && [r.value.dueYuan, r.value.collectedYuan, r.value.advanceYuan, r.value.creditYuan, r.value.paidYuan]).toEqual([
      250_000, 250_000, 50_000, 10_000, 310_000,
    ]);
  });

  it("Q2, period only: amounts falling due within Q2; earlier dues shown as prior", () => {
    // due within Q2: C1/I2 100,000; collected (payments ≤ 06-30 applied to it): 50,000 + 20,000 + 30,000 = 100,000
    // prior (applied to amounts due before Q2): C1/I1 100,000 + C2/I1 50,000 = 150,000
    // 100,000 + 150,000 + advance 50,000 + credit 10,000 = paid 310,000
    const r = collectionSummary({ contracts, payments, period: "2026-Q2", today: TODAY, periodOnly: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.value.dueYuan, r.value.collectedYuan, r.value.priorCollectedYuan, r.value.advanceYuan, r.value.creditYuan, r.value.paidYuan]).toEqual([
      100_000, 100_000, 150_000, 50_000, 10_000, 310_000,
    ]);
    expect(r.value.periodOnly).toBe(true);
  });

  it("payments dated after the period end are not collected", () => {
    // due 01-31 100; paid 04-01 (after Q1's end 03-31) → Q1 collected 0, rate 0; Q2 collected 100
    const c: ContractInput[] = [{ id: "K", accountId: "A", instalments: [{ id: "I1", dueDate: "2026-01-31", amountYuan: 100 }] }];
    const p: PaymentInput[] = [{ id: "P", contractId: "K", date: "2026-04-01", amountYuan: 100 }];
    const q1 = collectionSummary({ contracts: c, payments: p, period: "2026-Q1", today: TODAY });
    expect(q1.ok && [q1.value.dueYuan, q1.value.collectedYuan, q1.value.paidYuan]).toEqual([100, 0, 0]);
    expect(q1.ok && q1.value.rate).toEqual({ ok: true, value: 0 });
    // ageing as of 03-31: 01-31 → 03-31 = 28 (Feb) + 31 (Mar) = 59 days → 31–60
    expect(q1.ok && q1.value.ageing).toEqual({ d1_30: 0, d31_60: 100, d61_90: 0, over90: 0 });
    const q2 = collectionSummary({ contracts: c, payments: p, period: "2026-Q2", today: TODAY });
    expect(q2.ok && [q2.value.collectedYuan, q2.value.overdueYuan]).toEqual([100, 0]);
  });

  it("named instalment in the summary: the older one stays overdue", () => {
    // I1 100 due 01-31, I2 100 due 02-28; 100 paid 02-15 naming I2 → Q1: due 200, collected 100, rate 0.5
    // I1 unpaid as of 03-31: 59 days overdue → 31–60
    const c: ContractInput[] = [
      { id: "K", accountId: "A", instalments: [{ id: "I1", dueDate: "2026-01-31", amountYuan: 100 }, { id: "I2", dueDate: "2026-02-28", amountYuan: 100 }] },
    ];
    const r = collectionSummary({ contracts: c, payments: [{ id: "P", contractId: "K", date: "2026-02-15", amountYuan: 100, instalmentId: "I2" }], period: "2026-Q1", today: TODAY });
    expect(r.ok && [r.value.dueYuan, r.value.collectedYuan, r.value.overdueYuan, r.value.ageing.d31_60]).toEqual([200, 100, 100, 100]);
    expect(r.ok && r.value.rate).toEqual({ ok: true, value: 0.5 });
  });

  it("ageing buckets at the boundaries 0/1/30/31/60/61/90/91 days", () => {
    // as of 2026-06-30 (Q2 end). Days back: 0 → 06-30, 1 → 06-29, 30 → 05-31, 31 → 05-30,
    // 60 → 05-01, 61 → 04-30, 90 → 04-01, 91 → 03-31. Amounts 1,2,4,…,128 so each bucket's sum is unique:
    // 1–30: 2 + 4 = 6; 31–60: 8 + 16 = 24; 61–90: 32 + 64 = 96; > 90: 128; due on the day (0 days): not overdue
    const due: [string, number][] = [
      ["2026-06-30", 1], ["2026-06-29", 2], ["2026-05-31", 4], ["2026-05-30", 8],
      ["2026-05-01", 16], ["2026-04-30", 32], ["2026-04-01", 64], ["2026-03-31", 128],
    ];
    const c: ContractInput[] = [{ id: "K", accountId: "A", instalments: due.map(([d, a], i) => ({ id: `I${i}`, dueDate: d, amountYuan: a })) }];
    const r = collectionSummary({ contracts: c, payments: [], period: "2026-Q2", today: TODAY });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.ageing).toEqual({ d1_30: 6, d31_60: 24, d61_90: 96, over90: 128 });
    // overdue = 6 + 24 + 96 + 128 = 254; due = 255 (all due by 06-30)
    expect([r.value.overdueYuan, r.value.overdue90Yuan, r.value.dueYuan]).toEqual([254, 128, 255]);
    expect([0, 1, 30, 31, 60, 61, 90, 91].map(ageingBucketOf)).toEqual([undefined, "d1_30", "d1_30", "d31_60", "d31_60", "d61_90", "d61_90", "over90"]);
    expect(AGEING_BUCKETS.map((b) => b.key)).toEqual(["d1_30", "d31_60", "d61_90", "over90"]);
  });

  it("ageing as of asOf counts only payments up to that date; never after today", () => {
    // I1 100 due 01-31; 40 paid 02-20, 60 paid 03-20
    const c: ContractInput[] = [{ id: "K", accountId: "A", instalments: [{ id: "I1", dueDate: "2026-01-31", amountYuan: 100 }] }];
    const p: PaymentInput[] = [
      { id: "P1", contractId: "K", date: "2026-02-20", amountYuan: 40 },
      { id: "P2", contractId: "K", date: "2026-03-20", amountYuan: 60 },
    ];
    // as of 03-01: 29 days overdue, open 100 − 40 = 60 → 1–30
    const a = collectionSummary({ contracts: c, payments: p, period: "2026-Q1", asOf: "2026-03-01", today: TODAY });
    expect(a.ok && [a.value.asOf, a.value.ageing.d1_30, a.value.overdueYuan]).toEqual(["2026-03-01", 60, 60]);
    // period 2026 (end 12-31) with today 2026-03-01: ageing as of today, not the future period end
    const b = collectionSummary({ contracts: c, payments: p, period: "2026", today: "2026-03-01" });
    expect(b.ok && [b.value.asOf, b.value.ageing.d1_30]).toEqual(["2026-03-01", 60]);
    // asOf after today is taken as today
    const d = collectionSummary({ contracts: c, payments: p, period: "2026-Q1", asOf: "2026-12-31", today: "2026-03-01" });
    expect(d.ok && d.value.asOf).toBe("2026-03-01");
  });

  it("nothing due → rate #DIV/0! (the figures still come back)", () => {
    // only instalment due in Q3; Q1 has nothing due
    const r = collectionSummary({ contracts: [contracts[0]!].map((c) => ({ ...c, instalments: [c.instalments![2]!] })), payments: [], period: "2026-Q1", today: TODAY });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.dueYuan).toBe(0);
      expect(!r.value.rate.ok && r.value.rate.error.code).toBe("div0");
    }
  });

  it("cents stay exact: 0.1 + 0.2 collected of 0.3 due is rate 1", () => {
    const c: ContractInput[] = [{ id: "K", accountId: "A", instalments: [{ id: "I1", dueDate: "2026-01-31", amountYuan: 0.3 }] }];
    const p: PaymentInput[] = [
      { id: "P1", contractId: "K", date: "2026-01-10", amountYuan: 0.1 },
      { id: "P2", contractId: "K", date: "2026-01-11", amountYuan: 0.2 },
    ];
    const r = collectionSummary({ contracts: c, payments: p, period: "2026-01", today: TODAY });
    expect(r.ok && [r.value.collectedYuan, r.value.creditYuan]).toEqual([0.3, 0]);
    expect(r.ok && r.value.rate).toEqual({ ok: true, value: 1 });
  });

  it("a bad period is #VALUE! naming it", () => {
    const r = collectionSummary({ contracts, payments, period: "2026-Q5", today: TODAY });
    expect(!r.ok && [r.error.code, r.error.arg]).toEqual(["value", "period"]);
  });

  it("property: collected ≤ due; collected + advance + credit = paid ≤ period end; credit only on over-paid contracts", () => {
    const day = fc.integer({ min: 0, max: 364 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
    const fen = fc.integer({ min: 0, max: 5_000_000 });
    const book = fc.record({
      contracts: fc.array(fc.array(fc.record({ due: day, fen }), { minLength: 0, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
      payments: fc.array(fc.record({ c: fc.nat(), date: day, fen, named: fc.option(fc.nat(), { nil: undefined }) }), { maxLength: 12 }),
      period: fc.constantFrom("2026-Q1", "2026-Q2", "2026-H2", "2026-07", "2026"),
    });
    fc.assert(
      fc.property(book, ({ contracts: cs, payments: ps, period }) => {
        const c: ContractInput[] = cs.map((list, k) => ({
          id: `C${k}`,
          accountId: `A${k % 2}`,
          instalments: list.map((x, i) => ({ id: `I${i}`, dueDate: x.due, amountYuan: x.fen / 100 })),
        }));
        const p: PaymentInput[] = ps.map((x, i) => {
          const k = x.c % cs.length;
          const n = cs[k]!.length;
          return {
            id: `P${i}`,
            contractId: `C${k}`,
            date: x.date,
            amountYuan: x.fen / 100,
            ...(x.named !== undefined && n > 0 ? { instalmentId: `I${x.named % n}` } : {}),
          };
        });
        const r = collectionSummary({ contracts: c, payments: p, period, today: "2027-06-30" });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const s = r.value;
        const end = { "2026-Q1": "2026-03-31", "2026-Q2": "2026-06-30", "2026-H2": "2026-12-31", "2026-07": "2026-07-31", "2026": "2026-12-31" }[period];
        const paidFen = ps.filter((x) => x.date <= end).reduce((a, x) => a + x.fen, 0);
        const f = (y: number) => Math.round(y * 100);
        expect(f(s.collectedYuan)).toBeLessThanOrEqual(f(s.dueYuan));
        expect(f(s.collectedYuan) + f(s.advanceYuan) + f(s.creditYuan) + f(s.priorCollectedYuan)).toBe(paidFen);
        expect(f(s.paidYuan)).toBe(paidFen);
        // as of the period end: overdue ≤ due − collected (overdue is part of what is unpaid)
        expect(f(s.overdueYuan)).toBeLessThanOrEqual(f(s.dueYuan) - f(s.collectedYuan));
        // credit only where a contract got more than all its instalments
        const scheduled = cs.map((list) => list.reduce((a, x) => a + x.fen, 0));
        const paidTo = cs.map((_, k) => ps.filter((x) => x.c % cs.length === k && x.date <= end).reduce((a, x) => a + x.fen, 0));
        const expectedCredit = scheduled.reduce((a, sch, k) => a + Math.max(0, paidTo[k]! - sch), 0);
        expect(f(s.creditYuan)).toBe(expectedCredit);
        // rows add up to the total
        expect(s.rows.reduce((a, x) => a + f(x.dueYuan), 0)).toBe(f(s.dueYuan));
        expect(s.rows.reduce((a, x) => a + f(x.collectedYuan), 0)).toBe(f(s.collectedYuan));
      }),
      { numRuns: 300 },
    );
  });
});
