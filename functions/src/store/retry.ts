import { BatchGetCommand, BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { StoreContext } from "./client.js";

/**
 * Batch operations whose unprocessed items are retried with exponential backoff and never
 * dropped. After `MAX_BATCH_ATTEMPTS` an error is thrown — the caller fails loudly
 * instead of losing an item.
 */
export const BATCH_GET_MAX_KEYS = 100;
export const BATCH_WRITE_MAX_ITEMS = 25;
export const MAX_BATCH_ATTEMPTS = 10;
export const BACKOFF_BASE_MS = 25;
export const BACKOFF_MAX_MS = 2000;
/** Batch requests of one call in flight at once (chunks are independent; each retries its own). */
export const BATCH_CONCURRENCY = 4;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Full-jitter exponential backoff for attempt n (0-based). */
export function backoffMs(attempt: number): number {
  const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.floor(Math.random() * cap) + 1;
}

export type Key = Record<string, unknown>;

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** BatchGetItem for any number of keys (consistent reads); returns the found items (`projection`: those attributes). */
export async function batchGetAll(
  ctx: StoreContext,
  keys: Key[],
  projection?: { expression: string; names?: Record<string, string> },
  concurrency = BATCH_CONCURRENCY,
): Promise<Record<string, unknown>[]> {
  const attributes = projection
    ? { ProjectionExpression: projection.expression, ...(projection.names ? { ExpressionAttributeNames: projection.names } : {}) }
    : {};
  const found: Record<string, unknown>[] = [];
  await mapLimit(chunks(keys, BATCH_GET_MAX_KEYS), concurrency, async (chunk) => {
    let pending: Key[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error(`BatchGetItem: ${pending.length} keys still unprocessed after ${attempt} attempts`);
      if (attempt > 0) await sleep(backoffMs(attempt));
      const res = await ctx.doc.send(
        new BatchGetCommand({ RequestItems: { [ctx.table]: { Keys: pending, ConsistentRead: true, ...attributes } } }),
      );
      found.push(...((res.Responses?.[ctx.table] as Record<string, unknown>[] | undefined) ?? []));
      pending = (res.UnprocessedKeys?.[ctx.table]?.Keys as Key[] | undefined) ?? [];
    }
  });
  return found;
}

/** BatchWriteItem (puts only — no conditions possible, so only for items that need none). */
export async function batchPutAll(ctx: StoreContext, items: Record<string, unknown>[]): Promise<void> {
  await mapLimit(chunks(items, BATCH_WRITE_MAX_ITEMS), BATCH_CONCURRENCY, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error(`BatchWriteItem: ${pending.length} items still unprocessed after ${attempt} attempts`);
      if (attempt > 0) await sleep(backoffMs(attempt));
      const res = await ctx.doc.send(new BatchWriteCommand({ RequestItems: { [ctx.table]: pending } }));
      pending = (res.UnprocessedItems?.[ctx.table] as typeof pending | undefined) ?? [];
    }
  });
}

/** Run `fn` over `xs` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(xs: readonly T[], limit: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(xs.length);
  let next = 0;
  // After a failure no new call starts, and the answer waits for the calls in flight: a request
  // that fails never leaves writes running behind its response.
  let failed: { error: unknown } | undefined;
  const workers = Array.from({ length: Math.min(limit, xs.length) }, async () => {
    while (next < xs.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(xs[i]!, i);
      } catch (error) {
        failed ??= { error };
      }
    }
  });
  await Promise.all(workers);
  if (failed) throw failed.error;
  return out;
}
