import { at } from "../../../shared/src/checked.js";
import { kamError, type KamError } from "../../../shared/src/errors.js";
import type { FnResult } from "../../../shared/src/excel/cells.js";
import { fromEvalResult } from "../../../shared/src/excel/encoding.js";
import { postEval } from "../api/eval.js";
import type { Session } from "../api/session.js";
import { argToJson } from "./excel.js";

/**
 * Store-backed `KAM.*` calls made during one recalculation, coalesced into `POST /v1/eval`
 * Fixes the four gaps of Microsoft's batching sample (docs/platform.md §2): every request
 * settles every one of its promises (success, HTTP error, network error, bad JSON, timeout —
 * nothing is left at #BUSY!), at most `maxCallsPerRequest` calls per request, identical calls are
 * sent once, answers are cached for `ttlMs` (structural edits recalculate without refetching),
 * and at most `maxInFlight` requests run at once. A call Excel cancels (`@cancelable`: the user
 * edited an input or recalculated) is dropped: still queued → removed before it is sent; in
 * flight → its answer is ignored (neither delivered nor cached), unless an identical call joined it.
 */
export interface BatcherOptions {
  /** The signed-in session (the pane sets it; docs/platform.md: shared runtime). */
  getSession: () => Session | undefined;
  fetch?: typeof globalThis.fetch;
  /** Wait after the first queued call before sending (one recalculation's calls arrive together). */
  windowMs?: number;
  maxCallsPerRequest?: number;
  maxInFlight?: number;
  ttlMs?: number;
  /** Most cached answers kept (oldest dropped first). */
  maxCacheEntries?: number;
  requestTimeoutMs?: number;
  now?: () => number;
}

/** At most 1,000 calls per `/v1/eval` request (the API refuses more). */
export const EVAL_BATCH_LIMIT = 1000;
export const DEFAULT_WINDOW_MS = 75;
/** xlwings-server hit ERR_INSUFFICIENT_RESOURCES with unbounded requests (docs/platform.md). */
export const DEFAULT_MAX_IN_FLIGHT = 4;
export const DEFAULT_TTL_MS = 60_000;
export const DEFAULT_MAX_CACHE_ENTRIES = 50_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The not-signed-in message, in both languages at once (the cell cannot know the reader's). */
export const SIGN_IN_MESSAGE = "在 KAM 任务窗格中登录 / Sign in from the KAM taskpane";

export function notSignedIn(): KamError {
  return kamError("na", undefined, { zh: SIGN_IN_MESSAGE, en: SIGN_IN_MESSAGE });
}

/** The answer a canceled caller gets (Excel ignores it: the cell is being recalculated anyway). */
export function canceledCall(): KamError {
  return kamError("na", undefined, { zh: "计算已取消", en: "the calculation was canceled" });
}

function requestFailed(reason: string): KamError {
  return kamError("na", undefined, { zh: `KAM 服务请求失败：${reason}`, en: `KAM server request failed: ${reason}` });
}

interface Pending {
  key: string;
  fn: string;
  args: unknown[];
  /** Callers still waiting for this call's answer (identical calls share one Pending). */
  waiters: Set<(r: FnResult) => void>;
  /** Its request is in flight. */
  sent: boolean;
}

export interface BatcherStats {
  /** `/v1/eval` requests sent. */
  requests: number;
  /** Calls sent to the server (after de-duplication and cache). */
  sent: number;
  /** Calls answered from the cache. */
  cacheHits: number;
  /** Calls that joined an identical queued or in-flight call. */
  deduplicated: number;
  /** Requests that failed (all their calls answered #N/A). */
  failedRequests: number;
  /** Callers that canceled (Excel's `onCanceled`). */
  canceled: number;
  /** Calls removed from the queue before they were sent (every caller canceled). */
  dropped: number;
  /** Answers that arrived for calls every caller had canceled (ignored, not cached). */
  ignored: number;
}

export class EvalBatcher {
  private readonly opts: Required<Omit<BatcherOptions, "fetch">> & { fetch?: typeof globalThis.fetch };
  private queue: Pending[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly cache = new Map<string, { result: FnResult; expires: number }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly ready: Pending[][] = [];
  private inFlight = 0;
  private generation = 0;
  private readonly idleWaiters: Array<() => void> = [];
  readonly stats: BatcherStats = { requests: 0, sent: 0, cacheHits: 0, deduplicated: 0, failedRequests: 0, canceled: 0, dropped: 0, ignored: 0 };

  constructor(opts: BatcherOptions) {
    this.opts = {
      windowMs: DEFAULT_WINDOW_MS,
      maxCallsPerRequest: EVAL_BATCH_LIMIT,
      maxInFlight: DEFAULT_MAX_IN_FLIGHT,
      ttlMs: DEFAULT_TTL_MS,
      maxCacheEntries: DEFAULT_MAX_CACHE_ENTRIES,
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      now: () => Date.now(),
      ...opts,
    };
    this.opts.maxCallsPerRequest = Math.max(1, Math.min(this.opts.maxCallsPerRequest, EVAL_BATCH_LIMIT));
    this.opts.maxInFlight = Math.max(1, this.opts.maxInFlight);
  }

  /**
   * Evaluate one store-backed call. `key` identifies identical calls (from `parse*Call`); `args`
   * are sent as given (Excel-shaped). Always settles, never rejects. When `signal` aborts, this
   * caller's promise settles at once with `canceledCall()` and the call leaves the batch.
   */
  call(fn: string, args: readonly unknown[], key: string, signal?: AbortSignal): Promise<FnResult> {
    if (signal?.aborted) {
      this.stats.canceled++;
      return Promise.resolve(canceledCall());
    }
    const hit = this.cache.get(key);
    if (hit) {
      if (hit.expires > this.opts.now()) {
        this.stats.cacheHits++;
        return Promise.resolve(hit.result);
      }
      this.cache.delete(key);
    }
    let p = this.pending.get(key);
    if (p) this.stats.deduplicated++;
    else {
      p = { key, fn, args: args.map(argToJson), waiters: new Set(), sent: false };
      this.pending.set(key, p);
      this.queue.push(p);
    }
    const promise = this.wait(p, signal);
    if (this.queue.length >= this.opts.maxCallsPerRequest) this.flush();
    else if (this.queue.length > 0 && this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.opts.windowMs);
    return promise;
  }

  private wait(p: Pending, signal: AbortSignal | undefined): Promise<FnResult> {
    return new Promise<FnResult>((resolve) => {
      if (!signal) {
        p.waiters.add(resolve);
        return;
      }
      const onAbort = () => {
        if (!p.waiters.delete(waiter)) return;
        this.stats.canceled++;
        this.dropUnwanted(p);
        resolve(canceledCall());
      };
      const waiter = (r: FnResult) => {
        signal.removeEventListener("abort", onAbort);
        resolve(r);
      };
      p.waiters.add(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** A call no caller waits for any more: unsent → out of the queue; in flight → its answer will be ignored. */
  private dropUnwanted(p: Pending): void {
    if (p.waiters.size > 0 || p.sent) return;
    const q = this.queue.indexOf(p);
    if (q >= 0) this.queue.splice(q, 1);
    for (const [b, batch] of this.ready.entries()) {
      const i = batch.indexOf(p);
      if (i < 0) continue;
      batch.splice(i, 1);
      if (batch.length === 0) this.ready.splice(b, 1);
      break;
    }
    if (this.queue.length === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pending.delete(p.key);
    this.stats.dropped++;
    if (this.pending.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Drop every cached answer (after a sync from the pane, or a sign-in change). */
  clear(): void {
    this.cache.clear();
    this.generation++;
  }

  /** Queued + in-flight calls. */
  get outstanding(): number {
    return this.pending.size;
  }

  /** Resolves when nothing is queued or in flight (tests, benchmarks). */
  idle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Send what is queued now (the window timer calls this). */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0) this.ready.push(this.queue.splice(0, this.opts.maxCallsPerRequest));
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxInFlight) {
      const batch = this.ready.shift();
      if (!batch) break;
      for (const p of batch) p.sent = true;
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private settle(batch: readonly Pending[], results: (p: Pending, i: number) => FnResult, cacheable: boolean, generation: number): void {
    const expires = this.opts.now() + this.opts.ttlMs;
    batch.forEach((p, i) => {
      let r: FnResult;
      try {
        r = results(p, i);
      } catch (e) {
        r = requestFailed(e instanceof Error ? e.message : String(e));
        cacheable = false;
      }
      this.pending.delete(p.key);
      if (p.waiters.size === 0) {
        // Every caller canceled while the request was in flight: the answer is ignored.
        this.stats.ignored++;
        return;
      }
      // A sync that happened while this request was in flight makes its answers stale: don't cache them.
      if (cacheable && generation === this.generation) {
        this.cache.set(p.key, { result: r, expires });
        if (this.cache.size > this.opts.maxCacheEntries) {
          const oldest = this.cache.keys().next();
          if (!oldest.done) this.cache.delete(oldest.value);
        }
      }
      for (const w of p.waiters) w(r);
      p.waiters.clear();
    });
    if (this.pending.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  private async send(batch: Pending[]): Promise<void> {
    const generation = this.generation;
    const session = this.opts.getSession();
    if (!session || !session.token || (session.expiresAt && session.expiresAt <= this.opts.now())) {
      this.settle(batch, () => notSignedIn(), false, generation);
      return;
    }
    this.stats.requests++;
    this.stats.sent += batch.length;
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), this.opts.requestTimeoutMs);
    try {
      const calls = batch.map((p) => ({ fn: p.fn, args: p.args }));
      const results = await postEval(session, calls, { fetch: this.opts.fetch, signal: abort.signal });
      // An answer that does not fit the result schema reads as "not a result" for its call only.
      this.settle(batch, (_p, i) => { const r = at(results, i, "eval results"); return fromEvalResult(r.ok ? r.value : undefined); }, true, generation);
    } catch (e) {
      this.stats.failedRequests++;
      const reason = abort.signal.aborted ? `timeout after ${this.opts.requestTimeoutMs} ms` : e instanceof Error ? e.message : String(e);
      this.settle(batch, () => requestFailed(reason), false, generation);
    } finally {
      clearTimeout(timeout);
    }
  }
}
