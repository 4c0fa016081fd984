/**
 * The API's answers checked against the shared schemas before a caller sees them. A body that does
 * not fit becomes an ApiError naming the first fields that did not (status as answered, code
 * `bad_response`). The schema library lives here, away from `transport.ts`: the custom functions
 * load this module only once a request is under way (`loadChecks`).
 *
 * Lists are checked as the `{items, next}` envelope with object items; items are checked against
 * an entity schema where the route answers exactly that entity, as written through that schema
 * (teams, tombstones, batch results, `/v1/eval` results, health). Accounts, targets and the other views carry fields of their own
 * (redacted views, `effective`, `latestVersion`, …) and are checked as objects.
 */
import * as z from "zod/mini";
import {
  BatchResponse,
  ChangeEntrySchema,
  DeletedAccountSchema,
  EvalResultSchema,
  HealthListSchema,
  ListResponse,
  MeSchema,
  TeamSchema,
  TombstoneSchema,
  zodIssuesToDetails,
  type ChangeEntry,
  type HealthList,
  type Me,
  type Tombstone,
  type User,
} from "../../../shared/src/index.js";
import type { ApiResult, ItemResult } from "./transport.js";

export type Check<T> = (json: unknown, status: number) => ApiResult<T>;

/** Most mismatches named in one error. */
const SHOWN_ISSUES = 3;

function checkWith<T>(schema: z.core.$ZodType): Check<T> {
  return (json, status) => {
    const r = z.safeParse(schema, json);
    if (r.success) return { ok: true, value: r.data as T };
    // A failed union (a health item is a result or an error) names the fields of its closest branch.
    const details = zodIssuesToDetails(r.error).slice(0, SHOWN_ISSUES);
    return { ok: false, error: { status, code: "bad_response", message: "the server's answer does not fit the API / 服务器的答复不符合接口格式", details } };
  };
}

const AnyObject = z.record(z.string(), z.unknown());

const anyObject = checkWith<Record<string, unknown>>(AnyObject);
/** Any JSON object (a single entity view, a collections report), taken as `T`. */
export function object<T = Record<string, unknown>>(): Check<T> {
  return anyObject as Check<T>;
}
/** One page of a list route whose items are entity views. */
export const listPage = checkWith<{ items: Record<string, unknown>[]; next?: string }>(ListResponse(AnyObject));
/** A list page whose objects are taken as `T`. */
export function page<T>(): Check<{ items: T[]; next?: string }> {
  return listPage as Check<{ items: unknown[]; next?: string }> as Check<{ items: T[]; next?: string }>;
}
/**
 * Users as objects: the store registers a user on first sign-in with the token's name and roles
 * as given, so one entry outside UserSchema's limits must not hide the whole directory.
 */
export const usersPage = page<User>();
/** Ids and change times of a collection (`?keys=true`). */
export const changesPage = checkWith<{ items: ChangeEntry[]; next?: string }>(ListResponse(ChangeEntrySchema));
export const teamsPage = checkWith<{ items: z.infer<typeof TeamSchema>[]; next?: string }>(ListResponse(TeamSchema));
export const deletedPage = checkWith<{ items: z.infer<typeof DeletedAccountSchema>[]; next?: string }>(ListResponse(DeletedAccountSchema));
/** A batch upsert's per-item results (docs/contracts.md §6). */
export const batchResults = checkWith<{ items: ItemResult[] }>(BatchResponse(AnyObject));
/** One `/v1/eval` result (`{"value":…}` or `{"error":…}`). */
export const evalResult = checkWith<z.infer<typeof EvalResultSchema>>(EvalResultSchema);
/** `GET /v1/me`: the caller. */
export const me = checkWith<Me>(MeSchema);
/** `GET /v1/health?scope=`: each account's health or the error that stopped it. */
export const healthList = checkWith<HealthList>(HealthListSchema);
/** A `DELETE`'s answer: the tombstone as stored. */
export const tombstone = checkWith<Tombstone>(TombstoneSchema);
