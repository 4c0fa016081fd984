/**
 * The add-in's one way to the KAM API: a request with the session's bearer token, its answer read
 * as text and JSON, and the result and error types every caller shares. It is small and free of
 * the schema library on purpose: the custom functions load it before any cell can calculate
 * (functions.js's size budget). Response validation lives in `responses.ts`: the pane's client
 * (`client.ts`, for the pages and the sync) imports it, since the pane loads the shared schemas
 * anyway; the functions' `eval.ts` (the batcher's `/v1/eval`) and `models.ts` (the stored scoring
 * models) load it with `loadChecks` once a request is under way.
 */
import type { Session } from "./session.js";

export interface ApiError {
  /** HTTP status (0 = network failure, -1 = cancelled). */
  status: number;
  code: string;
  message: string;
  details: { path: string; message: string }[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Per-item result of a batch upsert (docs/contracts.md §6). */
export interface ItemResult {
  id: string;
  status: "created" | "updated" | "unchanged" | "conflict" | "invalid" | "forbidden";
  version?: number;
  /** The write's time (collections with `changeTimes`). */
  updatedAt?: string;
  current?: Record<string, unknown>;
  errors?: { path: string; message: string }[];
}

export interface Exchange {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** An HTTP answer as read: status, and the body as text and (when it is JSON) parsed. */
export interface Answer {
  status: number;
  ok: boolean;
  statusText: string;
  text: string;
  /** The parsed body; undefined when empty or not JSON. */
  json: unknown;
}

/**
 * One request to `to.apiBase + path`, with the bearer token when there is one (the sign-in routes
 * have none yet); JSON in and out. Rejects only when no answer came (network failure, abort), as
 * `fetch` does.
 */
export async function exchange(to: Pick<Session, "apiBase"> & { token?: string }, x: Exchange): Promise<Answer> {
  const f = x.fetch ?? globalThis.fetch;
  const res = await f(`${to.apiBase}${x.path}`, {
    method: x.method,
    headers: {
      ...(to.token ? { authorization: `Bearer ${to.token}` } : {}),
      ...(x.body !== undefined ? { "content-type": "application/json" } : {}),
      ...x.headers,
    },
    body: x.body === undefined ? undefined : JSON.stringify(x.body),
    signal: x.signal,
  });
  const text = await res.text();
  let json: unknown = undefined;
  try { json = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  return { status: res.status, ok: res.ok, statusText: res.statusText, text, json };
}

/** The response checks (`responses.ts`, with the schema library), loaded on first use. */
export function loadChecks(): Promise<typeof import("./responses.js")> {
  return import("./responses.js");
}
