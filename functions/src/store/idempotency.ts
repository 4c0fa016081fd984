import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Principal } from "../../../shared/src/access.js";
import { msg, type Lang } from "../../../shared/src/errors.js";
import { ApiError, httpErrors } from "../http/errors.js";
import type { StoreContext } from "./client.js";
import { isConditionalFailure } from "./entity.js";
import { batchPutAll } from "./retry.js";
import { keys, TTL_ATTRIBUTE } from "./table.js";

/**
 * Idempotent writes (docs/contracts.md §6): a request with an `Idempotency-Key` header claims the key
 * (conditional PutItem), runs, and stores its response; a repeat with the same key and the same
 * request returns the stored response and writes nothing again. Keys are per tenant and user.
 *
 * - Same key, different request (route or body) → 409.
 * - Same key while the first run is still in flight → 409 (retry later).
 * - A claim left by a crashed run is taken over after `IDEMPOTENCY_STALE_MS`; the entity store
 *   recognises writes the crashed run already made (`lastIdempotencyKey`) and reports them as
 *   done instead of conflicting.
 * - Responses are gzip'ed; one larger than `INLINE_RESPONSE_BYTES` is split into `PART#n` items.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;
export const IDEMPOTENCY_STALE_MS = 60_000;
export const INLINE_RESPONSE_BYTES = 300_000;

export interface StoredResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function fingerprintOf(req: { routeKey: string; path: string; body: string }): string {
  return createHash("sha256").update(`${req.routeKey}\n${req.path}\n${req.body}`).digest("hex");
}

const IN_PROGRESS = { zh: "使用该 Idempotency-Key 的请求仍在处理中；请稍后重试", en: "a request with this Idempotency-Key is still in progress; retry later" };

export async function withIdempotency(
  ctx: StoreContext,
  principal: Principal,
  key: string,
  req: { routeKey: string; path: string; body: string },
  run: () => Promise<StoredResponse>,
  lang: Lang = "en",
): Promise<{ response: StoredResponse; replayed: boolean }> {
  const pk = keys.idempotencyPk(principal.tenant, principal.userId, key);
  const fingerprint = fingerprintOf(req);
  const now = Date.now();
  const claimed = await claim(ctx, pk, fingerprint, now);
  if (!claimed) {
    const rec = await readRecord(ctx, pk);
    if (!rec) throw httpErrors.conflict({ zh: "该 Idempotency-Key 正被另一请求使用；请重试", en: "Idempotency-Key is being reused; retry" });
    if (rec.fingerprint !== fingerprint) {
      throw httpErrors.conflict({ zh: "该 Idempotency-Key 已用于另一个不同的请求", en: "Idempotency-Key was already used for a different request" }, [
        { path: "Idempotency-Key", message: msg(lang, "新的请求请使用新的 Idempotency-Key", "use a new key for a new request") },
      ]);
    }
    if (rec.state === "done") return { response: await readResponse(ctx, pk, rec), replayed: true };
    if (now - rec.claimedAt < IDEMPOTENCY_STALE_MS) {
      throw httpErrors.conflict(IN_PROGRESS);
    }
    // Take over a stale claim (crashed run) — exactly one taker wins.
    try {
      await ctx.doc.send(
        new UpdateCommand({
          TableName: ctx.table,
          Key: { pk, sk: keys.itemSk },
          UpdateExpression: "SET claimedAt = :now",
          ConditionExpression: "claimedAt = :then AND #s <> :done",
          ExpressionAttributeNames: { "#s": "state" },
          ExpressionAttributeValues: { ":now": now, ":then": rec.claimedAt, ":done": "done" },
        }),
      );
    } catch (e) {
      if (isConditionalFailure(e)) throw httpErrors.conflict(IN_PROGRESS);
      throw e;
    }
  }
  let response: StoredResponse;
  try {
    response = await run();
  } catch (e) {
    // Let a retry run again: mark the claim as stale.
    await ctx.doc
      .send(
        new UpdateCommand({
          TableName: ctx.table,
          Key: { pk, sk: keys.itemSk },
          UpdateExpression: "SET claimedAt = :zero",
          ExpressionAttributeValues: { ":zero": 0 },
        }),
      )
      .catch(() => undefined);
    throw e;
  }
  await storeResponse(ctx, pk, response);
  return { response, replayed: false };
}

async function claim(ctx: StoreContext, pk: string, fingerprint: string, now: number): Promise<boolean> {
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.table,
        Item: {
          pk,
          sk: keys.itemSk,
          ent: "IDEM",
          state: "pending",
          fingerprint,
          claimedAt: now,
          [TTL_ATTRIBUTE]: Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return true;
  } catch (e) {
    if (isConditionalFailure(e)) return false;
    throw e;
  }
}

interface IdemRecord {
  state: "pending" | "done";
  fingerprint: string;
  claimedAt: number;
  parts?: number;
  body?: Uint8Array;
}

async function readRecord(ctx: StoreContext, pk: string): Promise<IdemRecord | undefined> {
  const res = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: { pk, sk: keys.itemSk }, ConsistentRead: true }));
  return res.Item as IdemRecord | undefined;
}

async function storeResponse(ctx: StoreContext, pk: string, response: StoredResponse): Promise<void> {
  const packed = gzipSync(Buffer.from(JSON.stringify(response), "utf8"));
  let parts = 0;
  if (packed.length > INLINE_RESPONSE_BYTES) {
    const items: Record<string, unknown>[] = [];
    for (let off = 0; off < packed.length; off += INLINE_RESPONSE_BYTES) {
      items.push({ pk, sk: keys.idempotencyPartSk(parts++), ent: "IDEM#PART", chunk: packed.subarray(off, off + INLINE_RESPONSE_BYTES) });
    }
    await batchPutAll(ctx, items); // parts first: a `done` record always has its parts
  }
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: { pk, sk: keys.itemSk },
      UpdateExpression: parts > 0 ? "SET #s = :done, parts = :parts" : "SET #s = :done, body = :body",
      ExpressionAttributeNames: { "#s": "state" },
      ExpressionAttributeValues: parts > 0 ? { ":done": "done", ":parts": parts } : { ":done": "done", ":body": packed },
    }),
  );
}

async function readResponse(ctx: StoreContext, pk: string, rec: IdemRecord): Promise<StoredResponse> {
  let packed: Buffer;
  if (rec.parts && rec.parts > 0) {
    const chunks: Buffer[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
          ExpressionAttributeValues: { ":pk": pk, ":p": "PART#" },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of res.Items ?? []) chunks.push(Buffer.from(item.chunk as Uint8Array));
      start = res.LastEvaluatedKey;
    } while (start);
    packed = Buffer.concat(chunks);
  } else {
    packed = Buffer.from(rec.body ?? new Uint8Array());
  }
  try {
    return JSON.parse(gunzipSync(packed).toString("utf8")) as StoredResponse;
  } catch {
    throw new ApiError("internal", { zh: "无法读取已保存的幂等响应", en: "stored idempotent response unreadable" });
  }
}
