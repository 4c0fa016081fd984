import { unknownAccount, type Result } from "../errors.js";
import { explainHealth, type HealthResult } from "../health/health.js";
import type { CellResult } from "./cells.js";
import type { HealthCall } from "./health.js";

/*
 * Kept apart from health.ts: the explanation needs the health engine (and its model schema), which
 * only the server's /v1/eval uses — the add-in's start-up bundle parses KAM.HEALTH calls without it.
 */

/**
 * The part of an account's health as a cell: the score (a number), the status letter R/A/G, or the
 * explanation text in the call's language. An engine error is that error; no health (an account
 * the caller may not read, or none) is #N/A naming the account.
 */
export function healthCell(health: Result<HealthResult> | HealthResult | undefined | null, call: Pick<HealthCall, "account" | "part" | "lang">): CellResult {
  if (health === undefined || health === null) {
    return unknownAccount(call);
  }
  let h: HealthResult;
  if ("ok" in health) {
    if (!health.ok) return health.error;
    h = health.value;
  } else h = health;
  switch (call.part) {
    case "score":
      return h.score;
    case "status":
      return h.status;
    case "explanation":
      return explainHealth(h, call.lang);
  }
}
