import { canWritePayment, canWriteSomeContract, collectionsViewOf } from "../../../shared/src/access.js";
import type { CollectionFigures } from "../../../shared/src/collections.js";
import { today } from "../../../shared/src/dates.js";
import { EXCEL_ERROR, messageOf } from "../../../shared/src/errors.js";
import { CollectionsQuerySchema } from "../../../shared/src/schemas/api.js";
import { ContractWriteSchema, PaymentWriteSchema } from "../../../shared/src/schemas/contract.js";
import { httpErrors } from "../http/errors.js";
import { json, parse, route } from "../edge/route.js";
import { storeContext } from "../store/client.js";
import {
  CONTRACT,
  PAYMENT,
  presentContract,
  presentPayment,
  summarise,
  upsertContracts,
  upsertPayments,
  type ContractDoc,
  type PaymentDoc,
} from "../store/finance.js";
import { readScopeBook } from "../store/scopeBook.js";
import { batchUpsert, writeOptions } from "./batch.js";
import { listAccountRecords } from "./list.js";
import { unresolvedScope } from "./scope.js";

/**
 * Contracts, payments and collections (docs/domain.md §7; rights shared/src/access.ts).
 *
 * GET /v1/contracts[?account=]   directors, finance: all (paged); a manager: contracts of accounts they own
 * PUT /v1/contracts              finance and the owning manager (instalments inside the contract)
 * GET /v1/payments[?account=]    as contracts
 * PUT /v1/payments               finance
 * GET /v1/collections?scope=&period=[&asOf=]  due, collected, rate, credit, overdue, ageing, per-account rows
 */

const FINANCE_REFUSAL = {
  none: { zh: "合同和回款仅供总监、财务和负责经理查看", en: "contracts and payments are read by directors, finance and the owning manager" },
  foreign: { zh: "客户经理只能查看自己负责客户的合同和回款", en: "a manager reads the contracts and payments of accounts they own only" },
};

function figuresJson(f: CollectionFigures, lang: "zh" | "en") {
  return {
    dueYuan: f.dueYuan,
    collectedYuan: f.collectedYuan,
    // docs/domain.md §7: a zero denominator is an error, never 0 or 1.
    rate: f.rate.ok ? f.rate.value : null,
    ...(f.rate.ok ? {} : { rateError: { code: EXCEL_ERROR[f.rate.error.code], message: messageOf(f.rate.error, lang) } }),
    creditYuan: f.creditYuan,
    advanceYuan: f.advanceYuan,
    paidYuan: f.paidYuan,
    overdueYuan: f.overdueYuan,
    overdue90Yuan: f.overdue90Yuan,
    ageing: f.ageing,
  };
}

export const handler = route({
  "GET /v1/contracts": async (req) => json(200, await listAccountRecords<ContractDoc>(req, CONTRACT, presentContract, "finance", FINANCE_REFUSAL)),

  "PUT /v1/contracts": async (req) => {
    const p = req.principal;
    if (!canWriteSomeContract(p)) throw httpErrors.forbidden({ zh: "只有财务和负责经理可以编辑合同", en: "finance and the owning manager write contracts" });
    return batchUpsert(req, ContractWriteSchema, (items) => upsertContracts(storeContext(), p, items, writeOptions(req)));
  },

  "GET /v1/payments": async (req) => json(200, await listAccountRecords<PaymentDoc>(req, PAYMENT, presentPayment, "finance", FINANCE_REFUSAL)),

  "PUT /v1/payments": async (req) => {
    const p = req.principal;
    if (!canWritePayment(p)) throw httpErrors.forbidden({ zh: "只有财务可以登记回款", en: "only finance writes payments" });
    return batchUpsert(req, PaymentWriteSchema, (items) => upsertPayments(storeContext(), p, items, writeOptions(req)));
  },

  "GET /v1/collections": async (req) => {
    const p = req.principal;
    const zh = req.lang === "zh";
    const view = collectionsViewOf(p);
    if (view === "none") throw httpErrors.forbidden(zh ? "只有总监、财务和客户经理（本人客户）可以查看回款" : "collections are read by directors, finance and managers (their own accounts)");
    const q = parse(CollectionsQuerySchema, req.query, req.lang);
    const now = today();
    // docs/contracts.md §11: ageing as of the period end or asOf — never after today.
    if (q.asOf !== undefined && q.asOf > now) {
      const m = zh ? `不能晚于今天（${now}）` : `must not be after today (${now})`;
      throw httpErrors.badRequest(zh ? `asOf ${m}` : "asOf is after today", [{ path: "asOf", message: m }]);
    }
    const scope = await readScopeBook(storeContext(), p, view, q.scope);
    if (!scope.ok && scope.reason === "foreign") throw httpErrors.forbidden(zh ? "客户经理只能查看本人客户的回款" : "a manager reads the collections of accounts they own only");
    if (!scope.ok) throw unresolvedScope(scope, req.lang);
    const { accounts, book } = scope;
    const summary = summarise(book, q.period, q.asOf, now);
    if (!summary.ok) throw httpErrors.badRequest(messageOf(summary.error, req.lang), [{ path: summary.error.arg ?? "", message: messageOf(summary.error, req.lang) }]);
    const s = summary.value;
    // Accounts without contracts still appear (nothing due: rate null with #DIV/0!).
    const rowsById = new Map(s.rows.map((r) => [r.accountId, r]));
    const empty = summarise({ contracts: [], payments: [] }, q.period, q.asOf, now);
    const rows = accounts.map((a) => {
      const r = rowsById.get(a.id);
      const f = r ?? (empty.ok ? empty.value : undefined)!;
      return { accountId: a.id, accountName: a.name, owner: a.owner, ...figuresJson(f, req.lang) };
    });
    return json(200, { scope: req.query.scope, period: s.period, asOf: s.asOf, accounts: accounts.length, ...figuresJson(s, req.lang), rows });
  },
});
