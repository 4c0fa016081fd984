import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Principal } from "../../../shared/src/access.js";
import type { StoreContext } from "./client.js";
import { isConditionalFailure } from "./entity.js";
import { batchPutAll } from "./retry.js";
import { keys, TTL_ATTRIBUTE } from "./table.js";

/**
 * Idempotent writes (docs/contracts.md §6): a request with an `Idempotency-Key` header claims the key
 * (conditional PutItem), runs, and stores its response; a repeat with the same key and the same
 * request returns the stored response and writes nothing again. Keys are per tenant and user.
 *
 * The store answers with an outcome and knows nothing of HTTP; the edge turns it into a response:
 * - `fresh`: the key was claimed (or a stale claim taken over), `run` ran and its response is stored;
 * - `replay`: the same request already ran to completion — its stored response;
 * - `conflict`: the same key with a different request (route or body), the first run still in
 *   flight, or a claim that vanished between the claim and the read (`reason` says which);
 * - `unreadable`: the stored response could not be decoded.
 * - A claim left by a crashed run is taken over after `IDEMPOTENCY_STALE_MS`; the entity store
 *   recognises writes the crashed run already made (`lastIdempotencyKey`) and reports them as
 *   done instead of conflicting.
 * - Responses are gzip'ed; one larger than `INLINE_RESPONSE_BYTES` is split into `PART#n` items.
 */
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

export type IdempotencyOutcome =
  | { kind: "fresh"; response: StoredResponse }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "conflict"; reason: "vanished" | "differentRequest" | "inProgress" }
  | { kind: "unreadable" };

/** Run `run` at most once per key and request; an error thrown by `run` is rethrown (the key stays retryable). */
export async function withIdempotency(
  ctx: StoreContext,
  principal: Principal,
  key: string,
  req: { routeKey: string; path: string; body: string },
  run: () => Promise<StoredResponse>,
): Promise<IdempotencyOutcome> {
  const pk = keys.idempotencyPk(principal.tenant, principal.userId, key);
  const fingerprint = fingerprintOf(req);
  const now = Date.now();
  const claimed = await claim(ctx, pk, fingerprint, now);
  if (!claimed) {
    const rec = await readRecord(ctx, pk);
    if (!rec) return { kind: "conflict", reason: "vanished" };
    if (rec.fingerprint !== fingerprint) return { kind: "conflict", reason: "differentRequest" };
    if (rec.state === "done") {
      const response = await readResponse(ctx, pk, rec);
      return response ? { kind: "replay", response } : { kind: "unreadable" };
    }
    if (now - rec.claimedAt < IDEMPOTENCY_STALE_MS) return { kind: "conflict", reason: "inProgress" };
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
      if (isConditionalFailure(e)) return { kind: "conflict", reason: "inProgress" };
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
  return { kind: "fresh", response };
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

/** The stored response, or undefined when its bytes do not decode. */
async function readResponse(ctx: StoreContext, pk: string, rec: IdemRecord): Promise<StoredResponse | undefined> {
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
    return undefined;
  }
}
