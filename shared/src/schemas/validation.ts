import * as z from "zod/mini";
import type { Lang } from "../errors.js";
import { ISSUE_MESSAGES, UNKNOWN_FIELD } from "./messages.js";

/**
 * Validation results for the edges: a 400 body's `details` and a batch item's
 * `errors` (docs/contracts.md §6) are lists of `{path, message}` where `path` reads like the JSON
 * it points into: `items[3].contacts[0].email`.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; details: ErrorDetail[] };

/** `["items", 3, "contacts", 0, "email"]` → `items[3].contacts[0].email`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const key = String(seg);
      out += /^[A-Za-z_$][\w$]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/**
 * Map zod issues to `{path, message}` details. An unknown field becomes one detail per field whose
 * path names the field itself (`items[0].colour: unknown field`); a failed union reports the
 * issues of the closest branch instead of zod's generic "invalid input". The issues' messages are
 * already in the parse's language (messages.ts); `lang` is for the texts made here.
 */
export function zodIssuesToDetails(
  error: z.core.$ZodError | readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
  lang: Lang = "en",
): ErrorDetail[] {
  const issues = Array.isArray(error) ? (error as readonly z.core.$ZodIssue[]) : (error as z.core.$ZodError).issues;
  const out: ErrorDetail[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: formatPath([...path, key]), message: UNKNOWN_FIELD[lang] });
    } else if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the branch the sender most likely meant: the one that got deepest into the value
      // (longest issue path), then the one with the fewest issues.
      const depth = (branch: readonly z.core.$ZodIssue[]) => Math.max(0, ...branch.map((i) => i.path.length));
      const [best] = [...issue.errors].sort((a, b) => depth(b) - depth(a) || a.length - b.length);
      if (!best || best.length === 0) out.push({ path: formatPath(path), message: issue.message });
      else out.push(...zodIssuesToDetails(best, path, lang));
    } else {
      out.push({ path: formatPath(path), message: issue.message });
    }
  }
  return out;
}

/** Parse with the messages of `lang` (messages.ts); never throws. */
export function safeParseIn<S extends z.core.$ZodType>(schema: S, data: unknown, lang: Lang = "en"): z.util.SafeParseResult<z.output<S>> {
  return z.safeParse(schema, data, { error: ISSUE_MESSAGES[lang] });
}

/** Validate `data` with `schema`, messages in `lang`; never throws. */
export function validate<S extends z.core.$ZodType>(schema: S, data: unknown, lang: Lang = "en"): Validated<z.output<S>> {
  const r = safeParseIn(schema, data, lang);
  return r.success ? { ok: true, value: r.data } : { ok: false, details: zodIssuesToDetails(r.error, [], lang) };
}
