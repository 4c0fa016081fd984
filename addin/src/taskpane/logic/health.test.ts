import { describe, expect, it } from "vitest";
import { accountHealth, explainHealth } from "../../../../shared/src/health/health.js";
import { healthRows, ragCounts } from "./health.js";
import type { HealthItem } from "../../../../shared/src/schemas/health.js";

function item(id: string, contacts: Record<string, unknown>[]): HealthItem {
  const r = accountHealth({ account: { name: id, owner: "m-li", stage: "assess", contacts }, today: "2026-12-01" });
  if (!r.ok) throw new Error(r.error.message.en);
  return { accountId: id, accountName: `客户${id}`, owner: "m-li", ...r.value, explanation: { zh: explainHealth(r.value, "zh"), en: explainHealth(r.value, "en") } };
}

describe("health rows for the pane", () => {
  it("one line per factor with data, then what is left out; the next step apart; errors last", () => {
    const a = item("A", [{ name: "王总", role: "decider", support: 5, intimacy: 5 }]);
    const rows = healthRows([a, { accountId: "X", accountName: "", owner: "m-li", error: { code: "#VALUE!", message: "bad date", field: "lastReviewed" } }], "zh");
    const r = rows[0]!;
    expect([r.name, r.score, r.status, r.statusLabel]).toEqual(["客户A", (a as { score: number }).score, "A", "A 黄"]);
    // Decision chain, archive and stage have data; visits and receivables are left out (one line naming both).
    expect(r.explanation).toHaveLength(4);
    expect(r.explanation[0]).toMatch(/^决策链 \d+\.\d\/\d+\.\d：有支持的决策者/);
    expect(r.explanation[3]).toMatch(/^未计入/);
    expect(r.next.startsWith("销售推进与客户跟踪")).toBe(true);
    expect(rows[1]).toMatchObject({ accountId: "X", name: "X", score: undefined, statusLabel: "#VALUE!", explanation: ["lastReviewed: bad date"] });
    expect(ragCounts(rows)).toEqual({ R: 0, A: 1, G: 0 });
    expect(healthRows([a], "en")[0]!.next).toMatch(/^[A-Z]/);
  });
});
