import { randomUUID } from "node:crypto";
import {
  accountListFilter,
  accountViewOf,
  canDeleteAccount,
  canEraseContact,
  canHandover,
  canReadAccount,
  canReadArchive,
  canReadHistory,
  canRestoreAccount,
  canWriteSomeAccount,
  recycleBinFilter,
  redactAccount,
  redactHistoryEntry,
  type Principal,
} from "../../../shared/src/access.js";
import { AccountWriteSchema } from "../../../shared/src/schemas/account.js";
import { ErasureSchema, HandoverSchema } from "../../../shared/src/schemas/api.js";
import { msg } from "../../../shared/src/errors.js";
import { today } from "../../../shared/src/dates.js";
import { httpErrors, INVALID_QUERY } from "../http/errors.js";
import { json, parse, route } from "../edge/route.js";
import { recordArchiveRead } from "../store/accessLog.js";
import {
  ACCOUNT,
  deleteAccount,
  eraseContactPersonal,
  handoverAccounts,
  listDeletedAccounts,
  listHandovers,
  presentAccount,
  presentTombstone,
  restoreAccount,
  reviewAccount,
  upsertAccounts,
  withAuthorNames,
  type AccountDoc,
} from "../store/accounts.js";
import { storeContext } from "../store/client.js";
import { getEntity, listEntities, listHistory, toHistoryEntry } from "../store/entity.js";
import { batchUpsert, writeOptions } from "./batch.js";
import { listQuery } from "./list.js";

/**
 * Accounts (客户档案); rights docs/domain.md §1, §2, §9 via shared/src/access.ts.
 *
 * GET    /v1/accounts                 list (owner filter, `since` sync incl. tombstones, paged)
 *        /v1/accounts?deleted=true    recycle bin: tombstones with who deleted them and when
 *                                     (directors all, managers their own — access.ts)
 * PUT    /v1/accounts                 batch upsert ≤ 500 items / 1 MB, per-item results
 * GET    /v1/accounts/{id}            one account (recorded read, docs/domain.md §9)
 * DELETE /v1/accounts/{id}            tombstone (directors); `?version=` or If-Match guards it
 * POST   /v1/accounts/{id}/restore    bring a tombstone back at version + 1 (directors)
 * POST   /v1/accounts/{id}/review     "archive reviewed": lastReviewed = today (profile writers)
 * GET    /v1/accounts/{id}/history    history (directors, owner); personal redacted if unreadable
 * POST   /v1/handovers                reassign a manager's accounts (directors)
 * GET    /v1/handovers                handover records (directors)
 * POST   /v1/erasures                 erase a contact's personal details, also from history
 *
 * Accounts carry `lastChanged` (who last changed each field, when — never values; see
 * shared/src/schemas/changes.ts). A single get and conflict results name the authors (`byName`);
 * lists leave names to the client (`GET /v1/users`), so a page costs no directory read.
 */

/** The owner filter of an account list (shared accountListFilter); a plain admin reads none. */
function listScope(p: Principal, ownerParam: string | undefined): { owner?: string } {
  const f = accountListFilter(p, ownerParam);
  if (f.allowed) return f.owner !== undefined ? { owner: f.owner } : {};
  // A manager reads the accounts they own — nothing else.
  if (f.reason === "foreignOwner") throw httpErrors.forbidden({ zh: "客户经理只能查看自己负责的客户", en: "a manager lists only the accounts they own" });
  throw httpErrors.forbidden({ zh: "此角色不能查看客户档案", en: "this role does not read account archives" });
}

export const handler = route({
  "GET /v1/accounts": async (req) => {
    const p = req.principal;
    const q = listQuery(req, ["owner", "deleted"]);
    if (q.extra.deleted !== undefined && q.extra.deleted !== "true" && q.extra.deleted !== "false") {
      throw httpErrors.badRequest(INVALID_QUERY, [{ path: "deleted", message: msg(req.lang, "应为 true 或 false", "expected true or false") }]);
    }
    const ctx = storeContext();
    if (q.extra.deleted === "true") {
      if (q.list.sinceMs !== undefined) throw httpErrors.badRequest(INVALID_QUERY, [{ path: "since", message: msg(req.lang, "回收站不支持按变更时间（since）读取", "the recycle bin is not a change feed") }]);
      const bin0 = recycleBinFilter(p, q.extra.owner);
      if (!bin0.allowed && bin0.reason === "role") throw httpErrors.forbidden({ zh: "回收站仅供总监和客户经理使用", en: "the recycle bin is for directors and managers" });
      if (!bin0.allowed) throw httpErrors.forbidden({ zh: "客户经理只能查看自己负责的已删除客户", en: "a manager sees only the deleted accounts they own" });
      const bin = await listDeletedAccounts(ctx, p.tenant, { ...(bin0.owner !== undefined ? { owner: bin0.owner } : {}), ...q.list });
      if (!bin.ok) throw httpErrors.badRequest(INVALID_QUERY, bin.details);
      return json(200, bin.value);
    }
    const scope = listScope(p, q.extra.owner);
    const page = await listEntities<AccountDoc>(ctx, ACCOUNT, p.tenant, {
      ...scope,
      ...q.list,
      includeDeleted: q.list.sinceMs !== undefined, lean: true,
    });
    if (!page.ok) throw httpErrors.badRequest(INVALID_QUERY, page.details);
    const items: unknown[] = [];
    const read: string[] = [];
    for (const e of page.value.items) {
      if (e.deleted) {
        if (canReadAccount(p, e.data)) items.push(presentTombstone(e));
        continue;
      }
      const view = redactAccount(presentAccount(e), p);
      if (view === undefined) continue;
      items.push(view);
      if (canReadArchive(p, e.data)) read.push(e.id);
    }
    await recordArchiveRead(ctx, p.tenant, { by: p.userId, kind: "list", accountIds: read, view: "list" });
    return json(200, page.value.next ? { items, next: page.value.next } : { items });
  },

  "PUT /v1/accounts": async (req) => {
    const p = req.principal;
    if (!canWriteSomeAccount(p)) {
      throw httpErrors.forbidden({ zh: "此角色不能修改客户档案（财务录入合同和回款）", en: "this role does not write account archives (finance writes contracts and payments)" });
    }
    return batchUpsert(req, AccountWriteSchema, (items) => upsertAccounts(storeContext(), p, items, writeOptions(req)));
  },

  "GET /v1/accounts/{id}": async (req) => {
    const p = req.principal;
    const ctx = storeContext();
    const e = await getEntity<AccountDoc>(ctx, ACCOUNT, p.tenant, req.pathParameters.id ?? "");
    if (!e || e.deleted) throw httpErrors.notFound({ zh: "没有这个客户", en: "no such account" });
    const view = redactAccount(presentAccount(e), p);
    if (view === undefined) throw httpErrors.forbidden({ zh: "无权查看此客户", en: "you may not read this account" });
    await recordArchiveRead(ctx, p.tenant, { by: p.userId, kind: "account", accountIds: [e.id], view: accountViewOf(p, e.data) });
    if (view.lastChanged) {
      const [lastChanged] = await withAuthorNames(ctx, p.tenant, [view.lastChanged]);
      return json(200, { ...view, lastChanged });
    }
    return json(200, view);
  },

  "DELETE /v1/accounts/{id}": async (req) => {
    const p = req.principal;
    if (!canDeleteAccount(p)) throw httpErrors.forbidden({ zh: "只有总监可以删除客户", en: "only directors delete accounts" });
    const raw = req.query.version ?? req.headers["if-match"]?.replace(/"/g, "");
    let base: number | undefined;
    if (raw !== undefined) {
      if (!/^\d{1,15}$/.test(raw)) throw httpErrors.badRequest({ zh: "版本号无效", en: "invalid version" }, [{ path: "version", message: msg(req.lang, "应为整数", "expected a whole number") }]);
      base = Number(raw);
    }
    const res = await deleteAccount(storeContext(), p, req.pathParameters.id ?? "", base, req.idempotencyKey);
    if (!res.ok && res.reason === "notFound") throw httpErrors.notFound({ zh: "没有这个客户", en: "no such account" });
    if (!res.ok) {
      throw httpErrors.conflict({ zh: "该客户在此版本之后已被修改", en: "the account changed since that version" }, [
        {
          path: "version",
          message: res.reason === "conflict" ? msg(req.lang, `已保存的版本是 ${res.version}`, `stored version is ${res.version}`) : msg(req.lang, "已保存的版本未知", "stored version is unknown"),
        },
      ]);
    }
    return json(200, presentTombstone(res.stored));
  },

  "POST /v1/accounts/{id}/restore": async (req) => {
    const p = req.principal;
    if (!canRestoreAccount(p)) throw httpErrors.forbidden({ zh: "只有总监可以恢复已删除的客户", en: "only directors restore deleted accounts" });
    const res = await restoreAccount(storeContext(), p, req.pathParameters.id ?? "", req.idempotencyKey);
    if (!res.ok && res.reason === "notFound") throw httpErrors.notFound({ zh: "没有这个客户", en: "no such account" });
    if (!res.ok) throw httpErrors.conflict({ zh: "该客户未被删除", en: "the account is not deleted" }, [{ path: "id", message: msg(req.lang, "只有已删除的客户可以恢复", "only a deleted account can be restored") }]);
    return json(200, presentAccount(res.stored));
  },

  "POST /v1/accounts/{id}/review": async (req) => {
    const p = req.principal;
    const res = await reviewAccount(storeContext(), p, req.pathParameters.id ?? "", today(), req.idempotencyKey);
    if (!res.ok && res.reason === "notFound") throw httpErrors.notFound({ zh: "没有这个客户", en: "no such account" });
    if (!res.ok) throw httpErrors.forbidden({ zh: "只有负责经理、总监和专员可以审核档案", en: "the account's owner, directors and specialists review archives" });
    const view = redactAccount(presentAccount(res.stored), p);
    // docs/domain.md §2: stale after 183 days without review — just reviewed, so not stale.
    return json(200, { ...view, reviewStale: false });
  },

  "GET /v1/accounts/{id}/history": async (req) => {
    const p = req.principal;
    const ctx = storeContext();
    const id = req.pathParameters.id ?? "";
    const e = await getEntity<AccountDoc>(ctx, ACCOUNT, p.tenant, id);
    if (!e) throw httpErrors.notFound({ zh: "没有这个客户", en: "no such account" });
    if (!canReadHistory(p, e.data)) throw httpErrors.forbidden({ zh: "只有总监和负责经理可以查看历史", en: "history is readable by directors and the account's owner" });
    const records = await listHistory(ctx, ACCOUNT, p.tenant, id);
    const items = records.map((r) => redactHistoryEntry(toHistoryEntry(r), p, e.data)).filter((x) => x !== undefined);
    await recordArchiveRead(ctx, p.tenant, { by: p.userId, kind: "history", accountIds: [id], view: accountViewOf(p, e.data) });
    return json(200, { items });
  },

  "POST /v1/handovers": async (req) => {
    const p = req.principal;
    if (!canHandover(p)) throw httpErrors.forbidden(req.lang === "zh" ? "只有总监可以交接客户" : "only directors hand accounts over");
    const body = parse(HandoverSchema, req.body, req.lang);
    const res = await handoverAccounts(storeContext(), p, body, randomUUID(), req.idempotencyKey, req.lang);
    if (!res.ok) throw httpErrors.badRequest(res.details[0]?.message ?? (req.lang === "zh" ? "交接无效" : "invalid handover"), res.details);
    return json(201, res.value);
  },

  "GET /v1/handovers": async (req) => {
    const p = req.principal;
    if (!canHandover(p)) throw httpErrors.forbidden({ zh: "只有总监可以查看交接记录", en: "only directors read handover records" });
    return json(200, { items: await listHandovers(storeContext(), p.tenant) });
  },

  "POST /v1/erasures": async (req) => {
    const p = req.principal;
    if (!canEraseContact(p)) throw httpErrors.forbidden({ zh: "只有总监可以清除个人信息", en: "only directors erase personal details" });
    const body = parse(ErasureSchema, req.body, req.lang);
    const res = await eraseContactPersonal(storeContext(), p, body, req.idempotencyKey);
    if (!res) throw httpErrors.notFound({ zh: "没有这个客户", en: "no such account" });
    return json(200, res);
  },
});
