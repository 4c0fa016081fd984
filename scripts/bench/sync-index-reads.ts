/**
 * List reads of the sync, two ways (figures only, nothing asserts), on one dynalite process with
 * two tables of the same 10,000 accounts (`KAM_BENCH_ROWS` changes it):
 *  - KEYS: the product's way — indexes project keys only; a page's entries are resolved to the
 *    items with a consistent BatchGetItem, stale entries skipped (entity.ts `readIndexPage`);
 *  - COPIES: the alternative — indexes project whole items (ALL); the Query's copies are served,
 *    deduplicated by id keeping the highest version. It cannot tell a copy of a version that never
 *    committed, nor serve a copy newer than the index, so it is the baseline, not an option.
 * Reads alternate between the two (5 each) so machine load hits both alike; medians are printed,
 * with the write time of the same batches (keys-only indexes store less per write).
 * Run: `npm run bench -- sync` (with the sync benchmark) or `npx tsx scripts/bench/sync-index-reads.ts`.
 */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { pathToFileURL } from "node:url";
import { startLocalStack } from "../../functions/local/stack.js";
import { setLogSink } from "../../functions/src/log.js";
import { createStoreContext, destroyStoreContext, type StoreContext } from "../../functions/src/store/client.js";
import { ACCOUNT } from "../../functions/src/store/accounts.js";
import { LIST_MAX_LIMIT, listEntities, upsertBatch, type Doc } from "../../functions/src/store/entity.js";
import { GSI_OWNER, TABLE_DEFINITION, keys } from "../../functions/src/store/table.js";
import { median } from "./stats.js";

const ROWS = Number(process.env.KAM_BENCH_ROWS ?? 10_000);
const TENANT = "bench";
const OWNER = "m-bench";
const BATCH = 500;
const ROUNDS = 5;
const LEAN = "id, version, #data, updatedAt, updatedBy, changedAt, deleted, idem";


/** Write the same batches to both tables, alternating which goes first; the time spent on each. */
async function fillBoth(keysCtx: StoreContext, copiesCtx: StoreContext): Promise<{ keys: number; copies: number }> {
  const spent = { keys: 0, copies: 0 };
  for (let i = 0; i < ROWS; i += BATCH) {
    const items = Array.from({ length: Math.min(BATCH, ROWS - i) }, (_, j) => ({ id: `acc-${i + j}`, name: `客户${i + j}`, owner: OWNER }));
    const order: ["keys" | "copies", StoreContext][] = [["keys", keysCtx], ["copies", copiesCtx]];
    if ((i / BATCH) % 2 === 1) order.reverse();
    for (const [name, ctx] of order) {
      const t0 = performance.now();
      await upsertBatch(ctx, ACCOUNT, TENANT, { id: OWNER }, items, {
        forbidden: () => undefined,
        merge: (_e, input) => {
          const { id: _id, ...doc } = input;
          return { ok: true, value: doc as Doc };
        },
        present: (st) => st.data,
      });
      spent[name] += performance.now() - t0;
    }
  }
  return spent;
}

/** KEYS: the product's list read, every page (the owner's list, as the pane's sync reads it). */
async function readKeys(ctx: StoreContext): Promise<number> {
  let n = 0;
  let next: string | undefined;
  do {
    const page = await listEntities(ctx, ACCOUNT, TENANT, { owner: OWNER, limit: LIST_MAX_LIMIT, lean: true, includeDeleted: false, ...(next ? { next } : {}) });
    if (!page.ok) throw new Error("page token refused");
    n += page.value.items.length;
    next = page.value.next;
  } while (next);
  return n;
}

/** COPIES: the index's whole-item copies, deduplicated by id keeping the highest version. */
async function readCopies(ctx: StoreContext): Promise<number> {
  const best = new Map<string, Record<string, unknown>>();
  let start: Record<string, unknown> | undefined;
  do {
    const res = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.table,
        IndexName: GSI_OWNER,
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.ownerPk(TENANT, ACCOUNT.code, OWNER) },
        ProjectionExpression: LEAN,
        ExpressionAttributeNames: { "#data": "data" },
        Limit: LIST_MAX_LIMIT,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of (res.Items ?? []) as Record<string, unknown>[]) {
      const seen = best.get(item.id as string);
      if (!seen || (seen.version as number) < (item.version as number)) best.set(item.id as string, item);
    }
    start = res.LastEvaluatedKey;
  } while (start);
  return [...best.values()].filter((i) => i.deleted !== true).length;
}

export async function benchIndexReads(): Promise<void> {
  setLogSink("off");
  const stack = await startLocalStack({ port: 0, inMemory: true, seed: false });
  const client = new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const { TimeToLiveAttribute: _ttl, ...def } = TABLE_DEFINITION;
  await client.send(
    new CreateTableCommand({
      TableName: "kam_copies",
      ...def,
      GlobalSecondaryIndexes: def.GlobalSecondaryIndexes.map((g) => ({ ...g, Projection: { ProjectionType: "ALL" } })),
    }),
  );
  const copies = createStoreContext({ endpoint: stack.dynamoEndpoint, table: "kam_copies" });
  try {
    const w = await fillBoth(stack.store, copies);
    console.log(`write ${ROWS} accounts (${ROWS / BATCH} batch upserts each, alternating): keys-only indexes ${(w.keys / 1000).toFixed(2)} s, whole-item indexes ${(w.copies / 1000).toFixed(2)} s`);
    const times = { keys: [] as number[], copies: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      let t0 = performance.now();
      const nk = await readKeys(stack.store);
      times.keys.push(performance.now() - t0);
      t0 = performance.now();
      const nc = await readCopies(copies);
      times.copies.push(performance.now() - t0);
      if (nk !== ROWS || nc !== ROWS) throw new Error(`listed ${nk} / ${nc} of ${ROWS}`);
    }
    const k = median(times.keys);
    const c = median(times.copies);
    console.log(
      `owner list of ${ROWS} accounts (${Math.ceil(ROWS / LIST_MAX_LIMIT)} pages, median of ${ROUNDS}): keys-only index + consistent BatchGetItem ${k.toFixed(0)} ms; ` +
        `whole-item copies + dedupe ${c.toFixed(0)} ms (baseline) → ${(k / c).toFixed(2)}× the baseline's time`,
    );
  } finally {
    destroyStoreContext(copies);
    client.destroy();
    await stack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchIndexReads();
