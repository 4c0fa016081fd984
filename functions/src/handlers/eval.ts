import { canCallEval, canReadAccountField, canReadArchive, canReadHealth, collectionsViewOf, redactAccount, type Principal } from "../../../shared/src/access.js";
import { kamError, type KamError, type Lang, type Result } from "../../../shared/src/errors.js";
import {
  accountFieldCell,
  archiveCell,
  evalPure,
  functionIdOf,
  healthCell,
  parseHealthCall,
  type HealthCall,
  isStoreFunction,
  langOfCall,
  parseAccountCall,
  parseArchiveCall,
  parseCollectionCall,
  parseTargetCall,
  pickCollectionMeasure,
  targetCell,
  toEvalResult,
  unknownAccount,
  type AccountCall,
  type ArchiveCall,
  type CellResult,
  type CollectionCall,
  type EvalResultJson,
  type FnResult,
  type TargetCall,
} from "../../../shared/src/excel/index.js";
import { creditCheckPeriod, storedAccountClasses } from "../../../shared/src/accountClasses.js";
import { visitClasses } from "../../../shared/src/compliance.js";
import { today } from "../../../shared/src/dates.js";
import type { CollectionSummary } from "../../../shared/src/collections.js";
import type { Account } from "../../../shared/src/schemas/account.js";
import { EVAL_MAX_CALLS, EvalRequestSchema, type CollectionScope } from "../../../shared/src/schemas/api.js";
import { targetIdOfCall } from "../../../shared/src/targets.js";
import { getBuiltinModel } from "../../../shared/src/scoring/builtins.js";
import type { ScoringModel } from "../../../shared/src/scoring/model.js";
import { httpErrors } from "../http/errors.js";
import { json, parse, route } from "../edge/route.js";
import { ACCOUNT, presentAccount, type AccountDoc } from "../store/accounts.js";
import { storeContext, type StoreContext } from "../store/client.js";
import { getEntity, type StoredEntity } from "../store/entity.js";
import { CONTRACT, readBook, summarise, type ContractDoc, type FinanceBook } from "../store/finance.js";
import { accountRefOf, listAccountRefs, listAllOf, lookupAccount, type AccountRef } from "../store/queries.js";
import { readScopeBook } from "../store/scopeBook.js";
import { getStoredModels } from "../store/models.js";
import { presentTarget, readTargetAs, withTeam } from "../store/targets.js";
import { healthOfAccounts, resolveHealthModel } from "../store/health.js";
import type { HealthResult } from "../../../shared/src/health/health.js";

/**
 * `POST /v1/eval` (docs/contracts.md §3): `{"calls":[{fn,args}]}` (≤ 1,000, else
 * 413) → `{"results":[...]}` in call order.
 *
 * - Language: a call's own `lang` argument, else the request's Accept-Language (zh* → zh), else en.
 * - Pure functions: the shared `evalPure` (the same code as the add-in). `SCORE`/`SCORE.ITEMS` with a
 *   model id that is not built-in resolve the tenant's stored models (one BatchGetItem for all).
 * - Store-backed functions are grouped: the store is read once per distinct **scope** (COLLECTION —
 *   every period and measure of that scope is computed from the one read), per distinct target
 *   (TARGET: owner, period, level) and per distinct account (ACCOUNT and ARCHIVE share it). A COLLECTION scope naming one
 *   account costs 3 DynamoDB requests (GetItem account, Query contracts, Query payments — see
 *   store/finance.ts); 1,000 calls over 3 such scopes cost 9, the same as 3 calls.
 * - Store-backed answers see only what the caller may read (shared access rules): anything else is
 *   `#N/A` with the reason.
 */

const na = (zh: string, en: string, arg?: string): KamError => kamError("na", arg, { zh, en });

/** Memoise one async read per key for the duration of a request. */
class Memo<T> {
  private readonly m = new Map<string, Promise<T>>();
  get(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.m.get(key);
    if (!p) this.m.set(key, (p = load()));
    return p;
  }
}

function scopeKey(s: CollectionScope): string {
  return s.kind === "all" ? "*" : s.kind === "accountRef" ? `ref:${s.ref}` : `${s.kind}:${s.id}`;
}

interface ScopeBook {
  book?: FinanceBook;
  error?: KamError;
}

/** Read the book of one collection scope as the caller may see it (managers: their own accounts). */
async function readScope(ctx: StoreContext, p: Principal, scope: CollectionScope): Promise<ScopeBook> {
  const view = collectionsViewOf(p);
  if (view === "none") return { error: na("只有总监、财务和客户经理（本人客户）可以查看回款", "collections are read by directors, finance and managers (their own accounts)", "scope") };
  const r = await readScopeBook(ctx, p, view, scope);
  if (r.ok) return { book: r.book };
  // A foreign scope answers as an unknown one: a manager learns nothing of another's accounts.
  if (r.reason === "foreign") return { error: na(`找不到范围 ${scopeKey(scope)}，或无权查看`, `no scope ${scopeKey(scope)} that you may read`, "scope") };
  return r.reason === "ambiguous"
    ? { error: kamError("value", "scope", r.bilingual) }
    : { error: na(`${r.bilingual.zh}，或无权查看`, `${r.bilingual.en}, or not one you may read`, "scope") };
}

export const handler = route(
  {
    "POST /v1/eval": async (req) => {
      const p0 = req.principal;
      if (!canCallEval(p0)) throw httpErrors.forbidden({ zh: "请以 KAM 角色登录后再计算函数", en: "sign in with a KAM role to evaluate functions" });
      const raw = req.body as { calls?: unknown } | undefined;
      if (raw && typeof raw === "object" && Array.isArray(raw.calls) && raw.calls.length > EVAL_MAX_CALLS) {
        throw httpErrors.tooLarge({
          zh: `每个请求最多 ${EVAL_MAX_CALLS} 个调用（收到 ${raw.calls.length} 个）；请分批发送`,
          en: `at most ${EVAL_MAX_CALLS} calls per request (got ${raw.calls.length}); send smaller batches`,
        });
      }
      const body = parse(EvalRequestSchema, req.body, req.lang);
      const lang: Lang = req.lang;
      const ctx = storeContext();
      let principal: Promise<Principal> | undefined;
      const caller = () => (principal ??= withTeam(ctx, p0));

      // Tenant models named by SCORE calls (one BatchGetItem).
      const modelIds = new Set<string>();
      for (const c of body.calls) {
        const id = functionIdOf(c.fn);
        const m = c.args[2];
        if ((id === "SCORE" || id === "SCORE.ITEMS") && typeof m === "string" && m.trim() !== "" && !m.trim().startsWith("{") && !getBuiltinModel(m)) modelIds.add(m.trim());
      }
      const models: Map<string, ScoringModel> = await getStoredModels(ctx, p0.tenant, [...modelIds]);
      const opts = { models: (id: string) => models.get(id) };

      const scopes = new Memo<ScopeBook>();
      const summaries = new Map<string, Result<CollectionSummary> | KamError>();
      const targets = new Memo<CellResult>();
      const accounts = new Memo<{ account?: Account; ref?: AccountRef; stored?: StoredEntity<AccountDoc>; error?: KamError; classes?: () => Promise<string[] | KamError> }>();
      let tenantContracts: Promise<Awaited<ReturnType<typeof listAllOf<ContractDoc>>>> | undefined;
      let tenantRefs: Promise<AccountRef[]> | undefined;
      const now = today();

      const collection = async (call: CollectionCall): Promise<FnResult> => {
        const sb = await scopes.get(scopeKey(call.scope), () => readScope(ctx, p0, call.scope));
        if (sb.error) return sb.error;
        let s = summaries.get(call.queryKey);
        if (!s) summaries.set(call.queryKey, (s = summarise(sb.book!, call.period.id, undefined, now)));
        if ("code" in s) return s;
        return s.ok ? pickCollectionMeasure(s.value, call.measure) : s.error;
      };

      const target = (call: TargetCall): Promise<CellResult> =>
        targets.get(call.queryKey, async () => {
          const t = await readTargetAs(ctx, await caller(), targetIdOfCall(call), { repair: false });
          if (!t || t.stored.deleted) return targetCell(undefined, call);
          if (!t.readable) return na(`无权查看 ${call.owner} 的指标`, `you may not read the target of ${call.owner}`, "owner");
          return targetCell(presentTarget(t.stored).effective?.amountYuan, call);
        });

      const account = (call: Pick<AccountCall, "queryKey" | "account">) =>
        accounts.get(call.queryKey, async () => {
          // The scopes' account resolver: an id, else an exact account name (docs/contracts.md §11).
          const found = await lookupAccount(ctx, p0.tenant, call.account, true);
          if (!found.ok && found.reason === "ambiguous") {
            return { error: kamError("value", "account", { zh: `有多个名为 ${call.account} 的客户，请用编号`, en: `${found.count} accounts are named ${call.account}; use the id` }) };
          }
          const e = found.ok ? (found.stored ?? (await getEntity<AccountDoc>(ctx, ACCOUNT, p0.tenant, found.ref.id, { repair: false }))) : undefined;
          if (!e || e.deleted) return { error: unknownAccount(call) };
          const view = redactAccount(presentAccount(e), p0);
          if (!view) return { error: unknownAccount(call) };
          const stored = e;
          return {
            account: view as Account,
            ref: accountRefOf(e),
            stored,
            classes: async () => {
              // docs/domain.md §3.1 with receivables known: credit good needs no > 90-day overdue (docs/contracts.md).
              tenantContracts ??= listAllOf<ContractDoc>(ctx, CONTRACT, p0.tenant);
              tenantRefs ??= listAccountRefs(ctx, p0.tenant);
              const [all, refs, book] = await Promise.all([
                tenantContracts,
                tenantRefs,
                readBook(ctx, p0.tenant, [{ id: stored.id, name: "", owner: "", strategic: false }], true),
              ]);
              const contracts = all.map((c) => c.data);
              const credit = creditCheckPeriod(now);
              const s = summarise(book, credit.period, credit.asOf, now);
              const r = storedAccountClasses({
                account: stored.data,
                contracts: contracts.filter((c) => c.accountId === stored.id),
                visitClasses: visitClasses(refs, contracts, now).get(stored.id) ?? [],
                overdue90Yuan: s.ok ? s.value.overdue90Yuan : null,
              });
              return r.ok ? r.value : r.error;
            },
          };
        });

      // KAM.HEALTH: the account as KAM.ACCOUNT resolves it, read with the archive's rights (names-only callers read none).
      const healths = new Memo<{ health?: HealthResult; error?: KamError }>();
      let healthModel: ReturnType<typeof resolveHealthModel> | undefined;
      const health = (call: HealthCall) =>
        healths.get(call.queryKey, async () => {
          const a = await account({ queryKey: `ACCOUNT|${call.account}`, account: call.account });
          if (a.error) return { error: a.error };
          const acc = a.account!;
          if (!canReadHealth(p0, acc)) return { error: unknownAccount(call) };
          const model = await (healthModel ??= resolveHealthModel(ctx, p0.tenant, undefined));
          if (!model.ok) return { error: kamError("value", "model", model.message) };
          const rows = await healthOfAccounts(ctx, p0, [a.ref!], model.model, now, [a.stored!]);
          const r = rows[0]?.health;
          return r ? (r.ok ? { health: r.value } : { error: r.error }) : { error: unknownAccount(call) };
        });

      const accountCell = async (call: AccountCall): Promise<FnResult> => {
        const a = await account(call);
        if (a.error) return a.error;
        // Finance sees names only (docs/domain.md §1): other fields are not theirs to read.
        if (!canReadAccountField(p0, a.account!, call.field)) {
          return na(`无权查看客户字段 ${call.field}`, `you may not read the field ${call.field} of this account`, "field");
        }
        if (call.field === "class") {
          const classes = await a.classes!();
          return Array.isArray(classes) ? accountFieldCell(a.account as unknown as Record<string, unknown>, "class", call.lang, classes) : classes;
        }
        return accountFieldCell(a.account as unknown as Record<string, unknown>, call.field, call.lang);
      };

      // docs/domain.md §2 archive completeness of the stored archive; finance (names only) may not read it.
      const archiveOf = async (call: ArchiveCall): Promise<FnResult> => {
        const a = await account(call);
        if (a.error) return a.error;
        if (!canReadArchive(p0, a.account!)) return na("无权查看客户档案完整率", "you may not read the archive of this account", "account");
        return archiveCell(a.account as unknown as Record<string, unknown>);
      };

      const results: EvalResultJson[] = await Promise.all(
        body.calls.map(async (c): Promise<EvalResultJson> => {
          const id = functionIdOf(c.fn);
          if (id === undefined || !isStoreFunction(id)) {
            // docs/contracts.md §1.4: a call's own `lang` argument wins over Accept-Language, for messages too.
            const pureLang = langOfCall(c.fn, c.args, lang);
            return toEvalResult(evalPure(c.fn, c.args, pureLang, opts), pureLang);
          }
          let out: FnResult;
          let callLang = lang;
          if (id === "COLLECTION") {
            const call = parseCollectionCall(c.args, lang);
            if (call.ok) callLang = call.value.lang;
            out = call.ok ? await collection(call.value) : call.error;
          } else if (id === "TARGET") {
            const call = parseTargetCall(c.args, lang);
            if (call.ok) callLang = call.value.lang;
            out = call.ok ? await target(call.value) : call.error;
          } else if (id === "HEALTH") {
            const call = parseHealthCall(c.args, lang);
            if (call.ok) callLang = call.value.lang;
            if (call.ok) {
              const h = await health(call.value);
              out = h.error ?? healthCell(h.health, call.value);
            } else out = call.error;
          } else if (id === "ARCHIVE") {
            const call = parseArchiveCall(c.args, lang);
            if (call.ok) callLang = call.value.lang;
            out = call.ok ? await archiveOf(call.value) : call.error;
          } else {
            const call = parseAccountCall(c.args, lang);
            if (call.ok) callLang = call.value.lang;
            out = call.ok ? await accountCell(call.value) : call.error;
          }
          return toEvalResult(out, callLang);
        }),
      );
      return json(200, { results });
    },
  },
  { idempotent: false },
);
