import * as z from "zod/mini";
import { fail, ok, type Result } from "../errors.js";
import { DEFAULT_TIER_CUTOFFS, DEFAULT_WARNING_THRESHOLD } from "../grading/tier.js";
import { customIssue, says } from "../schemas/messages.js";
import { safeParseIn } from "../schemas/validation.js";
import { normalizeKey } from "../text.js";
import { kindOf } from "./kinds.js";
import { headerNamesOf } from "./names.js";

/**
 * Scoring models as data (docs/domain.md §8). A model is JSON: the
 * inputs a row of a scorecard sheet carries (with zh/en header synonyms) and the items scored
 * from them. Every default of docs/domain.md §8 (5-point steps, the 100,000-yuan growth step, the
 * conduct bands, the warning threshold, the tier cut-offs) lives in a model, never in code.
 *
 * Units in a model: money in yuan (docs/contracts.md §1.1), rates and steps in percentage points
 * (`targetPercent: 100`, `stepPercent: 5`), points as plain numbers (kept to 0.01).
 */

const nonEmpty = z.string().check(z.minLength(1));
const bilingual = z.strictObject({ zh: nonEmpty, en: nonEmpty });
const names = z._default(z.array(nonEmpty), []);

const key = z
  .string()
  .check(z.refine((s) => /^[A-Za-z][A-Za-z0-9_]*$/.test(s), says("键由字母、数字和 _ 组成，以字母开头", "a key is letters, digits and _ , starting with a letter")));

/** Percentages in a model have at most 4 decimals so steps can be decided in integers. */
const percentCheck = z.refine<number>(
  (x) => Number.isInteger(Math.round(x * 1e4)) && Math.abs(x * 1e4 - Math.round(x * 1e4)) < 1e-6,
  says("最多 4 位小数", "at most 4 decimals"),
);
const percent = z.number().check(percentCheck);
const positivePercent = z.number().check(percentCheck, z.positive());

const points = z.number();
const nonNegativePoints = z.number().check(z.nonnegative());
const positivePoints = z.number().check(z.positive());

export const ScoringInputSchema = z.strictObject({
    key,
    labels: bilingual,
    /** Further header names accepted for this input (besides the key and the labels). */
    synonyms: z._default(z.strictObject({ zh: names, en: names }), { zh: [], en: [] }),
    /**
     * `number`: a number (or numeric text); `level`: a number or named choice(s), interpreted by
     * the item (level choice, checklist); `month`: `YYYY-MM`, a date, or a period `YYYY-Qn`/`YYYY-Hn`/`YYYY`.
     */
    kind: z.enum(["number", "level", "month"]),
    /** For `number`: `yuan` is money (converted to integer fen), `count` a whole number of events,
     *  `ratio` a rate such as 0.95 or "95%", `days`/`points` plain numbers. */
    unit: z.optional(z.enum(["yuan", "count", "days", "points", "ratio"])),
    required: z._default(z.boolean(), false),
    /** Used when the cell is empty (docs/domain.md §8: deduction counts default to 0). */
    defaultValue: z.optional(z.union([z.number(), z.string()])),
    /** Range of a `number` input; outside → #NUM!. */
    min: z._default(z.number(), 0),
    max: z.optional(z.number()),
  });

const ratioStepsParams = z.strictObject({
  /** rate = numerator ÷ denominator … */
  numerator: z.optional(key),
  denominator: z.optional(key),
  /** … or a rate input (0.95 or "95%"). */
  rate: z.optional(key),
  targetPercent: z._default(percent, 100),
  /** `higher`: above target earns, below loses (sales completion); `lower`: the reverse (churn). */
  betterWhen: z._default(z.enum(["higher", "lower"]), "higher"),
  /** One bonus step per full `stepPercent` on the good side of the target. */
  up: z.strictObject({ stepPercent: positivePercent, points: nonNegativePoints }),
  /** One deduction step per full `stepPercent` on the bad side. */
  down: z.strictObject({ stepPercent: positivePercent, points: nonNegativePoints }),
});

const growthStepsParams = z.strictObject({
  current: key,
  previous: key,
  /** docs/domain.md §8 *default* 100,000 yuan (10万). */
  stepYuan: z.number().check(z.positive()),
  pointsPerStep: nonNegativePoints,
  /** Deduction per full step of decline (docs/domain.md §8: "negative growth deducts nothing" → 0). */
  pointsPerStepDown: z._default(nonNegativePoints, 0),
});

const perStep = z.strictObject({ per: z.int().check(z.positive()), points: nonNegativePoints });
const countVsPlanParams = z.strictObject({ actual: key, plan: key, up: perStep, down: perStep });

const ratingParams = z.strictObject({
  input: key,
  /** Highest rating; points = rating × item points ÷ max (default max = the item's points). */
  max: z.optional(z.number().check(z.positive())),
});

const levelSchema = z
  .strictObject({
    id: key,
    names: bilingual,
    synonyms: names,
    /** A fixed level (judgement 强 = 4) … */
    points: z.optional(points),
    /** … or a range the rater picks a number from (responsibility 0–3). */
    range: z.optional(z.tuple([points, points])),
  })
  .check(z.refine((l) => (l.points === undefined) !== (l.range === undefined), says("一个等级要么有 points，要么有 range", "a level has either points or range")));

const levelChoiceParams = z.strictObject({ input: key, levels: z.array(levelSchema).check(z.minLength(1)) });

const checklistParams = z.strictObject({
  input: key,
  criteria: z
    .array(z.strictObject({ id: key, names: bilingual, synonyms: names, points: positivePoints }))
    .check(z.minLength(1), z.maxLength(16)),
});

const deductionRule = z
  .strictObject({
    input: key,
    /** Shown in the explanation; default: the input's label. */
    label: z.optional(bilingual),
    /** Points off per event (violations −2 each). */
    perEvent: z.optional(nonNegativePoints),
    /** Banded: the deduction of the highest band whose `moreThan` the count exceeds. */
    bands: z.optional(z.array(z.strictObject({ moreThan: z.number().check(z.nonnegative()), deduct: nonNegativePoints }))),
    /** Band limits are per month and scale with the months of the period (docs/contracts.md §1.3). */
    scaleWithMonths: z._default(z.boolean(), false),
  })
  .check(
    z.refine((r) => (r.perEvent === undefined) !== (r.bands === undefined), says("一条规则要么有 perEvent，要么有 bands", "a rule has either perEvent or bands")),
    z.refine(
      (r) => !r.bands || r.bands.every((b, i) => i === 0 || b.moreThan > r.bands![i - 1]!.moreThan),
      says("bands 按 moreThan 递增", "bands ascend by moreThan"),
    ),
  );

const eventDeductionsParams = z.strictObject({
  rules: z.array(deductionRule).check(z.minLength(1)),
  /** The period input used when a rule scales with months (default: none → one month). */
  period: z.optional(key),
});

const attendanceParams = z.strictObject({
  /** Total days short (docs/contracts.md §1.3: `absenceDays` is always the total days short). */
  absence: key,
  /** Or days attended with the month/period: full = Σ (days in month − offDaysPerMonth). */
  attended: key,
  period: key,
  offDaysPerMonth: z.int().check(z.nonnegative()),
  pointsPerDay: positivePoints,
});

const itemBase = {
  key,
  group: nonEmpty,
  label: bilingual,
  /** Base (and normally full) points of the item. */
  points: nonNegativePoints,
  /** docs/domain.md §8: no item goes below 0. */
  floor: z._default(points, 0),
  /** docs/domain.md §8 *default*: bonuses uncapped; a model may set a cap. */
  cap: z.optional(points),
};

export const ScoringItemSchema = z.discriminatedUnion("kind", [
  z.strictObject({ ...itemBase, kind: z.literal("ratioSteps"), params: ratioStepsParams }),
  z.strictObject({ ...itemBase, kind: z.literal("growthSteps"), params: growthStepsParams }),
  z.strictObject({ ...itemBase, kind: z.literal("countVsPlan"), params: countVsPlanParams }),
  z.strictObject({ ...itemBase, kind: z.literal("rating"), params: ratingParams }),
  z.strictObject({ ...itemBase, kind: z.literal("levelChoice"), params: levelChoiceParams }),
  z.strictObject({ ...itemBase, kind: z.literal("checklist"), params: checklistParams }),
  z.strictObject({ ...itemBase, kind: z.literal("eventDeductions"), params: eventDeductionsParams }),
  z.strictObject({ ...itemBase, kind: z.literal("attendance"), params: attendanceParams }),
]);

export const TierCutoffsSchema = z
  .strictObject({ basicallyMet: z.number(), exceeded: z.number(), outstanding: z.number() })
  .check(
    z.refine(
      (c) => c.basicallyMet <= c.exceeded && c.exceeded <= c.outstanding,
      says("分档线须递增：basicallyMet ≤ exceeded ≤ outstanding", "cut-offs ascend: basicallyMet ≤ exceeded ≤ outstanding"),
    ),
  );

export const ScoringModelSchema = z
  .strictObject({
    id: z.string().check(z.refine((s) => /^[a-z0-9][a-z0-9-]*$/.test(s), says("id 由小写字母、数字和 - 组成", "id is lower-case letters, digits and -"))),
    name: bilingual,
    version: z.int().check(z.positive()),
    description: z.optional(bilingual),
    /** docs/domain.md §8 *default* 60: a total below it earns a verbal warning. */
    warningThreshold: z._default(z.number(), DEFAULT_WARNING_THRESHOLD),
    /** docs/domain.md §8 *default* 0.9 / 1.0 / 1.2 on sales completion (tiers: shared/src/grading/tier.ts). */
    tierCutoffs: z._default(TierCutoffsSchema, { ...DEFAULT_TIER_CUTOFFS }),
    inputs: z.array(ScoringInputSchema).check(z.minLength(1)),
    items: z.array(ScoringItemSchema).check(z.minLength(1)),
  })
  .check(z.superRefine((m, ctx) => {
    const issue = (path: (string | number)[], en: string, zh: string) => ctx.addIssue(customIssue(path, zh, en));
    const inputs = new Map<string, z.output<typeof ScoringInputSchema>>();
    m.inputs.forEach((inp, i) => {
      if (inputs.has(inp.key)) issue(["inputs", i, "key"], `duplicate input key "${inp.key}"`, `输入键“${inp.key}”重复`);
      inputs.set(inp.key, inp);
      if (inp.required && inp.defaultValue !== undefined) issue(["inputs", i], `input "${inp.key}" is required and has a default`, `输入“${inp.key}”既是必填又有默认值`);
      if (inp.max !== undefined && inp.max < inp.min) issue(["inputs", i, "max"], `input "${inp.key}": max < min`, `输入“${inp.key}”：max 小于 min`);
    });
    // Header names must point at one input only.
    const owner = new Map<string, string>();
    m.inputs.forEach((inp, i) => {
      for (const h of headerNamesOf(inp)) {
        const n = normalizeKey(h);
        const prev = owner.get(n);
        if (prev !== undefined && prev !== inp.key) issue(["inputs", i, "synonyms"], `header "${h}" names both "${prev}" and "${inp.key}"`, `表头“${h}”同时指向“${prev}”和“${inp.key}”`);
        owner.set(n, inp.key);
      }
    });
    const itemKeys = new Set<string>();
    m.items.forEach((item, i) => {
      if (itemKeys.has(item.key)) issue(["items", i, "key"], `duplicate item key "${item.key}"`, `项目键“${item.key}”重复`);
      itemKeys.add(item.key);
      if (item.floor > item.points) issue(["items", i, "floor"], `item "${item.key}": floor above points`, `项目“${item.key}”：下限高于分值`);
      if (item.cap !== undefined && item.cap < item.points) issue(["items", i, "cap"], `item "${item.key}": cap below points`, `项目“${item.key}”：上限低于分值`);
      kindOf(item).validate(item, {
        input: (k) => inputs.get(k),
        need(k, field, kinds, units) {
          if (k === undefined) return;
          const inp = inputs.get(k);
          if (!inp) return issue(["items", i, "params", field], `item "${item.key}" uses unknown input "${k}"`, `项目“${item.key}”使用了未知输入“${k}”`);
          if (!kinds.includes(inp.kind)) issue(["items", i, "params", field], `item "${item.key}": input "${k}" must be of kind ${kinds.join("|")}`, `项目“${item.key}”：输入“${k}”的类型应为 ${kinds.join("|")}`);
          if (units && inp.kind === "number" && !units.includes(inp.unit ?? "points")) {
            issue(["items", i, "params", field], `item "${item.key}": input "${k}" must have unit ${units.join("|")}`, `项目“${item.key}”：输入“${k}”的单位应为 ${units.join("|")}`);
          }
        },
        issue: (path, en, zh) => issue(["items", i, ...path], en, zh),
      });
    });
  }));

export type ScoringModel = z.output<typeof ScoringModelSchema>;
/** A model as written in JSON (defaults not yet applied). */
export type ScoringModelInput = z.input<typeof ScoringModelSchema>;
export type ScoringInput = z.output<typeof ScoringInputSchema>;
export type ScoringItem = z.output<typeof ScoringItemSchema>;
export type ScoringItemKind = ScoringItem["kind"];

// Lives in a schema-free module so that scoring with an already valid model loads no schema code.
export { headerNamesOf };

/**
 * Validate a model's JSON. Never throws: an invalid model is a #VALUE! error whose message lists
 * each problem with its path (`items.2.params.up.stepPercent: …`).
 */
export function parseScoringModel(json: unknown): Result<ScoringModel> {
  const r = safeParseIn(ScoringModelSchema, json, "en");
  if (r.success) return ok(r.data);
  // Parse again for the Chinese texts; only an invalid model pays for it.
  const zhIssues = safeParseIn(ScoringModelSchema, json, "zh").error?.issues ?? r.error.issues;
  const lines = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
    issues.slice(0, 8).map((i) => `${i.path.map(String).join(".") || "(model)"}: ${i.message}`);
  const more = r.error.issues.length > 8 ? ` (+${r.error.issues.length - 8})` : "";
  return fail("value", "model", {
    zh: `评分模型无效：${lines(zhIssues).join("；")}${more}`,
    en: `invalid scoring model: ${lines(r.error.issues).join("; ")}${more}`,
  });
}
