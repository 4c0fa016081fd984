/**
 * A tenant scoring model (countVsPlan: 1 point per new account above plan, 1 per 2 below), used by
 * the entity tests and the deploy test: 3 new accounts against a plan of 5 score 5 − 1 = 4.
 */
export const EAST_2026_MODEL = {
  id: "east-2026",
  name: { zh: "华东新客户考核", en: "East new accounts" },
  version: 1,
  inputs: [
    { key: "newAccounts", labels: { zh: "新开发客户数", en: "New accounts" }, kind: "number", unit: "count", required: true },
    { key: "newAccountsPlan", labels: { zh: "计划开发新客户数", en: "Planned new accounts" }, kind: "number", unit: "count", required: true },
  ],
  items: [
    {
      key: "newAccounts",
      group: "sales",
      label: { zh: "新客户开发", en: "New accounts" },
      points: 5,
      kind: "countVsPlan",
      params: { actual: "newAccounts", plan: "newAccountsPlan", up: { per: 1, points: 1 }, down: { per: 2, points: 1 } },
    },
  ],
};
