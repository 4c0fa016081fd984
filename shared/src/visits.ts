import { addDays, parseDate, type IsoDate } from "./dates.js";
import { errors, fail, ok, type Result } from "./errors.js";
import { div, floorOf, mul, rationalOf } from "./grading/exact.js";
import { ACCOUNT_CLASSES, VISIT_ROLES, type AccountClass, type VisitRole } from "./labels.js";
import { parsePeriod, type Period } from "./periods.js";
import { hasWrittenSummary } from "./schemas/fields.js";

/**
 * Visits (拜访, docs/domain.md §5).
 */

/** A cadence rate: `visits` per `perMonths` months — kept as integers so no float decides a count. */
export interface VisitRate {
  visits: number;
  perMonths: number;
}

export interface VisitCadenceTable {
  id: string;
  /** account class → our role → minimum rate. */
  rates: Readonly<Partial<Record<AccountClass, Readonly<Partial<Record<VisitRole, VisitRate>>>>>>;
}

/** docs/domain.md §5 minimum visit cadence (the *default* table). */
export const VISIT_CADENCE_004: VisitCadenceTable = {
  id: "004",
  rates: {
    strategic: {
      kaManager: { visits: 1, perMonths: 1 },
      salesManager: { visits: 1, perMonths: 2 },
      vicePresident: { visits: 1, perMonths: 3 },
      generalManager: { visits: 1, perMonths: 6 },
    },
    important: {
      kaManager: { visits: 1, perMonths: 1 },
      salesManager: { visits: 1, perMonths: 3 },
      vicePresident: { visits: 1, perMonths: 6 },
      generalManager: { visits: 1, perMonths: 12 },
    },
  },
};

const CADENCE_002_RATES: Readonly<Partial<Record<VisitRole, VisitRate>>> = {
  // The alternative table: liaison leader ≥ 4 formal visits/receptions a year; sales manager ≥ 1 a month.
  liaisonLeader: { visits: 4, perMonths: 12 },
  salesManager: { visits: 1, perMonths: 1 },
};

/** docs/domain.md §5 alternative table `VISIT_CADENCE_002` (it does not distinguish strategic and important accounts). */
export const VISIT_CADENCE_002: VisitCadenceTable = {
  id: "002",
  rates: { strategic: CADENCE_002_RATES, important: CADENCE_002_RATES },
};

/** docs/domain.md §5: a model may choose either table; *default* 004's. */
export const VISIT_CADENCE_TABLES: Readonly<Record<string, VisitCadenceTable>> = { "004": VISIT_CADENCE_004, "002": VISIT_CADENCE_002 };
export const DEFAULT_VISIT_CADENCE = VISIT_CADENCE_004;

function optionalRole(v: unknown, arg: string): Result<VisitRole | undefined> {
  if (v === undefined || v === null || v === "") return ok(undefined);
  const id = VISIT_ROLES.parse(v);
  return id ? ok(id) : { ok: false, error: errors.badChoice(arg, v, VISIT_ROLES.entries.map((e) => e.zh)) };
}

function rolesAgree(a: VisitRole | undefined, b: VisitRole | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** docs/domain.md §5: the record of month M is due by the 5th of M+1. */
export const VISIT_RECORD_DUE_DAY = 5;

function readTable(table: VisitCadenceTable | string | number | undefined): Result<VisitCadenceTable> {
  if (table === undefined) return ok(DEFAULT_VISIT_CADENCE);
  if (typeof table === "object" && table !== null) return ok(table);
  const t = VISIT_CADENCE_TABLES[String(table).trim().padStart(3, "0")];
  return t ? ok(t) : { ok: false, error: errors.badChoice("table", table, Object.keys(VISIT_CADENCE_TABLES)) };
}

function readClass(v: unknown): Result<AccountClass> {
  const id = ACCOUNT_CLASSES.parse(v);
  return id ? ok(id) : { ok: false, error: errors.badChoice("accountClass", v, ACCOUNT_CLASSES.entries.map((e) => e.zh)) };
}

function readRole(v: unknown): Result<VisitRole> {
  const id = VISIT_ROLES.parse(v);
  return id ? ok(id) : { ok: false, error: errors.badChoice("role", v, VISIT_ROLES.entries.map((e) => e.zh)) };
}

/** The cadence rate of a class and role in a table (ids or Chinese/English names). */
export function visitCadence(accountClass: string, role: string, table?: VisitCadenceTable | string | number): Result<VisitRate> {
  const t = readTable(table);
  if (!t.ok) return t;
  const c = readClass(accountClass);
  if (!c.ok) return c;
  const r = readRole(role);
  if (!r.ok) return r;
  const rate = t.value.rates[c.value]?.[r.value];
  if (!rate) {
    return fail("na", "role", {
      zh: `${t.value.id} 拜访频次表没有“${ACCOUNT_CLASSES.label(c.value, "zh")} / ${VISIT_ROLES.label(r.value, "zh")}”`,
      en: `the ${t.value.id} visit cadence table has no rate for ${ACCOUNT_CLASSES.label(c.value, "en")} / ${VISIT_ROLES.label(r.value, "en")}`,
    });
  }
  return ok(rate);
}

/**
 * docs/domain.md §5 required visits over a span of m months = floor(m × rate), with the rate an exact
 * fraction (e.g. strategic, salesManager, 12 months → floor(12 × 1/2) = 6).
 */
export function requiredVisits(
  accountClass: string,
  role: string,
  months: number,
  table?: VisitCadenceTable | string | number,
): Result<number> {
  const rate = visitCadence(accountClass, role, table);
  if (!rate.ok) return rate;
  if (typeof months !== "number" || !Number.isFinite(months)) return { ok: false, error: errors.notANumber("months", months) };
  if (months < 0) return { ok: false, error: errors.negative("months") };
  const { visits, perMonths } = rate.value;
  if (typeof visits !== "number" || !Number.isFinite(visits) || visits < 0) return { ok: false, error: errors.outOfRange("table.visits", "≥ 0") };
  if (typeof perMonths !== "number" || !Number.isFinite(perMonths) || perMonths <= 0) {
    return { ok: false, error: errors.outOfRange("table.perMonths", "> 0") };
  }
  // docs/domain.md §5: floor(m × visits / perMonths), exactly.
  return ok(Number(floorOf(div(mul(rationalOf(months), rationalOf(visits)), rationalOf(perMonths)))));
}

// ---------------------------------------------------------------------------------------------
// Plans and records

/** A planned visit (月拜访计划表): an account in a month (fits the stored `VisitPlan` schema). */
export interface VisitPlanInput {
  id?: string | null;
  accountId: string;
  /** `YYYY-MM`, or any date of that month. */
  month?: string | number | null;
  /** The planned date, when the plan has one (used for the month when `month` is absent). */
  plannedDate?: string | number | null;
  /** Our visiting role; when plan and record both name one, they must agree. */
  role?: string | null;
}

/** A visit carried out (月度客户拜访记录表). */
export interface VisitRecordInput {
  id?: string | null;
  accountId?: string | null;
  date: string | number;
  /** The plan this record carries out, when linked. */
  planId?: string | null;
  /** Written summary; without it the visit does not count (docs/domain.md §5). */
  summary?: string | null;
  /** Who visited (our role); when present, visitCompliance counts only the matching role. */
  role?: string | null;
}


function monthOf(v: unknown, arg: string): Result<string> {
  const p = parsePeriod(v, arg);
  if (!p.ok) return p;
  if (p.value.kind !== "month") {
    return fail("value", arg, { zh: `应为月份（YYYY-MM），实际为 ${String(v)}`, en: `expected a month (YYYY-MM), got ${String(v)}` });
  }
  return ok(p.value.id);
}

/**
 * docs/domain.md §5 plan adherence = planned visits that were carried out ÷ planned visits.
 * A record carries out the plan it names (`planId`); otherwise it carries out one still-open plan
 * of the same account in the same month (and the same role, when both name one). Each record
 * fulfils at most one plan. A record without a written summary does not count. No planned
 * visits → #DIV/0!.
 */
export function planAdherence(plans: readonly VisitPlanInput[], records: readonly VisitRecordInput[]): Result<number> {
  if (!Array.isArray(plans)) return fail("value", "plans", { zh: "应为拜访计划列表", en: "expected a list of visit plans" });
  if (!Array.isArray(records)) return fail("value", "records", { zh: "应为拜访记录列表", en: "expected a list of visit records" });
  if (plans.length === 0) return { ok: false, error: errors.zeroDenominator("plans", { zh: "计划拜访次数", en: "planned visits" }) };

  const planKeys: string[] = [];
  const planRoles: (VisitRole | undefined)[] = [];
  for (const [i, p] of plans.entries()) {
    if (typeof p?.accountId !== "string" || p.accountId === "") return { ok: false, error: errors.missing(`plans[${i}].accountId`) };
    const when = p.month ?? p.plannedDate;
    if (when === undefined || when === null || when === "") return { ok: false, error: errors.missing(`plans[${i}].month`) };
    const m = monthOf(when, `plans[${i}].month`);
    if (!m.ok) return m;
    const role = optionalRole(p.role, `plans[${i}].role`);
    if (!role.ok) return role;
    planKeys.push(`${p.accountId}\u0000${m.value}`);
    planRoles.push(role.value);
  }
  const done = new Array<boolean>(plans.length).fill(false);
  const open: { key: string; role: VisitRole | undefined }[] = [];
  for (const [i, r] of records.entries()) {
    const d = parseDate(r?.date, `records[${i}].date`);
    if (!d.ok) return d;
    const role = optionalRole(r.role, `records[${i}].role`);
    if (!role.ok) return role;
    if (!hasWrittenSummary(r)) continue; // docs/domain.md §5: no written summary, no visit
    if (r.planId !== undefined && r.planId !== null && r.planId !== "") {
      const k = plans.findIndex((p, j) => p.id === r.planId && !done[j]);
      if (k >= 0) {
        done[k] = true;
        continue;
      }
    }
    if (typeof r.accountId === "string" && r.accountId !== "") open.push({ key: `${r.accountId}\u0000${d.value.slice(0, 7)}`, role: role.value });
  }
  // Records not linked to a plan carry out remaining plans of the same account and month, one each.
  // Plans naming a role take the records of that role first, so a record without a role is kept
  // for the plans that can use it.
  const used = new Array<boolean>(open.length).fill(false);
  const order = plans.map((_, j) => j).sort((a, b) => Number(planRoles[b] !== undefined) - Number(planRoles[a] !== undefined) || a - b);
  for (const j of order) {
    if (done[j]) continue;
    // Exact role first, then a record without a role (keeps the matching maximal).
    let k = open.findIndex((o, n) => !used[n] && o.key === planKeys[j] && o.role === planRoles[j]);
    if (k < 0) k = open.findIndex((o, n) => !used[n] && o.key === planKeys[j] && rolesAgree(planRoles[j], o.role));
    if (k >= 0) {
      used[k] = true;
      done[j] = true;
    }
  }
  return ok(done.filter(Boolean).length / plans.length);
}

export interface VisitCompliance {
  /** floor(months × rate) for the period. */
  required: number;
  /** Visits in the period with a written summary (of the role, when records name one). */
  carriedOut: number;
  met: boolean;
  /** max(0, required − carriedOut). */
  shortfall: number;
}

/** docs/domain.md §5: required visits for a class and role over a period versus those carried out. */
export function visitCompliance(q: {
  accountClass: string;
  role: string;
  period: Period | string | number;
  records: readonly VisitRecordInput[];
  table?: VisitCadenceTable | string | number;
}): Result<VisitCompliance> {
  const period =
    typeof q.period === "object" && q.period !== null ? ok(q.period as Period) : parsePeriod(q.period, "period");
  if (!period.ok) return period;
  const role = readRole(q.role);
  if (!role.ok) return role;
  const required = requiredVisits(q.accountClass, q.role, period.value.months.length, q.table);
  if (!required.ok) return required;
  if (!Array.isArray(q.records)) return fail("value", "records", { zh: "应为拜访记录列表", en: "expected a list of visit records" });
  let carriedOut = 0;
  for (const [i, r] of q.records.entries()) {
    const d = parseDate(r?.date, `records[${i}].date`);
    if (!d.ok) return d;
    if (d.value < period.value.start || d.value > period.value.end) continue;
    if (!hasWrittenSummary(r)) continue;
    if (r.role !== undefined && r.role !== null && r.role !== "") {
      const rr = VISIT_ROLES.parse(r.role);
      if (rr === undefined) return { ok: false, error: errors.badChoice(`records[${i}].role`, r.role, VISIT_ROLES.entries.map((e) => e.zh)) };
      if (rr !== role.value) continue;
    }
    carriedOut++;
  }
  return ok({ required: required.value, carriedOut, met: carriedOut >= required.value, shortfall: Math.max(0, required.value - carriedOut) });
}

/** docs/domain.md §5: the record of month M is due by the 5th of M+1. */
export function recordDueDate(month: string | number): Result<IsoDate> {
  const m = monthOf(month, "month");
  if (!m.ok) return m;
  const y = +m.value.slice(0, 4);
  const mo = +m.value.slice(5, 7);
  const ny = mo === 12 ? y + 1 : y;
  const nm = mo === 12 ? 1 : mo + 1;
  return ok(`${ny}-${String(nm).padStart(2, "0")}-${String(VISIT_RECORD_DUE_DAY).padStart(2, "0")}`);
}

/** docs/domain.md §5: the monthly plan is due before the month — by the last day of the month before. */
export function planDueDate(month: string | number): Result<IsoDate> {
  const m = monthOf(month, "month");
  if (!m.ok) return m;
  return ok(addDays(`${m.value}-01`, -1));
}

/**
 * Lateness of a plan (docs/domain.md §5): the plan for month M is due before M starts, so a
 * plan first stored (`enteredOn`, a date in the tenant's zone) on or after the 1st of M is late.
 */
export function planIsLate(month: string | number, enteredOn: string | number): Result<boolean> {
  const due = planDueDate(month);
  if (!due.ok) return due;
  const e = parseDate(enteredOn, "enteredOn");
  if (!e.ok) return e;
  return ok(e.value > due.value);
}

/**
 * Lateness of a record (docs/domain.md §5): the record of a visit in month M is due by the 5th
 * of M+1, so a record first stored (`enteredOn`) after that day is late.
 */
export function recordIsLate(date: string | number, enteredOn: string | number): Result<boolean> {
  const d = parseDate(date, "date");
  if (!d.ok) return d;
  const due = recordDueDate(d.value.slice(0, 7));
  if (!due.ok) return due;
  const e = parseDate(enteredOn, "enteredOn");
  if (!e.ok) return e;
  return ok(e.value > due.value);
}
