import { z } from "zod";
import { fail, ok, type Result } from "../errors.js";
import { DEFAULT_TIER_CUTOFFS, DEFAULT_WARNING_THRESHOLD } from "../grading/tier.js";
import { normalizeKey } from "../text.js";

/**
 * Scoring models as data (issue 2 "Scoring models as data", DOMAIN §8). A model is JSON: the
 * inputs a row of a scorecard sheet carries (with zh/en header synonyms) and the items scored
 * from them. Every default of DOMAIN §8 (5-point steps, the 100,000-yuan growth step, the
 * conduct bands, the warning threshold, the tier cut-offs) lives in a model, never in code.
 *
 * Units in a model: money in yuan (CONTRACTS "Units"), rates and steps in percentage points
 * (`targetPercent: 100`, `stepPercent: 5`), points as plain numbers (kept to 0.01).
 */

const bilingual = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();

const key = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "a key is letters, digits and _ , starting with a letter");

/** Percentages in a model have at most 4 decimals so steps can be decided in integers. */
const percent = z
  .number()
  .finite()
  .refine((x) => Number.isInteger(Math.round(x * 1e4)) && Math.abs(x * 1e4 - Math.round(x * 1e4)) < 1e-6, "at most 4 decimals");

const points = z.number().finite();

export const ScoringInputSchema = z
  .object({
    key,
    labels: bilingual,
    /** Further header names accepted for this input (besides the key and the labels). */
    synonyms: z.object({ zh: z.array(z.string().min(1)).default([]), en: z.array(z.string().min(1)).default([]) }).strict().default({ zh: [], en: [] }),
    /**
     * `number`: a number (or numeric text); `level`: a number or named choice(s), interpreted by
     * the item (level choice, checklist); `month`: `YYYY-MM`, a date, or a period `YYYY-Qn`/`YYYY-Hn`/`YYYY`.
     */
    kind: z.enum(["number", "level", "month"]),
    /** For `number`: `yuan` is money (converted to integer fen), `count` a whole number of events,
     *  `ratio` a rate such as 0.95 or "95%", `days`/`points` plain numbers. */
    unit: z.enum(["yuan", "count", "days", "points", "ratio"]).optional(),
    required: z.boolean().default(false),
    /** Used when the cell is empty (DOMAIN: deduction counts default to 0). */
    defaultValue: z.union([z.number().finite(), z.string()]).optional(),
    /** Range of a `number` input; outside → #NUM!. */
    min: z.number().finite().default(0),
    max: z.number().finite().optional(),
  })
  .strict();

const ratioStepsParams = z
  .object({
    /** rate = numerator ÷ denominator … */
    numerator: key.optional(),
    denominator: key.optional(),
    /** … or a rate input (0.95 or "95%"). */
    rate: key.optional(),
    targetPercent: percent.default(100),
    /** `higher`: above target earns, below loses (sales completion); `lower`: the reverse (churn). */
    betterWhen: z.enum(["higher", "lower"]).default("higher"),
    /** One bonus step per full `stepPercent` on the good side of the target. */
    up: z.object({ stepPercent: percent.positive(), points: points.nonnegative() }).strict(),
    /** One deduction step per full `stepPercent` on the bad side. */
    down: z.object({ stepPercent: percent.positive(), points: points.nonnegative() }).strict(),
  })
  .strict();

const growthStepsParams = z
  .object({
    current: key,
    previous: key,
    /** DOMAIN §8 *default* 100,000 yuan (10万). */
    stepYuan: z.number().finite().positive(),
    pointsPerStep: points.nonnegative(),
    /** Deduction per full step of decline (DOMAIN §8: "negative growth deducts nothing" → 0). */
    pointsPerStepDown: points.nonnegative().default(0),
  })
  .strict();

const countVsPlanParams = z
  .object({
    actual: key,
    plan: key,
    up: z.object({ per: z.number().int().positive(), points: points.nonnegative() }).strict(),
    down: z.object({ per: z.number().int().positive(), points: points.nonnegative() }).strict(),
  })
  .strict();

const ratingParams = z
  .object({
    input: key,
    /** Highest rating; points = rating × item points ÷ max (default max = the item's points). */
    max: z.number().finite().positive().optional(),
  })
  .strict();

const levelSchema = z
  .object({
    id: key,
    names: bilingual,
    synonyms: z.array(z.string().min(1)).default([]),
    /** A fixed level (judgement 强 = 4) … */
    points: points.optional(),
    /** … or a range the rater picks a number from (responsibility 0–3). */
    range: z.tuple([points, points]).optional(),
  })
  .strict()
  .refine((l) => (l.points === undefined) !== (l.range === undefined), "a level has either points or range");

const levelChoiceParams = z.object({ input: key, levels: z.array(levelSchema).min(1) }).strict();

const checklistParams = z
  .object({
    input: key,
    criteria: z
      .array(z.object({ id: key, names: bilingual, synonyms: z.array(z.string().min(1)).default([]), points: points.positive() }).strict())
      .min(1)
      .max(16),
  })
  .strict();

const deductionRule = z
  .object({
    input: key,
    /** Shown in the explanation; default: the input's label. */
    label: bilingual.optional(),
    /** Points off per event (violations −2 each). */
    perEvent: points.nonnegative().optional(),
    /** Banded: the deduction of the highest band whose `moreThan` the count exceeds. */
    bands: z.array(z.object({ moreThan: z.number().finite().nonnegative(), deduct: points.nonnegative() }).strict()).optional(),
    /** Band limits are per month and scale with the months of the period (CONTRACTS "Periods"). */
    scaleWithMonths: z.boolean().default(false),
  })
  .strict()
  .refine((r) => (r.perEvent === undefined) !== (r.bands === undefined), "a rule has either perEvent or bands")
  .refine((r) => !r.bands || r.bands.every((b, i) => i === 0 || b.moreThan > r.bands![i - 1]!.moreThan), "bands ascend by moreThan");

const eventDeductionsParams = z
  .object({
    rules: z.array(deductionRule).min(1),
    /** The period input used when a rule scales with months (default: none → one month). */
    period: key.optional(),
  })
  .strict();

const attendanceParams = z
  .object({
    /** Total days short (CONTRACTS: `absenceDays` is always the total days short). */
    absence: key,
    /** Or days attended with the month/period: full = Σ (days in month − offDaysPerMonth). */
    attended: key,
    period: key,
    offDaysPerMonth: z.number().int().nonnegative(),
    pointsPerDay: points.positive(),
  })
  .strict();

const itemBase = {
  key,
  group: z.string().min(1),
  label: bilingual,
  /** Base (and normally full) points of the item. */
  points: points.nonnegative(),
  /** DOMAIN §8: no item goes below 0. */
  floor: points.default(0),
  /** DOMAIN §8 *default*: bonuses uncapped; a model may set a cap. */
  cap: points.optional(),
};

export const ScoringItemSchema = z.discriminatedUnion("kind", [
  z.object({ ...itemBase, kind: z.literal("ratioSteps"), params: ratioStepsParams }).strict(),
  z.object({ ...itemBase, kind: z.literal("growthSteps"), params: growthStepsParams }).strict(),
  z.object({ ...itemBase, kind: z.literal("countVsPlan"), params: countVsPlanParams }).strict(),
  z.object({ ...itemBase, kind: z.literal("rating"), params: ratingParams }).strict(),
  z.object({ ...itemBase, kind: z.literal("levelChoice"), params: levelChoiceParams }).strict(),
  z.object({ ...itemBase, kind: z.literal("checklist"), params: checklistParams }).strict(),
  z.object({ ...itemBase, kind: z.literal("eventDeductions"), params: eventDeductionsParams }).strict(),
  z.object({ ...itemBase, kind: z.literal("attendance"), params: attendanceParams }).strict(),
]);

export const TierCutoffsSchema = z
  .object({ basicallyMet: z.number().finite(), exceeded: z.number().finite(), outstanding: z.number().finite() })
  .strict()
  .refine((c) => c.basicallyMet <= c.exceeded && c.exceeded <= c.outstanding, "cut-offs ascend: basicallyMet ≤ exceeded ≤ outstanding");

export const ScoringModelSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "id is lower-case letters, digits and -"),
    name: bilingual,
    version: z.number().int().positive(),
    description: bilingual.optional(),
    /** DOMAIN §8 *default* 60: a total below it earns a verbal warning. */
    warningThreshold: z.number().finite().default(DEFAULT_WARNING_THRESHOLD),
    /** DOMAIN §8 *default* 0.9 / 1.0 / 1.2 on sales completion (tiers: shared/src/grading/tier.ts). */
    tierCutoffs: TierCutoffsSchema.default({ ...DEFAULT_TIER_CUTOFFS }),
    inputs: z.array(ScoringInputSchema).min(1),
    items: z.array(ScoringItemSchema).min(1),
  })
  .strict()
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const inputs = new Map<string, z.output<typeof ScoringInputSchema>>();
    m.inputs.forEach((inp, i) => {
      if (inputs.has(inp.key)) issue(["inputs", i, "key"], `duplicate input key "${inp.key}"`);
      inputs.set(inp.key, inp);
      if (inp.required && inp.defaultValue !== undefined) issue(["inputs", i], `input "${inp.key}" is required and has a default`);
      if (inp.max !== undefined && inp.max < inp.min) issue(["inputs", i, "max"], `input "${inp.key}": max < min`);
    });
    // Header names must point at one input only.
    const owner = new Map<string, string>();
    m.inputs.forEach((inp, i) => {
      for (const h of headerNamesOf(inp)) {
        const n = normalizeKey(h);
        const prev = owner.get(n);
        if (prev !== undefined && prev !== inp.key) issue(["inputs", i, "synonyms"], `header "${h}" names both "${prev}" and "${inp.key}"`);
        owner.set(n, inp.key);
      }
    });
    const itemKeys = new Set<string>();
    m.items.forEach((item, i) => {
      if (itemKeys.has(item.key)) issue(["items", i, "key"], `duplicate item key "${item.key}"`);
      itemKeys.add(item.key);
      if (item.floor > item.points) issue(["items", i, "floor"], `item "${item.key}": floor above points`);
      if (item.cap !== undefined && item.cap < item.points) issue(["items", i, "cap"], `item "${item.key}": cap below points`);
      const need = (k: string | undefined, field: string, kinds: string[], units?: string[]) => {
        if (k === undefined) return;
        const inp = inputs.get(k);
        if (!inp) return issue(["items", i, "params", field], `item "${item.key}" uses unknown input "${k}"`);
        if (!kinds.includes(inp.kind)) issue(["items", i, "params", field], `item "${item.key}": input "${k}" must be of kind ${kinds.join("|")}`);
        if (units && inp.kind === "number" && !units.includes(inp.unit ?? "points")) {
          issue(["items", i, "params", field], `item "${item.key}": input "${k}" must have unit ${units.join("|")}`);
        }
      };
      const p = item.params;
      switch (item.kind) {
        case "ratioSteps": {
          const q = item.params;
          const pair = q.numerator !== undefined && q.denominator !== undefined;
          if (pair === (q.rate !== undefined) || (!pair && (q.numerator !== undefined || q.denominator !== undefined))) {
            issue(["items", i, "params"], `item "${item.key}": give numerator and denominator, or rate`);
          }
          need(q.numerator, "numerator", ["number"]);
          need(q.denominator, "denominator", ["number"]);
          need(q.rate, "rate", ["number"], ["ratio"]);
          if (pair && inputs.get(q.numerator!)?.unit !== inputs.get(q.denominator!)?.unit) {
            issue(["items", i, "params"], `item "${item.key}": numerator and denominator need the same unit`);
          }
          break;
        }
        case "growthSteps":
          need(item.params.current, "current", ["number"], ["yuan"]);
          need(item.params.previous, "previous", ["number"], ["yuan"]);
          break;
        case "countVsPlan":
          need(item.params.actual, "actual", ["number"], ["count"]);
          need(item.params.plan, "plan", ["number"], ["count"]);
          break;
        case "rating":
          need(item.params.input, "input", ["number"]);
          break;
        case "levelChoice":
        case "checklist": {
          need((p as { input: string }).input, "input", ["level", "number"]);
          // Choice names must pick one level / criterion only.
          const choices = item.kind === "levelChoice" ? item.params.levels : item.params.criteria;
          const seen = new Map<string, string>();
          for (const c of choices) {
            for (const name of [c.id, c.names.zh, c.names.en, ...c.synonyms]) {
              const n = normalizeKey(name);
              const prev = seen.get(n);
              if (prev !== undefined && prev !== c.id) issue(["items", i, "params"], `item "${item.key}": "${name}" names both "${prev}" and "${c.id}"`);
              seen.set(n, c.id);
            }
          }
          break;
        }
        case "eventDeductions":
          item.params.rules.forEach((r, j) => need(r.input, `rules.${j}.input`, ["number"], ["count", "days"]));
          need(item.params.period, "period", ["month"]);
          if (item.params.rules.some((r) => r.scaleWithMonths) && item.params.period === undefined) {
            issue(["items", i, "params", "period"], `item "${item.key}": a rule scales with months, so name the period input`);
          }
          break;
        case "attendance":
          need(item.params.absence, "absence", ["number"], ["days"]);
          need(item.params.attended, "attended", ["number"], ["days"]);
          need(item.params.period, "period", ["month"]);
          break;
      }
    });
  });

export type ScoringModel = z.output<typeof ScoringModelSchema>;
/** A model as written in JSON (defaults not yet applied). */
export type ScoringModelInput = z.input<typeof ScoringModelSchema>;
export type ScoringInput = z.output<typeof ScoringInputSchema>;
export type ScoringItem = z.output<typeof ScoringItemSchema>;
export type ScoringItemKind = ScoringItem["kind"];

/** Every header name an input answers to: its key, its labels and its synonyms. */
export function headerNamesOf(input: Pick<ScoringInput, "key" | "labels" | "synonyms">): string[] {
  return [input.key, input.labels.zh, input.labels.en, ...(input.synonyms?.zh ?? []), ...(input.synonyms?.en ?? [])];
}

/**
 * Validate a model's JSON. Never throws: an invalid model is a #VALUE! error whose message lists
 * each problem with its path (`items.2.params.up.stepPercent: …`).
 */
export function parseScoringModel(json: unknown): Result<ScoringModel> {
  const r = ScoringModelSchema.safeParse(json);
  if (r.success) return ok(r.data);
  const lines = r.error.issues.slice(0, 8).map((i) => `${i.path.join(".") || "(model)"}: ${i.message}`);
  const more = r.error.issues.length > 8 ? ` (+${r.error.issues.length - 8})` : "";
  return fail("value", "model", {
    zh: `评分模型无效：${lines.join("；")}${more}`,
    en: `invalid scoring model: ${lines.join("; ")}${more}`,
  });
}
