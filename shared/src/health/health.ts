import { archiveCompleteness, DECIDER_CONTACT, isStaleArchive, type ArchiveAccount } from "../archive/completeness.js";
import { collectionSummary, type Ageing, type ContractInput, type PaymentInput } from "../collections.js";
import { at, must } from "../checked.js";
import { addDays, parseDate, today as todayIn, type IsoDate } from "../dates.js";
import { fail, ok, type Bilingual, type Lang, type Result } from "../errors.js";
import { ACCOUNT_FIELD_LABELS } from "../excel/store.js";
import { CONTACT_ROLES, STAGES, VISIT_ROLES, type ContactRole, type Stage, type VisitRole } from "../labels.js";
import type { Period } from "../periods.js";
import { parseDealStatus, TERMINATED, type DealStatusId } from "../stageGates.js";
import { VISIT_CADENCE_TABLES, visitCompliance, type VisitRecordInput } from "../visits.js";
import { DEFAULT_HEALTH_MODEL, HEALTH_FACTORS, OVERDUE_BUCKETS, type DecisionPart, type HealthFactorKey, type HealthModel } from "./model.js";

/**
 * Account health 0–100 and relationship status R/A/G, from the account's decision chain, its visit
 * compliance over the last quarter, its overdue receivables, its archive (completeness and
 * review) and its development stage — each a factor of the model (model.ts documents the
 * default weights).
 *
 * - Each factor earns a share 0..1 of its points; its points are its weight rescaled over the
 *   factors that have data (weight × 100 ÷ Σ weights present), so the score stays 0–100.
 * - A factor without data (no visit cadence applies, nothing due, no stage) is left out and the
 *   explanation names it. An empty decision chain is not missing data: nobody known earns 0.
 * - The score is rounded to a whole number (half up); R/A/G is read from it. With no supportive
 *   decider known the status is at most A.
 * - What to do next follows the management plan for the account's deal status (潜在 → 客户维护与
 *   客户跟进, 销售机会 → 销售推进与客户跟踪, 成交 → 客户关怀), plus the factor that lost the most.
 */

export type HealthStatus = "R" | "A" | "G";

export const HEALTH_STATUS_LABELS: Readonly<Record<HealthStatus, Bilingual>> = {
  R: { zh: "红", en: "Red" },
  A: { zh: "黄", en: "Amber" },
  G: { zh: "绿", en: "Green" },
};

export const HEALTH_FACTOR_LABELS: Readonly<Record<HealthFactorKey, Bilingual>> = {
  decisionChain: { zh: "决策链", en: "Decision chain" },
  visits: { zh: "拜访达标", en: "Visit compliance" },
  receivables: { zh: "应收逾期", en: "Overdue receivables" },
  archive: { zh: "客户档案", en: "Archive" },
  stage: { zh: "开发阶段", en: "Stage progress" },
};

/** A decision-chain contact as the health model reads it (role and ratings may be blank). */
export interface HealthContact {
  name?: string | null;
  role?: string | null;
  support?: number | null;
  intimacy?: number | null;
  [field: string]: unknown;
}

export interface HealthAccount extends ArchiveAccount {
  contacts?: readonly HealthContact[] | null;
  stage?: string | null;
  dealStatus?: string | null;
  termination?: { date?: string | null; reason?: string | null } | null;
  lastReviewed?: string | null;
}

/** Overdue figures of the account (as `collectionSummary` gives them, yuan). */
export interface HealthReceivables {
  /** Amount contractually due up to today. */
  dueYuan: number;
  ageing: Ageing;
}

export interface HealthInput {
  account: HealthAccount;
  /**
   * The account's visit records and its classes (ids of docs/domain.md §3.1: the cadence applies to
   * `strategic` and `important`). Absent: not known, the factor is left out.
   */
  visits?: { records: readonly VisitRecordInput[]; classes: readonly string[] } | null;
  /** Absent: not known (e.g. the caller may not read contracts), the factor is left out. */
  receivables?: HealthReceivables | null;
  /** Today in the tenant's zone (default: today in Asia/Shanghai). */
  today?: IsoDate;
}

export interface HealthFactorResult {
  key: HealthFactorKey;
  label: Bilingual;
  /** The model's weight. */
  weight: number;
  /** Points this factor is worth after rescaling (0 when missing). */
  maxPoints: number;
  /** Points earned, to 0.1. */
  points: number;
  /** Share earned 0..1 (absent when missing). */
  share?: number;
  /** Why the factor is left out. */
  missing?: Bilingual;
  /** What the share was made of. */
  detail: Bilingual;
}

export interface HealthNextStep {
  /** The deal status the plan was chosen for (given, or read from the stage). */
  dealStatus: DealStatusId;
  plan: Bilingual;
  /** The factor that lost most points, and what to do about it. */
  focus?: Bilingual;
}

export interface HealthResult {
  score: number;
  status: HealthStatus;
  /** True when the status was lowered to A for want of a supportive decider. */
  capped: boolean;
  supportiveDecider: boolean;
  factors: HealthFactorResult[];
  /** The factors left out and why. */
  missing: { key: HealthFactorKey; reason: Bilingual }[];
  nextStep: HealthNextStep;
  modelId: string;
  asOf: IsoDate;
}

// ---------------------------------------------------------------------------------------------
// Factor shares

type Outcome = { share: number; detail: Bilingual } | { missing: Bilingual };

function rating(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v >= 1 && v <= 5 ? v : undefined;
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);

function weightedShare(parts: readonly { weight: number; share: number | undefined }[]): number {
  let w = 0;
  let s = 0;
  for (const p of parts) {
    if (p.share === undefined) continue;
    w += p.weight;
    s += p.weight * p.share;
  }
  return w > 0 ? s / w : 0;
}

function decisionChain(account: HealthAccount, model: HealthModel): { outcome: Outcome; supportive: boolean } {
  const { supportiveAt, parts } = model.decisionChain;
  const contacts = (Array.isArray(account.contacts) ? account.contacts : []).filter((c) => c !== null && typeof c === "object");
  const roleOf = (c: HealthContact) => CONTACT_ROLES.parse(c.role);
  const deciders = contacts.filter((c) => roleOf(c) === "decider");
  const supportiveDeciders = deciders.filter((c) => (rating(c.support) ?? 0) >= supportiveAt);
  const supportive = supportiveDeciders.length > 0;
  const roles = new Set<ContactRole>();
  for (const c of contacts) {
    const r = roleOf(c);
    if (r) roles.add(r);
  }
  const mean = (key: "support" | "intimacy") => {
    const xs = contacts.map((c) => rating(c[key])).filter((x): x is number => x !== undefined);
    return xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const support = mean("support");
  const intimacy = mean("intimacy");
  const shares: Record<DecisionPart, number | undefined> = {
    decider: supportive ? 1 : 0,
    coverage: roles.size / CONTACT_ROLES.ids.length,
    support: support === undefined ? undefined : (support - 1) / 4,
    intimacy: intimacy === undefined ? undefined : (intimacy - 1) / 4,
  };
  const share = weightedShare((Object.keys(shares) as DecisionPart[]).map((k) => ({ weight: parts[k], share: shares[k] })));
  if (contacts.length === 0) {
    return { outcome: { share: 0, detail: { zh: "决策链中没有联系人", en: "no contact in the decision chain" } }, supportive };
  }
  const who = supportiveDeciders[0];
  const whoName = typeof who?.name === "string" && who.name.trim() !== "" ? who.name.trim() : undefined;
  const deciderZh = supportive
    ? `有支持的决策者${who && whoName ? `（${whoName}，支持 ${rating(who.support)}）` : ""}`
    : deciders.length > 0
      ? `决策者支持程度低于 ${supportiveAt}`
      : "没有已知的决策者";
  const deciderEn = supportive
    ? `a supportive decider is known${who && whoName ? ` (${whoName}, support ${rating(who.support)})` : ""}`
    : deciders.length > 0
      ? `no decider supports us at ${supportiveAt} or more`
      : "no decider known";
  const missingRoles = CONTACT_ROLES.ids.filter((r) => !roles.has(r));
  const zh = [
    deciderZh,
    `角色覆盖 ${roles.size}/5${missingRoles.length ? `（缺${missingRoles.map((r) => CONTACT_ROLES.label(r, "zh")).join("、")}）` : ""}`,
    support === undefined ? "支持程度未评" : `平均支持 ${fmt(support)}`,
    intimacy === undefined ? "亲密程度未评" : `平均亲密 ${fmt(intimacy)}`,
  ];
  const en = [
    deciderEn,
    `roles covered ${roles.size}/5${missingRoles.length ? ` (missing ${missingRoles.map((r) => CONTACT_ROLES.label(r, "en")).join(", ")})` : ""}`,
    support === undefined ? "support not rated" : `mean support ${fmt(support)}`,
    intimacy === undefined ? "intimacy not rated" : `mean intimacy ${fmt(intimacy)}`,
  ];
  return { outcome: { share, detail: { zh: zh.join("；"), en: en.join("; ") } }, supportive };
}

/** The last `months` full months before the month of `today`, as a period. */
export function lastFullMonths(today: IsoDate, months: number): Period {
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  const end = addDays(firstOfMonth, -1);
  const list: string[] = [];
  let y = +today.slice(0, 4);
  let m = +today.slice(5, 7);
  for (let i = 0; i < months; i++) {
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
    list.unshift(`${y}-${String(m).padStart(2, "0")}`);
  }
  const first = at(list, 0, "months");
  return { id: `${first}..${list[list.length - 1]}`, kind: "quarter", year: +first.slice(0, 4), start: `${first}-01`, end, months: list };
}

/** The role a record without one is taken for: the account manager of the table. */
const OWNER_ROLE: Readonly<Record<string, VisitRole>> = { "004": "kaManager", "002": "salesManager" };

function visits(input: HealthInput, model: HealthModel, today: IsoDate): Result<Outcome & { short?: number }> {
  const v = input.visits;
  if (!v) return ok({ missing: { zh: "没有拜访记录数据", en: "visit records not available" } });
  const table = must(VISIT_CADENCE_TABLES[model.visits.table], `visit cadence table ${model.visits.table}`);
  const classes = (Array.isArray(v.classes) ? v.classes : []).filter((c): c is "strategic" | "important" => c === "strategic" || c === "important");
  if (classes.length === 0) {
    return ok({ missing: { zh: "非战略/重要客户，无拜访频次要求", en: "no visit cadence applies (neither strategic nor important)" } });
  }
  const period = lastFullMonths(today, model.visits.months);
  const ownerRole = OWNER_ROLE[table.id] ?? "kaManager";
  if (!Array.isArray(v.records)) return fail("value", "visits.records", { zh: "应为拜访记录列表", en: "expected a list of visit records" });
  const records = v.records.map((r) => (r && (r.role === undefined || r.role === null || r.role === "") ? { ...r, role: ownerRole } : r));
  let required = 0;
  let carried = 0;
  const lines: { zh: string[]; en: string[] } = { zh: [], en: [] };
  const roles = new Set<VisitRole>();
  for (const c of classes) for (const r of Object.keys(table.rates[c] ?? {})) roles.add(r as VisitRole);
  for (const role of VISIT_ROLES.ids.filter((r) => roles.has(r))) {
    // The stricter class decides when the account is both strategic and important.
    let best: { required: number; carriedOut: number } | undefined;
    for (const c of classes) {
      if (!table.rates[c]?.[role]) continue;
      const r = visitCompliance({ accountClass: c, role, period, records, table });
      if (!r.ok) return { ok: false, error: { ...r.error, arg: `visits.${r.error.arg ?? "records"}` } };
      if (!best || r.value.required > best.required) best = r.value;
    }
    if (!best || best.required === 0) continue;
    required += best.required;
    carried += Math.min(best.carriedOut, best.required);
    lines.zh.push(`${VISIT_ROLES.label(role, "zh")} ${best.carriedOut}/${best.required}`);
    lines.en.push(`${VISIT_ROLES.label(role, "en")} ${best.carriedOut}/${best.required}`);
  }
  const span = { zh: `${period.months[0]} 至 ${period.months[period.months.length - 1]}`, en: `${period.months[0]} to ${period.months[period.months.length - 1]}` };
  if (required === 0) return ok({ missing: { zh: `${span.zh} 无拜访频次要求`, en: `no visits required from ${span.en}` } });
  return ok({
    share: carried / required,
    short: required - carried,
    detail: { zh: `${span.zh} 拜访 ${carried}/${required}（${lines.zh.join("；")}）`, en: `visits ${span.en}: ${carried}/${required} (${lines.en.join("; ")})` },
  });
}

function receivables(r: HealthReceivables | null | undefined, model: HealthModel): Outcome {
  if (!r) return { missing: { zh: "没有合同回款数据", en: "contracts and payments not available" } };
  const due = typeof r.dueYuan === "number" && Number.isFinite(r.dueYuan) ? r.dueYuan : 0;
  if (due <= 0) return { missing: { zh: "尚无到期的合同金额", en: "nothing is due yet" } };
  const w = model.receivables.bucketWeights;
  let weighted = 0;
  let overdue = 0;
  for (const b of OVERDUE_BUCKETS) {
    const x = r.ageing?.[b];
    const amount = typeof x === "number" && Number.isFinite(x) && x > 0 ? x : 0;
    overdue += amount;
    weighted += w[b] * amount;
  }
  const share = Math.min(1, Math.max(0, 1 - weighted / due));
  const over90 = typeof r.ageing?.over90 === "number" && r.ageing.over90 > 0 ? r.ageing.over90 : 0;
  return {
    share,
    detail: {
      zh: overdue === 0 ? `到期 ${due} 元，无逾期` : `到期 ${due} 元，逾期 ${overdue} 元（90 天以上 ${over90} 元）`,
      en: overdue === 0 ? `due ${due} yuan, nothing overdue` : `due ${due} yuan, overdue ${overdue} yuan (over 90 days ${over90} yuan)`,
    },
  };
}

const DECIDER_LABEL: Bilingual = { zh: "决策者联系人", en: "decider contact" };

function fieldLabel(f: string, lang: Lang): string {
  if (f === DECIDER_CONTACT) return DECIDER_LABEL[lang];
  return (ACCOUNT_FIELD_LABELS as Record<string, Bilingual | undefined>)[f]?.[lang] ?? f;
}

function archive(account: HealthAccount, model: HealthModel, today: IsoDate): Result<Outcome & { stale: boolean; missingFields: string[] }> {
  const c = archiveCompleteness(account, model.archive.requiredFields ?? undefined);
  if (!c.ok) return c;
  const stale = isStaleArchive(account.lastReviewed ?? null, today);
  if (!stale.ok) return { ok: false, error: { ...stale.error, arg: "lastReviewed" } };
  const share = weightedShare([
    { weight: model.archive.parts.completeness, share: c.value.ratio },
    { weight: model.archive.parts.review, share: stale.value ? 0 : 1 },
  ]);
  const m = c.value.missing;
  const reviewed = account.lastReviewed ? String(account.lastReviewed) : undefined;
  return ok({
    share,
    stale: stale.value,
    missingFields: m,
    detail: {
      zh: `完整率 ${c.value.filled}/${c.value.required}${m.length ? `（缺${m.map((f) => fieldLabel(f, "zh")).join("、")}）` : ""}；${
        stale.value ? (reviewed ? `上次复核 ${reviewed}，已超过 183 天` : "从未复核") : `上次复核 ${reviewed}`
      }`,
      en: `complete ${c.value.filled}/${c.value.required}${m.length ? ` (missing ${m.map((f) => fieldLabel(f, "en")).join(", ")})` : ""}; ${
        stale.value ? (reviewed ? `last reviewed ${reviewed}, over 183 days ago` : "never reviewed") : `last reviewed ${reviewed}`
      }`,
    },
  });
}

function stageProgress(account: HealthAccount, model: HealthModel): Outcome {
  const status = parseDealStatus(account.dealStatus);
  if (status === TERMINATED) {
    const t = account.termination;
    const when = t?.date ? ` ${t.date}` : "";
    const why = t?.reason ? `：${t.reason}` : "";
    const whyEn = t?.reason ? `: ${t.reason}` : "";
    return { share: 0, detail: { zh: `已终止${when}${why}`, en: `terminated${when}${whyEn}` } };
  }
  const stage = STAGES.parse(account.stage);
  if (!stage) return { missing: { zh: "未填开发阶段", en: "no development stage" } };
  const n = STAGES.ids.indexOf(stage) + 1;
  return {
    share: model.stage.percent[stage] / 100,
    detail: { zh: `第 ${n} 阶段“${STAGES.label(stage, "zh")}”`, en: `stage ${n} "${STAGES.label(stage, "en")}"` },
  };
}

// ---------------------------------------------------------------------------------------------
// Next step

/** The management plan per deal status (管理方案). */
export const HEALTH_PLANS: Readonly<Record<DealStatusId, Bilingual>> = {
  unidentified: {
    zh: "识别客户：了解潜在需求，判断成交机会的有无，有则进入下一阶段，无则终止",
    en: "Identify: learn the potential need and judge whether a deal is possible; go on if it is, otherwise terminate",
  },
  potential: { zh: "客户维护与客户跟进", en: "Maintain the account and follow it up" },
  opportunity: { zh: "销售推进与客户跟踪", en: "Push the sale forward and track the account" },
  order: { zh: "销售推进与客户跟踪", en: "Push the sale forward and track the account" },
  closed: { zh: "客户关怀", en: "Customer care" },
  terminated: { zh: "已终止：暂缓，观察变化", en: "Terminated: postpone and watch for change" },
};

/** Deal status read from the stage when none is recorded: 1–2 潜在, 3–5 销售机会, none 待识别. */
export function dealStatusOf(account: Pick<HealthAccount, "dealStatus" | "stage">): DealStatusId {
  const given = parseDealStatus(account.dealStatus);
  if (given) return given;
  const stage: Stage | undefined = STAGES.parse(account.stage);
  if (stage === undefined) return "unidentified";
  return stage === "target" || stage === "discover" ? "potential" : "opportunity";
}

interface FocusFacts {
  supportive: boolean;
  missingRoles: ContactRole[];
  visitsShort: number;
  stale: boolean;
  missingFields: string[];
  stage?: Stage;
}

function focusOf(key: HealthFactorKey, f: FocusFacts): Bilingual {
  switch (key) {
    case "decisionChain":
      if (!f.supportive) return { zh: "与关键决策人建立关系，争取其支持（支持程度 ≥ 4）", en: "build a relationship with the key decider and win their support (support 4 or more)" };
      if (f.missingRoles.length > 0) {
        return {
          zh: `补全决策链：结识${f.missingRoles.map((r) => CONTACT_ROLES.label(r, "zh")).join("、")}`,
          en: `complete the decision chain: get to know the ${f.missingRoles.map((r) => CONTACT_ROLES.label(r, "en").toLowerCase()).join(", ")}`,
        };
      }
      return { zh: "加深与决策链各方的关系，提高支持与亲密程度", en: "deepen the relationships across the decision chain (support and intimacy)" };
    case "visits":
      return { zh: `按拜访频次补足拜访（还差 ${f.visitsShort} 次）`, en: `make up the visits the cadence requires (${f.visitsShort} short)` };
    case "receivables":
      return { zh: "催收逾期应收款，先收逾期 90 天以上的", en: "collect the overdue receivables, those over 90 days first" };
    case "archive":
      if (f.stale) return { zh: "复核客户档案（至少每半年一次）", en: "review the archive (at least every six months)" };
      return {
        zh: `补全客户档案：${f.missingFields.map((x) => fieldLabel(x, "zh")).join("、")}`,
        en: `complete the archive: ${f.missingFields.map((x) => fieldLabel(x, "en")).join(", ")}`,
      };
    case "stage": {
      const next = f.stage ? STAGES.ids[STAGES.ids.indexOf(f.stage) + 1] : undefined;
      return next
        ? { zh: `推进到下一开发阶段“${STAGES.label(next, "zh")}”`, en: `advance to the next stage "${STAGES.label(next, "en")}"` }
        : { zh: "推进开发阶段", en: "advance the development stage" };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Health

function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  // Cut binary noise first so 69.5 stays 69.5 (→ 70) and 0.7 × 100 stays 70.
  return Math.round(Math.round(x * 1e9) / 1e9 * f) / f;
}

/** Health of one account under a model (default: the built-in `health-default`). */
export function accountHealth(input: HealthInput, model: HealthModel = DEFAULT_HEALTH_MODEL): Result<HealthResult> {
  if (!input || typeof input !== "object" || !input.account || typeof input.account !== "object") {
    return fail("value", "account", { zh: "应为客户档案", en: "expected an account" });
  }
  const now = input.today === undefined ? ok(todayIn()) : parseDate(input.today, "today");
  if (!now.ok) return now;
  const today = now.value;
  const account = input.account;

  const dc = decisionChain(account, model);
  const vis = visits(input, model, today);
  if (!vis.ok) return vis;
  const arc = archive(account, model, today);
  if (!arc.ok) return arc;
  const outcomes: Record<HealthFactorKey, Outcome> = {
    decisionChain: dc.outcome,
    visits: vis.value,
    receivables: receivables(input.receivables, model),
    archive: arc.value,
    stage: stageProgress(account, model),
  };

  const present = HEALTH_FACTORS.filter((k) => !("missing" in outcomes[k]));
  const presentWeight = present.reduce((a, k) => a + model.weights[k], 0);
  if (presentWeight <= 0) {
    return fail("na", "account", {
      zh: "没有可计分的数据：模型中有数据的要素权重均为 0",
      en: "nothing to score: every factor with data has weight 0 in the model",
    });
  }
  let total = 0;
  const factors: HealthFactorResult[] = HEALTH_FACTORS.map((key) => {
    const o = outcomes[key];
    const base = { key, label: HEALTH_FACTOR_LABELS[key], weight: model.weights[key] };
    if ("missing" in o) return { ...base, maxPoints: 0, points: 0, missing: o.missing, detail: o.missing };
    const maxPoints = (model.weights[key] * 100) / presentWeight;
    const exact = maxPoints * o.share;
    total += exact;
    return { ...base, maxPoints: roundTo(maxPoints, 1), points: roundTo(exact, 1), share: o.share, detail: o.detail };
  });
  const score = Math.min(100, Math.max(0, roundTo(total, 0)));
  let status: HealthStatus = score >= model.status.green ? "G" : score >= model.status.amber ? "A" : "R";
  let capped = false;
  if (status === "G" && model.status.capWithoutSupportiveDecider && !dc.supportive) {
    status = "A";
    capped = true;
  }

  // Focus: the factor with data that lost the most points (first in factor order on a tie).
  let focusKey: HealthFactorKey | undefined;
  let lost = 0;
  for (const f of factors) {
    if (f.missing) continue;
    const l = ((model.weights[f.key] * 100) / presentWeight) * (1 - (f.share ?? 0));
    if (l > lost + 1e-9) {
      lost = l;
      focusKey = f.key;
    }
  }
  const contactRoles = new Set((Array.isArray(account.contacts) ? account.contacts : []).map((c) => CONTACT_ROLES.parse(c?.role)));
  const stage = STAGES.parse(account.stage);
  const facts: FocusFacts = {
    supportive: dc.supportive,
    missingRoles: CONTACT_ROLES.ids.filter((r) => !contactRoles.has(r)),
    visitsShort: "short" in vis.value ? (vis.value.short ?? 0) : 0,
    stale: arc.value.stale,
    missingFields: arc.value.missingFields,
    ...(stage ? { stage } : {}),
  };
  const dealStatus = dealStatusOf(account);
  const nextStep: HealthNextStep = {
    dealStatus,
    plan: HEALTH_PLANS[dealStatus],
    ...(focusKey && dealStatus !== TERMINATED ? { focus: focusOf(focusKey, facts) } : {}),
  };

  return ok({
    score,
    status,
    capped,
    supportiveDecider: dc.supportive,
    factors,
    missing: factors.flatMap((f) => (f.missing ? [{ key: f.key, reason: f.missing }] : [])),
    nextStep,
    modelId: model.id,
    asOf: today,
  });
}

/** The explanation of a health result as one text: score and status, each factor's points, what is missing, what to do next. */
export function explainHealth(h: HealthResult, lang: Lang): string {
  const zh = lang === "zh";
  const sep = zh ? "；" : "; ";
  const head = `${h.score} ${h.status} ${HEALTH_STATUS_LABELS[h.status][lang]}`;
  const parts = h.factors
    .filter((f) => !f.missing)
    .map((f) => `${f.label[lang]} ${fmt(f.points)}/${fmt(f.maxPoints)}${zh ? "（" : " ("}${f.detail[lang]}${zh ? "）" : ")"}`);
  const lines = [head, parts.join(zh ? "。" : ". ")];
  if (h.missing.length > 0) {
    const names = h.missing.map((m) => `${HEALTH_FACTOR_LABELS[m.key][lang]}${zh ? "：" : ": "}${m.reason[lang]}`).join(sep);
    lines.push(zh ? `未计入（缺少数据，其余权重按比例放大）：${names}` : `Left out (no data; the other weights scaled up): ${names}`);
  }
  if (h.capped) lines.push(zh ? "没有支持的决策者（支持程度 ≥ 4），状态最高为黄" : "No supportive decider known (support 4 or more): the status is at most Amber");
  const next = h.nextStep.focus ? `${h.nextStep.plan[lang]}${sep}${h.nextStep.focus[lang]}` : h.nextStep.plan[lang];
  lines.push(zh ? `下一步：${next}` : `Next: ${next}`);
  return lines.join("\n");
}

/**
 * The receivables input from the account's contracts and payments (docs/domain.md §7): what is due up
 * to today and its ageing as of today. No contract → undefined (the factor is left out).
 */
export function healthReceivables(
  contracts: readonly ContractInput[],
  payments: readonly PaymentInput[],
  today: IsoDate,
): Result<HealthReceivables | undefined> {
  if (Array.isArray(contracts) && contracts.length === 0) return ok(undefined);
  const t = parseDate(today, "today");
  if (!t.ok) return t;
  const toDate: Period = { id: `..${t.value}`, kind: "year", year: +t.value.slice(0, 4), start: "0001-01-01", end: t.value, months: [] };
  const s = collectionSummary({ contracts, payments, period: toDate, asOf: t.value, today: t.value });
  if (!s.ok) return s;
  return ok({ dueYuan: s.value.dueYuan, ageing: s.value.ageing });
}
