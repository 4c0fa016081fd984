/**
 * `POST /v1/eval` for the custom functions' batcher: the calls of one request in, one answer per
 * call out, each checked against the shared `/v1/eval` result schema. The schemas load with the
 * first request (in parallel with it), not with functions.js.
 */
import type { Session } from "./session.js";
import { exchange, loadChecks, type ApiResult } from "./transport.js";

export interface EvalCallJson {
  fn: string;
  args: unknown[];
}

/**
 * Send the calls; resolves with each call's checked result in call order. Rejects with an Error
 * whose message says why the whole request failed: no answer (network, `signal` aborted), an HTTP
 * error (`HTTP 500 <the server's message>`), a body that is not JSON, or a count of results that
 * does not match the calls.
 */
export async function postEval(
  session: Session,
  calls: readonly EvalCallJson[],
  opts: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<ApiResult<unknown>[]> {
  const checks = loadChecks(); // in parallel with the request; a failed load is reported once the answer is in
  checks.catch(() => undefined);
  const a = await exchange(session, { method: "POST", path: "/v1/eval", body: { calls }, signal: opts.signal, fetch: opts.fetch });
  if (!a.ok) {
    const message = (a.json as { error?: { message?: string } } | undefined)?.error?.message;
    throw new Error(`HTTP ${a.status}${message ? ` ${message}` : ""}`);
  }
  const results = (JSON.parse(a.text) as { results?: unknown }).results;
  if (!Array.isArray(results) || results.length !== calls.length) {
    throw new Error(`the server answered ${Array.isArray(results) ? results.length : "no"} results for ${calls.length} calls`);
  }
  const { evalResult } = await checks;
  return results.map((r) => evalResult(r, a.status));
}
