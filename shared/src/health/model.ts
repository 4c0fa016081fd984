import * as z from "zod/mini";
import { fail, messageOf, ok, type Result } from "../errors.js";
import { STAGES } from "../labels.js";
import { ARCHIVE_FIELD_IDS, DECIDER_CONTACT } from "../archive/completeness.js";
import { VISIT_CADENCE_TABLES } from "../visits.js";
import healthDefaultJson from "./builtins/health-default.json" with { type: "json" };

/**
 * Account health models as data, kept like the scoring models (a JSON document with an id, a
 * name in zh and en and a version; validated before use; a built-in that is read-only).
 *
 * docs/domain.md §10: the sources name the health inputs but gives no numbers, so every number below is a *default* of
 * the built-in `health-default` model (builtins/health-default.json), which a company may copy
 * and change:
 *
 * | factor | weight | what earns its points |
 * |---|---|---|
 * | `decisionChain` 决策链 | 35 | within the factor: a supportive decider known (support ≥ 4) 40, roles covered of the five 30, mean support 15, mean intimacy 15 |
 * | `visits` 拜访达标 | 20 | visits carried out ÷ visits required by the 004 cadence table over the last 3 full months |
 * | `receivables` 应收逾期 | 20 | 1 − Σ bucket weight × overdue amount ÷ amount due to date; weights 1–30 days 0.25, 31–60 0.5, 61–90 0.75, > 90 1 |
 * | `archive` 档案 | 15 | within the factor: completeness 70, reviewed within 183 days 30 |
 * | `stage` 开发阶段 | 10 | stage 1–5 → 0, 25, 50, 75, 100 % |
 *
 * Status: G at `green` (70) or more, A at `amber` (40) or more, else R; without a supportive
 * decider the status is at most A (`capWithoutSupportiveDecider`).
 *
 * Parts and weights are relative: only their ratios matter, and a factor (or a part) without data
 * is left out with the others scaled up to fill its share.
 */

export const HEALTH_FACTORS = ["decisionChain", "visits", "receivables", "archive", "stage"] as const;
export type HealthFactorKey = (typeof HEALTH_FACTORS)[number];

export const DECISION_PARTS = ["decider", "coverage", "support", "intimacy"] as const;
export type DecisionPart = (typeof DECISION_PARTS)[number];

export const ARCHIVE_PARTS = ["completeness", "review"] as const;
export type ArchivePart = (typeof ARCHIVE_PARTS)[number];

export const OVERDUE_BUCKETS = ["d1_30", "d31_60", "d61_90", "over90"] as const;

const bilingual = z.strictObject({ zh: z.string().check(z.minLength(1)), en: z.string().check(z.minLength(1)) });
const weight = z.number().check(z.minimum(0, "must be 0 or more"), z.maximum(1000, "must be 1000 or less"));
const share = z.number().check(z.minimum(0, "must be between 0 and 1"), z.maximum(1, "must be between 0 and 1"));
const percent = z.number().check(z.minimum(0, "must be between 0 and 100"), z.maximum(100, "must be between 0 and 100"));

function weightsOf<const K extends string>(keys: readonly K[]) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, weight])) as { [P in K]: typeof weight });
}

export const HealthModelSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, "id is lower-case letters, digits and -"), z.maxLength(64)),
  name: bilingual,
  version: z.int().check(z.positive("must be a positive whole number")),
  description: z.optional(bilingual),
  /** Relative weight of each factor. */
  weights: weightsOf(HEALTH_FACTORS),
  decisionChain: z.strictObject({
    /** A contact supports us at this rating or more (docs/domain.md §2 1–5 ratings). */
    supportiveAt: z.int().check(z.minimum(1, "must be 1–5"), z.maximum(5, "must be 1–5")),
    parts: weightsOf(DECISION_PARTS),
  }),
  visits: z.strictObject({
    /** Cadence table (docs/domain.md §5): "004" or "002". */
    table: z.enum(Object.keys(VISIT_CADENCE_TABLES) as [string, ...string[]]),
    /** Full months looked back over (3 = the last quarter). */
    months: z.int().check(z.minimum(1, "must be 1–12"), z.maximum(12, "must be 1–12")),
  }),
  receivables: z.strictObject({
    /** Share of an overdue amount counted against the account, per ageing bucket (docs/domain.md §7). */
    bucketWeights: z.strictObject({ d1_30: share, d31_60: share, d61_90: share, over90: share }),
  }),
  archive: z.strictObject({
    parts: weightsOf(ARCHIVE_PARTS),
    /** Required fields for completeness (default docs/domain.md §2's ten). */
    requiredFields: z.optional(z.array(z.string()).check(z.minLength(1, "name at least one field"))),
  }),
  stage: z.strictObject({
    /** Progress of each development stage, percent (docs/domain.md §4). */
    percent: z.strictObject({ target: percent, discover: percent, assess: percent, relate: percent, close: percent }),
  }),
  status: z.strictObject({
    green: percent,
    amber: percent,
    /** With no supportive decider known, the status is at most A. */
    capWithoutSupportiveDecider: z.boolean(),
  }),
});

export type HealthModel = z.infer<typeof HealthModelSchema>;

/** Rules a schema cannot state: sums above 0, ascending cut-offs and ageing weights, known archive fields. */
function modelProblems(m: HealthModel): string[] {
  const out: string[] = [];
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  if (sum(m.weights) <= 0) out.push("weights: at least one factor needs a weight above 0");
  if (sum(m.decisionChain.parts) <= 0) out.push("decisionChain.parts: at least one part needs a weight above 0");
  if (sum(m.archive.parts) <= 0) out.push("archive.parts: at least one part needs a weight above 0");
  const b = m.receivables.bucketWeights;
  if (!(b.d1_30 <= b.d31_60 && b.d31_60 <= b.d61_90 && b.d61_90 <= b.over90)) {
    out.push("receivables.bucketWeights: older overdue weighs at least as much (d1_30 ≤ d31_60 ≤ d61_90 ≤ over90)");
  }
  const p = STAGES.ids.map((s) => m.stage.percent[s]);
  if (p.some((x, i) => i > 0 && x < p[i - 1]!)) out.push("stage.percent: a later stage is worth at least as much as an earlier one");
  if (m.status.amber > m.status.green) out.push("status: amber ≤ green");
  if (m.archive.requiredFields) {
    const known = new Set<string>([...ARCHIVE_FIELD_IDS, DECIDER_CONTACT]);
    m.archive.requiredFields.forEach((f, i) => {
      if (!known.has(f)) out.push(`archive.requiredFields.${i}: unknown field "${f}"`);
    });
  }
  return out;
}

/** Validate a health model's JSON. Never throws: an invalid model is a #VALUE! listing each problem by path. */
export function parseHealthModel(json: unknown): Result<HealthModel> {
  const r = HealthModelSchema.safeParse(json);
  const lines = r.success
    ? modelProblems(r.data)
    : r.error.issues.map((i) => `${i.path.join(".") || "(model)"}: ${i.code === "unrecognized_keys" ? `unknown field ${(i as { keys?: string[] }).keys?.join(", ") ?? ""}` : i.message}`);
  if (r.success && lines.length === 0) return ok(r.data);
  const shown = lines.slice(0, 8);
  const more = lines.length > 8 ? ` (+${lines.length - 8})` : "";
  return fail("value", "model", { zh: `健康度模型无效：${shown.join("；")}${more}`, en: `invalid health model: ${shown.join("; ")}${more}` });
}

function load(json: unknown): HealthModel {
  const r = parseHealthModel(json);
  if (!r.ok) throw new Error(`built-in health model: ${messageOf(r.error, "en")}`);
  return Object.freeze(r.value) as HealthModel;
}

/** The built-in model (read-only; a company saves a copy under a new id to change it). */
export const DEFAULT_HEALTH_MODEL: HealthModel = load(healthDefaultJson);
export const BUILTIN_HEALTH_MODELS: readonly HealthModel[] = Object.freeze([DEFAULT_HEALTH_MODEL]);

/** A built-in health model by id (case-insensitive), or undefined. */
export function getBuiltinHealthModel(id: string): HealthModel | undefined {
  const want = id.trim().toLowerCase();
  return BUILTIN_HEALTH_MODELS.find((m) => m.id === want);
}
