import type * as z from "zod/mini";
import { msg, type Lang } from "../../../shared/src/errors.js";
import { BATCH_MAX_ITEMS } from "../../../shared/src/schemas/api.js";
import { validate } from "../../../shared/src/schemas/validation.js";
import { httpErrors } from "../http/errors.js";
import { json, type ApiRequest, type ApiResponse } from "../http/request.js";
import type { UpsertResult } from "../store/entity.js";

const ENVELOPE = { zh: "请求格式无效", en: "invalid envelope" };

/**
 * The batch envelope `{"items":[...]}` (docs/contracts.md §6): a wrong envelope is a 400, more than
 * `BATCH_MAX_ITEMS` items a 413; each item is validated on its own and an invalid one becomes a
 * per-item `invalid` result (HTTP 200 for the batch). `results` holds those, indexed like the
 * request; the caller fills the rest from the valid items. Item messages are in `lang`.
 */
export function batchItems<S extends z.core.$ZodType>(
  body: unknown,
  itemSchema: S,
  lang: Lang = "en",
): { valid: { index: number; item: z.output<S> }[]; results: UpsertResult[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw httpErrors.badRequest({ zh: "应为 {\"items\":[...]}", en: "expected {\"items\":[...]}" }, [{ path: "", message: msg(lang, "应为带 items 数组的对象", "expected an object with an items array") }]);
  }
  const extra = Object.keys(body).filter((k) => k !== "items");
  if (extra.length > 0) throw httpErrors.badRequest(ENVELOPE, extra.map((k) => ({ path: k, message: msg(lang, "未知字段", "unknown field") })));
  const items = (body as { items?: unknown }).items;
  if (!Array.isArray(items)) throw httpErrors.badRequest(ENVELOPE, [{ path: "items", message: msg(lang, "应为数组", "expected an array") }]);
  if (items.length > BATCH_MAX_ITEMS) {
    throw httpErrors.tooLarge({
      zh: `每个请求最多 ${BATCH_MAX_ITEMS} 项（收到 ${items.length} 项）；请分批发送`,
      en: `at most ${BATCH_MAX_ITEMS} items per request (got ${items.length}); send smaller batches`,
    });
  }
  const valid: { index: number; item: z.output<S> }[] = [];
  const results: UpsertResult[] = new Array(items.length);
  items.forEach((raw, index) => {
    const r = validate(itemSchema, raw, lang);
    if (r.ok) valid.push({ index, item: r.value });
    else {
      const id = typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : "";
      results[index] = { id: id.slice(0, 128), status: "invalid", errors: r.details };
    }
  });
  return { valid, results };
}

/** Store options of a write: its idempotency key (when the request has one) and the language of its messages. */
export function writeOptions(req: ApiRequest): { idempotencyKey?: string; lang: Lang } {
  return req.idempotencyKey ? { idempotencyKey: req.idempotencyKey, lang: req.lang } : { lang: req.lang };
}

/**
 * A batch-upsert route (`PUT` with `{"items":[...]}`): the envelope and each item validated
 * (`batchItems`), `write` run on the valid items — it answers one result per item, in their order —
 * and `200 {"items":[...]}` with every result at its request index.
 */
export async function batchUpsert<S extends z.core.$ZodType>(
  req: ApiRequest,
  itemSchema: S,
  write: (items: z.output<S>[]) => Promise<readonly UpsertResult[]>,
): Promise<ApiResponse> {
  const { valid, results } = batchItems(req.body, itemSchema, req.lang);
  const written = await write(valid.map((v) => v.item));
  valid.forEach((v, i) => (results[v.index] = written[i] as UpsertResult));
  return json(200, { items: results });
}
