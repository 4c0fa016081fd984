/**
 * Store benchmark: on the local stack (in-memory dynalite, the real AWS SDK,
 * real HTTP with dev-issuer JWTs)
 *  1. batch upsert of 10,000 accounts through `PUT /v1/accounts` (20 requests × 500 items):
 *     rows/s and the DynamoDB requests used (counted by a middleware on the client's stack, by command).
 *     A batch upsert leaves its history records in the outbox for the next touch
 *     (functions/src/store/entity.ts) — one conditional PutItem per row;
 *  2. `/v1/eval` with 10,000 `COLLECTION` calls (10 requests × 1,000 calls; 200 accounts × 10 months
 *     × 5 measures, in sheet order): store requests and wall time, against a BASELINE answering the
 *     same 10,000 calls with one store query per call (resolve scope + read its contracts and
 *     payments + the shared engine) in the same process.
 * Figures only: nothing here asserts. Run: `npx tsx scripts/bench/store.ts`.
 */
import { pathToFileURL } from "node:url";
import { startLocalStack, type LocalStack } from "../../functions/local/stack.js";
import { setLogSink } from "../../functions/src/log.js";
import { parseCollectionCall, pickCollectionMeasure } from "../../shared/src/excel/store.js";
import { readBook, summarise } from "../../functions/src/store/finance.js";
import { resolveScope } from "../../functions/src/store/queries.js";
import { mapLimit } from "../../functions/src/store/retry.js";
import { at, must } from "../../shared/src/checked.js";

const TENANT = "bench";
const ACCOUNTS = 10_000;
const BATCH = 500;
const FINANCE_ACCOUNTS = 200;
const MONTHS = 10;
const MEASURES = ["rate", "due", "collected", "credit", "overdue"];
const EVAL_BATCH = 1000;
const BASELINE_CONCURRENCY = 16;

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** DynamoDB requests sent by the store's client, in total and by command. */
function counter(stack: LocalStack) {
  let n = 0;
  let byCommand: Record<string, number> = {};
  // Both clients: the DocumentClient and the plain one behind putItem (added before its first call —
  // that client caches its middleware stack).
  for (const c of [stack.store.doc, must(stack.store.raw, "the store's plain DynamoDB client")]) {
    c.middlewareStack.add((next, context) => async (args) => {
      n++;
      const name = String(context.commandName).replace(/Command$/, "");
      byCommand[name] = (byCommand[name] ?? 0) + 1;
      return next(args);
    }, { step: "initialize", name: "benchCounter" });
  }
  return {
    get: () => n,
    byCommand: () => Object.entries(byCommand).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmt(v)}`).join(", "),
    reset: () => {
      n = 0;
      byCommand = {};
    },
  };
}

async function client(stack: LocalStack, sub: string, roles: string[]) {
  const r = await fetch(`${stack.url}/dev/token`, { method: "POST", body: JSON.stringify({ sub, tid: TENANT, name: sub, roles }) });
  const { token } = (await r.json()) as { token: string };
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as any;
    if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
}

export async function benchStore(): Promise<Record<string, number>> {
  setLogSink("off");
  const stack = await startLocalStack({ port: 0, inMemory: true, seed: false });
  try {
    const count = counter(stack);
    const director = await client(stack, "b-director", ["Director"]);
    const finance = await client(stack, "b-finance", ["Finance"]);
    const managers = Array.from({ length: 10 }, (_, i) => `b-m${i}`);
    await director("PUT", "/v1/users", { items: managers.map((id, i) => ({ id, name: `经理${i}`, roles: ["manager"], team: i < 5 ? "east" : "south" })) });
    await finance("POST", "/v1/eval", { calls: [] }); // registers finance

    // 1. Batch upsert of 10,000 accounts.
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
      id: `B-${String(i).padStart(5, "0")}`,
      name: `基准测试客户${i}有限公司`,
      owner: managers[i % managers.length],
      industry: "装备制造",
      ownershipType: "private",
      paymentAttitude: "prompt",
      strategic: i % 10 === 0,
      contacts: [{ id: "C1", name: "张三", title: "总经理", role: "decider", intimacy: 3, professionalism: 4, support: 3, personal: { hobbies: "钓鱼" } }],
    }));
    count.reset();
    let t0 = performance.now();
    for (let i = 0; i < ACCOUNTS; i += BATCH) {
      const r = await director("PUT", "/v1/accounts", { items: accounts.slice(i, i + BATCH) });
      if (r.items.some((x: { status: string }) => x.status !== "created")) throw new Error(`an account was not created: ${JSON.stringify(r.items.find((x: { status: string }) => x.status !== "created"))}`);
    }
    const upsertMs = performance.now() - t0;
    const upsertRequests = count.get();
    const upsertByCommand = count.byCommand();

    // Finance book for 200 accounts: one contract (12 monthly instalments) and a few payments each.
    const contracts = Array.from({ length: FINANCE_ACCOUNTS }, (_, i) => ({
      id: `BC-${i}`,
      accountId: at(accounts, i, "accounts").id,
      signedDate: "2026-01-05",
      amountYuan: 1_200_000,
      instalments: Array.from({ length: 12 }, (_, m) => ({ id: `I${m + 1}`, dueDate: `2026-${String(m + 1).padStart(2, "0")}-20`, amountYuan: 100_000 })),
    }));
    for (let i = 0; i < contracts.length; i += BATCH) await finance("PUT", "/v1/contracts", { items: contracts.slice(i, i + BATCH) });
    const payments = contracts.flatMap((c, i) =>
      Array.from({ length: 1 + (i % 6) }, (_, k) => ({ id: `BP-${i}-${k}`, contractId: c.id, date: `2026-${String(k + 2).padStart(2, "0")}-15`, amountYuan: 100_000 + (i % 3) * 5_000 })),
    );
    for (let i = 0; i < payments.length; i += BATCH) await finance("PUT", "/v1/payments", { items: payments.slice(i, i + BATCH) });

    // 2. 10,000 COLLECTION calls in sheet order (account by account).
    const calls: { fn: string; args: unknown[] }[] = [];
    for (let a = 0; a < FINANCE_ACCOUNTS; a++) {
      for (let m = 1; m <= MONTHS; m++) for (const measure of MEASURES) calls.push({ fn: "COLLECTION", args: [at(accounts, a, "accounts").id, `2026-${String(m).padStart(2, "0")}`, measure] });
    }
    count.reset();
    t0 = performance.now();
    const results: unknown[] = [];
    for (let i = 0; i < calls.length; i += EVAL_BATCH) results.push(...(await finance("POST", "/v1/eval", { calls: calls.slice(i, i + EVAL_BATCH) })).results);
    const evalMs = performance.now() - t0;
    const evalRequests = count.get();

    // Baseline: the same calls, one store query per call, in-process (no HTTP), 16 at a time.
    const p = { tenant: TENANT, userId: "b-finance", name: "b-finance", roles: ["finance" as const] };
    count.reset();
    t0 = performance.now();
    const baseline = await mapLimit(calls, BASELINE_CONCURRENCY, async (c) => {
      const call = parseCollectionCall(c.args, "en");
      if (!call.ok) return call.error;
      const scope = await resolveScope(stack.store, p.tenant, call.value.scope);
      if (!scope.ok) return scope.message;
      const book = await readBook(stack.store, p.tenant, scope.accounts, scope.single);
      const s = summarise(book, call.value.period.id);
      return s.ok ? pickCollectionMeasure(s.value, call.value.measure) : s.error;
    });
    const baselineMs = performance.now() - t0;
    const baselineRequests = count.get();
    const same = results.filter((r, i) => {
      const b = baseline[i];
      return typeof b === "number" ? (r as { value?: unknown }).value === b : "error" in (r as object);
    }).length;

    console.log(`store bench: local stack (in-memory dynalite in its own process, AWS SDK v3, HTTP on loopback), node ${process.version}`);
    console.log(`  batch upsert ${fmt(ACCOUNTS)} accounts (${ACCOUNTS / BATCH} × PUT /v1/accounts of ${BATCH}): ${fmt(upsertMs)} ms, ${fmt(ACCOUNTS / (upsertMs / 1000))} rows/s, ${fmt(upsertRequests)} DynamoDB requests (${(upsertRequests / ACCOUNTS).toFixed(2)} per row: ${upsertByCommand})`);
    console.log(`  /v1/eval ${fmt(calls.length)} COLLECTION calls (${FINANCE_ACCOUNTS} scopes × ${MONTHS} periods × ${MEASURES.length} measures, ${calls.length / EVAL_BATCH} requests): ${fmt(evalMs)} ms, ${fmt(evalRequests)} store requests`);
    console.log(`  baseline (one store query per call, in-process, ${BASELINE_CONCURRENCY} at a time): ${fmt(baselineMs)} ms, ${fmt(baselineRequests)} store requests`);
    console.log(`  ratios: store requests ${(baselineRequests / Math.max(1, evalRequests)).toFixed(1)}× fewer; wall time ${(baselineMs / evalMs).toFixed(1)}× faster; answers equal: ${same}/${calls.length}`);
    return { upsertMs, upsertRequests, evalMs, evalRequests, baselineMs, baselineRequests, same };
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchStore();
}
