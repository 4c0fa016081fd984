import type { Bilingual } from "../errors.js";
import type { HealthStatus } from "./health.js";
import { DEFAULT_HEALTH_MODEL } from "./model.js";

/**
 * A contact's relationship status from their support rating (支持程度 1–5), as the relationship
 * map colours it: G at the model's supportive rating or more (default 4, the same bar the health
 * model sets for a supportive decider), R at 2 or less (against us), A between; unrated → none.
 */
export function supportStatus(support: unknown, supportiveAt: number = DEFAULT_HEALTH_MODEL.decisionChain.supportiveAt): HealthStatus | undefined {
  if (typeof support !== "number" || !Number.isFinite(support) || support < 1 || support > 5) return undefined;
  if (support >= supportiveAt) return "G";
  return support <= 2 ? "R" : "A";
}

/** The legend of that colouring. */
export const SUPPORT_LEGEND: Bilingual = {
  zh: "颜色 = 支持程度：绿 ≥ 4，黄 3，红 ≤ 2，灰 未评；● = 亲密程度（1–5）",
  en: "Colour = support: green ≥ 4, amber 3, red ≤ 2, grey not rated; ● = intimacy (1–5)",
};
