import { got, must } from "./checked.js";
import { daysBetween, parseDate, today as todayIn, type IsoDate } from "./dates.js";
import { errors, fail, ok, type KamError, type Result } from "./errors.js";
import { fenToYuan, yuanToFen, type Fen } from "./money.js";
import { parsePeriod, type Period } from "./periods.js";

/**
 * Collections (回款, docs/domain.md §7; docs/contracts.md §11).
 *
 * - An amount is *due by period P* if its due date is on or before the end of P.
 * - *Collected* counts payments dated on or before the end of P, applied to those amounts
 *   (cumulative to the period end). With `periodOnly`, due counts only the amounts falling due
 *   within P, and collected what payments dated up to the end of P applied to those amounts —
 *   so the period rate also stays ≤ 1 and a payment made in advance still counts.
 * - Allocation (docs/domain.md §7): a payment goes to the oldest open instalment of its contract (FIFO by
 *   due date, then listed order) unless it names an instalment; then it goes to that one first.
 *   What a payment has left after its target is paid flows FIFO to the contract's other open
 *   instalments; only what is left after every instalment of the contract is paid is *credit*
 *   (an over-payment), kept and shown, never dropped. Payments are applied in date order
 *   (then listed order), so the allocation of the payments up to a date never depends on later
 *   payments.
 * - Paid to instalments not yet due by the end of P is shown as *advance* (prepayment), not as
 *   collected; with `periodOnly`, paid to amounts due before P is shown as *priorCollected*.
 *   So collected + advance + priorCollected + credit = paid (payments dated ≤ end of P).
 * - An instalment is overdue on day D if D is after its due date and it is not fully paid by
 *   payments dated ≤ D. Ageing buckets by days overdue: 1–30, 31–60, 61–90, > 90, as of the
 *   period end or `asOf` — never after today (a later date is taken as today).
 * - Money is integer fen inside; every figure out is yuan.
 * - A contract without instalments but with `amountYuan` and `dueDate` is one instalment whose
 *   id is the contract id; without a due date it has nothing due (payments to it are credit).
 */

export interface InstalmentInput {
  id: string;
  /** ISO date or Excel serial. */
  dueDate: string | number;
  amountYuan: number | string;
}

export interface ContractInput {
  id: string;
  accountId: string;
  /** Contract amount, yuan (informational when instalments are given). */
  amountYuan?: number | string | null;
  /** Due date of a contract paid in one instalment (used only when `instalments` is empty). */
  dueDate?: string | number | null;
  instalments?: readonly InstalmentInput[] | null;
}

export interface PaymentInput {
  id: string;
  contractId: string;
  /** ISO date or Excel serial. */
  date: string | number;
  amountYuan: number | string;
  /** The instalment the payment names, if any. */
  instalmentId?: string | null;
}

/** docs/domain.md §7 ageing buckets by days overdue (upper bounds inclusive; the last is open). */
export const AGEING_BUCKETS = [
  { key: "d1_30", from: 1, to: 30, zh: "1–30 天", en: "1–30 days" },
  { key: "d31_60", from: 31, to: 60, zh: "31–60 天", en: "31–60 days" },
  { key: "d61_90", from: 61, to: 90, zh: "61–90 天", en: "61–90 days" },
  { key: "over90", from: 91, to: Infinity, zh: "90 天以上", en: "over 90 days" },
] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number]["key"];
export type Ageing = Record<AgeingBucket, number>;

/** Days overdue → bucket key, or undefined when not overdue (≤ 0 days). */
export function ageingBucketOf(daysOverdue: number): AgeingBucket | undefined {
  for (const b of AGEING_BUCKETS) if (daysOverdue >= b.from && daysOverdue <= b.to) return b.key;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Validation into internal fen records

interface Inst {
  contractId: string;
  accountId: string;
  id: string;
  dueDate: IsoDate;
  amount: Fen;
  order: number;
}

interface Pay {
  id: string;
  contractId: string;
  accountId: string;
  date: IsoDate;
  amount: Fen;
  instalmentId?: string;
  order: number;
}

interface Book {
  /** contract id → account id, in input order */
  contracts: Map<string, string>;
  /** contract id → instalments in FIFO order */
  instalments: Map<string, Inst[]>;
  payments: Pay[];
}

function bad(arg: string, zh: string, en: string, code: KamError["code"] = "value"): Result<never> {
  return fail(code, arg, { zh, en });
}

function money(v: unknown, arg: string): Result<Fen> {
  if (v === undefined || v === null || v === "") return { ok: false, error: errors.missing(arg) };
  if (typeof v !== "number" && typeof v !== "string") return { ok: false, error: errors.notANumber(arg, v) };
  const f = yuanToFen(v, arg);
  if (!f.ok) return f;
  if (f.value < 0) return { ok: false, error: errors.negative(arg) };
  return f;
}

function idOf(v: unknown, arg: string): Result<string> {
  if (typeof v === "number" && Number.isFinite(v)) return ok(String(v));
  if (typeof v !== "string" || v.trim() === "") return { ok: false, error: errors.missing(arg) };
  return ok(v);
}

function readBook(contracts: readonly ContractInput[], payments: readonly PaymentInput[]): Result<Book> {
  if (!Array.isArray(contracts)) return bad("contracts", "应为合同列表", "expected a list of contracts");
  if (!Array.isArray(payments)) return bad("payments", "应为收款列表", "expected a list of payments");
  const book: Book = { contracts: new Map(), instalments: new Map(), payments: [] };
  for (const [c, con] of contracts.entries()) {
    const at = `contracts[${c}]`;
    const id = idOf(con?.id, `${at}.id`);
    if (!id.ok) return id;
    if (book.contracts.has(id.value)) return bad(`${at}.id`, `合同编号重复：${id.value}`, `duplicate contract id ${id.value}`);
    const account = idOf(con.accountId, `${at}.accountId`);
    if (!account.ok) return account;
    const list: Inst[] = [];
    const given = con.instalments ?? [];
    if (!Array.isArray(given)) return bad(`${at}.instalments`, "应为分期列表", "expected a list of instalments");
    if (given.length === 0 && con.dueDate !== undefined && con.dueDate !== null && con.dueDate !== "") {
      // One-instalment contract: the whole amount falls due on the contract's due date.
      const amount = money(con.amountYuan, `${at}.amountYuan`);
      if (!amount.ok) return amount;
      const due = parseDate(con.dueDate, `${at}.dueDate`);
      if (!due.ok) return due;
      list.push({ contractId: id.value, accountId: account.value, id: id.value, dueDate: due.value, amount: amount.value, order: 0 });
    }
    for (const [i, ins] of given.entries()) {
      const iat = `${at}.instalments[${i}]`;
      const iid = idOf(ins?.id, `${iat}.id`);
      if (!iid.ok) return iid;
      if (list.some((x) => x.id === iid.value)) return bad(`${iat}.id`, `分期编号重复：${iid.value}`, `duplicate instalment id ${iid.value}`);
      const due = parseDate(ins.dueDate, `${iat}.dueDate`);
      if (!due.ok) return due;
      const amount = money(ins.amountYuan, `${iat}.amountYuan`);
      if (!amount.ok) return amount;
      list.push({ contractId: id.value, accountId: account.value, id: iid.value, dueDate: due.value, amount: amount.value, order: i });
    }
    // docs/domain.md §7: FIFO = oldest due date first; equal dates keep their listed order.
    list.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.order - b.order));
    book.contracts.set(id.value, account.value);
    book.instalments.set(id.value, list);
  }
  const seen = new Set<string>();
  for (const [p, pay] of payments.entries()) {
    const at = `payments[${p}]`;
    const id = idOf(pay?.id, `${at}.id`);
    if (!id.ok) return id;
    if (seen.has(id.value)) return bad(`${at}.id`, `收款编号重复：${id.value}`, `duplicate payment id ${id.value}`);
    seen.add(id.value);
    const cid = idOf(pay.contractId, `${at}.contractId`);
    if (!cid.ok) return cid;
    const account = book.contracts.get(cid.value);
    if (account === undefined) return bad(`${at}.contractId`, `找不到合同 ${cid.value}`, `unknown contract ${cid.value}`, "na");
    const date = parseDate(pay.date, `${at}.date`);
    if (!date.ok) return date;
    const amount = money(pay.amountYuan, `${at}.amountYuan`);
    if (!amount.ok) return amount;
    let instalmentId: string | undefined;
    if (pay.instalmentId !== undefined && pay.instalmentId !== null && pay.instalmentId !== "") {
      const iid = idOf(pay.instalmentId, `${at}.instalmentId`);
      if (!iid.ok) return iid;
      if (!got(book.instalments, cid.value, "instalments by contract").some((x) => x.id === iid.value)) {
        return bad(`${at}.instalmentId`, `合同 ${cid.value} 没有分期 ${iid.value}`, `contract ${cid.value} has no instalment ${iid.value}`, "na");
      }
      instalmentId = iid.value;
    }
    book.payments.push({
      id: id.value,
      contractId: cid.value,
      accountId: account,
      date: date.value,
      amount: amount.value,
      ...(instalmentId === undefined ? {} : { instalmentId }),
      order: p,
    });
  }
  book.payments.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
  return ok(book);
}

// ---------------------------------------------------------------------------------------------
// Allocation

/** One piece of a payment: applied to an instalment, or kept as credit (instalmentId null). */
interface Piece {
  payment: Pay;
  inst: Inst | null;
  amount: Fen;
}

function allocate(book: Book): Piece[] {
  const paid = new Map<Inst, Fen>();
  const pieces: Piece[] = [];
  for (const pay of book.payments) {
    const list = got(book.instalments, pay.contractId, "instalments by contract");
    let left = pay.amount;
    const apply = (inst: Inst) => {
      const open = inst.amount - (paid.get(inst) ?? 0);
      if (open <= 0 || left <= 0) return;
      const take = Math.min(open, left);
      paid.set(inst, (paid.get(inst) ?? 0) + take);
      pieces.push({ payment: pay, inst, amount: take });
      left -= take;
    };
    // docs/domain.md §7: a named instalment first …
    if (pay.instalmentId !== undefined) apply(must(list.find((x) => x.id === pay.instalmentId), `instalment ${pay.instalmentId}`));
    // … otherwise (and for what is left) FIFO, oldest open instalment first.
    for (const inst of list) apply(inst);
    // docs/domain.md §7: an over-payment is kept as credit, never dropped.
    if (left > 0) pieces.push({ payment: pay, inst: null, amount: left });
  }
  return pieces;
}

export interface AllocationLine {
  paymentId: string;
  contractId: string;
  accountId: string;
  date: IsoDate;
  /** null: kept as credit (over-payment). */
  instalmentId: string | null;
  amountYuan: number;
}

export interface InstalmentStatus {
  contractId: string;
  accountId: string;
  instalmentId: string;
  dueDate: IsoDate;
  amountYuan: number;
  paidYuan: number;
  openYuan: number;
}

export interface PaymentAllocation {
  /** In the order the payments were applied (date, then listed order). */
  lines: AllocationLine[];
  /** Every instalment with what all payments paid of it (contracts in input order, FIFO within). */
  instalments: InstalmentStatus[];
  /** Credit (over-payment) per contract that has any. */
  credits: { contractId: string; accountId: string; creditYuan: number }[];
}

/** docs/domain.md §7: apply every payment (FIFO unless it names an instalment; over-payment → credit). */
export function allocatePayments(contracts: readonly ContractInput[], payments: readonly PaymentInput[]): Result<PaymentAllocation> {
  const book = readBook(contracts, payments);
  if (!book.ok) return book;
  const pieces = allocate(book.value);
  const paid = new Map<Inst, Fen>();
  const credit = new Map<string, Fen>();
  for (const p of pieces) {
    if (p.inst) paid.set(p.inst, (paid.get(p.inst) ?? 0) + p.amount);
    else credit.set(p.payment.contractId, (credit.get(p.payment.contractId) ?? 0) + p.amount);
  }
  const instalments: InstalmentStatus[] = [];
  for (const list of book.value.instalments.values()) {
    for (const i of list) {
      const got = paid.get(i) ?? 0;
      instalments.push({
        contractId: i.contractId,
        accountId: i.accountId,
        instalmentId: i.id,
        dueDate: i.dueDate,
        amountYuan: fenToYuan(i.amount),
        paidYuan: fenToYuan(got),
        openYuan: fenToYuan(i.amount - got),
      });
    }
  }
  return ok({
    lines: pieces.map((p) => ({
      paymentId: p.payment.id,
      contractId: p.payment.contractId,
      accountId: p.payment.accountId,
      date: p.payment.date,
      instalmentId: p.inst ? p.inst.id : null,
      amountYuan: fenToYuan(p.amount),
    })),
    instalments,
    credits: [...credit].map(([contractId, c]) => ({ contractId, accountId: got(book.value.contracts, contractId, "contracts"), creditYuan: fenToYuan(c) })),
  });
}

// ---------------------------------------------------------------------------------------------
// Summary

export interface CollectionFigures {
  /** Amount contractually due by the period end (or within the period with `periodOnly`). */
  dueYuan: number;
  /** Payments dated ≤ period end applied to those due amounts. */
  collectedYuan: number;
  /** collected ÷ due; #DIV/0! when nothing is due. */
  rate: Result<number>;
  /** Over-payment (paid beyond every instalment of the contract) by payments dated ≤ period end. */
  creditYuan: number;
  /** Paid ≤ period end to instalments that fall due after the period end (prepayment). */
  advanceYuan: number;
  /** With `periodOnly`: paid ≤ period end to amounts due before the period (0 otherwise). */
  priorCollectedYuan: number;
  /** All payments dated ≤ period end = collected + advance + priorCollected + credit. */
  paidYuan: number;
  /** Overdue and unpaid as of the ageing date (sum of the buckets). */
  overdueYuan: number;
  /** Overdue more than 90 days as of the ageing date (= ageing.over90). */
  overdue90Yuan: number;
  ageing: Ageing;
}

export interface CollectionRow extends CollectionFigures {
  accountId: string;
}

export interface CollectionSummary extends CollectionFigures {
  /** Period id (e.g. 2026-Q3). */
  period: string;
  periodOnly: boolean;
  /** The date ageing was computed as of. */
  asOf: IsoDate;
  /** One row per account, in the order accounts first appear in `contracts`. */
  rows: CollectionRow[];
}

export interface CollectionQuery {
  contracts: readonly ContractInput[];
  payments: readonly PaymentInput[];
  /** A Period or a period id: 2026, 2026-H1, 2026-Q3, 2026-09. */
  period: Period | string | number;
  /** Ageing date (default: the period end); never after today. */
  asOf?: string | number | null;
  /** Only amounts falling due within the period (default: cumulative to the period end). */
  periodOnly?: boolean;
  /** Today in the tenant's zone (default: today in `timeZone`). */
  today?: string | number;
  timeZone?: string;
}

interface Acc {
  due: Fen;
  collected: Fen;
  credit: Fen;
  advance: Fen;
  prior: Fen;
  paid: Fen;
  ageing: Ageing;
}

function emptyAcc(): Acc {
  return { due: 0, collected: 0, credit: 0, advance: 0, prior: 0, paid: 0, ageing: { d1_30: 0, d31_60: 0, d61_90: 0, over90: 0 } };
}

function figures(a: Acc): CollectionFigures {
  const overdue = a.ageing.d1_30 + a.ageing.d31_60 + a.ageing.d61_90 + a.ageing.over90;
  return {
    dueYuan: fenToYuan(a.due),
    collectedYuan: fenToYuan(a.collected),
    rate:
      a.due === 0
        ? { ok: false, error: errors.zeroDenominator("due", { zh: "应回款金额", en: "amount due" }) }
        : ok(a.collected / a.due),
    creditYuan: fenToYuan(a.credit),
    advanceYuan: fenToYuan(a.advance),
    priorCollectedYuan: fenToYuan(a.prior),
    paidYuan: fenToYuan(a.paid),
    overdueYuan: fenToYuan(overdue),
    overdue90Yuan: fenToYuan(a.ageing.over90),
    ageing: {
      d1_30: fenToYuan(a.ageing.d1_30),
      d31_60: fenToYuan(a.ageing.d31_60),
      d61_90: fenToYuan(a.ageing.d61_90),
      over90: fenToYuan(a.ageing.over90),
    },
  };
}

function resolvePeriod(p: CollectionQuery["period"]): Result<Period> {
  if (p !== null && typeof p === "object" && typeof (p as Period).start === "string" && typeof (p as Period).end === "string") {
    return ok(p as Period);
  }
  return parsePeriod(p, "period");
}

/** docs/domain.md §7 collections of a set of contracts for a period: due, collected, rate, credit, ageing. */
export function collectionSummary(q: CollectionQuery): Result<CollectionSummary> {
  const period = resolvePeriod(q.period);
  if (!period.ok) return period;
  const book = readBook(q.contracts, q.payments);
  if (!book.ok) return book;
  const now = q.today === undefined ? ok(todayIn(q.timeZone)) : parseDate(q.today, "today");
  if (!now.ok) return now;
  let asOf = period.value.end;
  if (q.asOf !== undefined && q.asOf !== null && q.asOf !== "") {
    const a = parseDate(q.asOf, "asOf");
    if (!a.ok) return a;
    asOf = a.value;
  }
  // docs/contracts.md §11: ageing is as of the period end or asOf — never after today.
  if (asOf > now.value) asOf = now.value;
  const periodOnly = q.periodOnly === true;
  const { start, end } = period.value;

  const total = emptyAcc();
  const byAccount = new Map<string, Acc>();
  for (const account of book.value.contracts.values()) if (!byAccount.has(account)) byAccount.set(account, emptyAcc());
  const both = (account: string, f: (a: Acc) => void) => {
    f(total);
    f(got(byAccount, account, "totals by account"));
  };

  // Due amounts (docs/domain.md §7: due date on or before the end of P; periodOnly: within P).
  const counted = (i: Inst) => i.dueDate <= end && (!periodOnly || i.dueDate >= start);
  for (const list of book.value.instalments.values()) {
    for (const i of list) if (counted(i)) both(i.accountId, (a) => (a.due += i.amount));
  }

  const pieces = allocate(book.value);
  const paidByAsOf = new Map<Inst, Fen>();
  for (const p of pieces) {
    if (p.inst && p.payment.date <= asOf) paidByAsOf.set(p.inst, (paidByAsOf.get(p.inst) ?? 0) + p.amount);
    if (p.payment.date > end) continue; // docs/domain.md §7: payments after the period end are not collected in P
    both(p.payment.accountId, (a) => {
      a.paid += p.amount;
      if (p.inst === null) a.credit += p.amount;
      else if (counted(p.inst)) a.collected += p.amount;
      else if (p.inst.dueDate > end) a.advance += p.amount;
      else a.prior += p.amount;
    });
  }

  // Ageing (docs/domain.md §7): overdue on D when D is after the due date and not fully paid by D.
  for (const list of book.value.instalments.values()) {
    for (const i of list) {
      const open = i.amount - (paidByAsOf.get(i) ?? 0);
      if (open <= 0) continue;
      const bucket = ageingBucketOf(daysBetween(i.dueDate, asOf));
      if (bucket) both(i.accountId, (a) => (a.ageing[bucket] += open));
    }
  }

  return ok({
    ...figures(total),
    period: period.value.id,
    periodOnly,
    asOf,
    rows: [...byAccount].map(([accountId, a]) => ({ accountId, ...figures(a) })),
  });
}
