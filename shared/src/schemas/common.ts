import * as z from "zod/mini";
import { isIsoDate } from "../dates.js";
import { describe, fail, ok, type Result } from "../errors.js";
import { yuanToFen, fenToYuan } from "../money.js";
import { parsePeriod } from "../periods.js";
import type { EnumEntry } from "../labels.js";
import { customIssue, says } from "./messages.js";

/**
 * Building blocks shared by every stored entity and API envelope (docs/contracts.md §1.1,
 * §6): unknown fields rejected, strings length-limited, numbers finite,
 * dates ISO-8601). Objects are built with `z.strictObject` so an unknown field is an error
 * that names its path. Built with `zod/mini`; messages in zh and en come from messages.ts.
 */

/** Length limits (characters) — one table so the pane can show them next to its columns. */
export const TEXT_LIMITS = {
  id: 128,
  name: 200,
  short: 100,
  phone: 50,
  postcode: 20,
  email: 254,
  url: 500,
  address: 500,
  text: 2000,
  longText: 4000,
} as const;

/**
 * An id (account, contact, user, contract …). Any printable characters except whitespace,
 * control characters, the bidirectional-text controls (U+061C, U+200E/F, U+202A–202E,
 * U+2066–2069: they make an id look like another one in a sheet), U+FFFD (what a broken decoder
 * leaves of bytes that were not UTF-8) and the characters that would
 * break a store key or a URL path segment (`#`, `/`, `\`, `?`, `%`). Entra object ids (UUIDs),
 * sheet codes like `KA-001` and Chinese codes all pass. Body ids and path ids follow this rule.
 */
const ID_PATTERN = /^[^\s#/\\?%\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFFFD]+$/u;
export const IdSchema = z.string().check(
  z.minLength(1),
  z.maxLength(TEXT_LIMITS.id),
  z.refine(
    (s) => ID_PATTERN.test(s),
    says(
      "编号不能含空格、控制字符、双向文字控制符或 # / \\ ? % 中的任何字符",
      "id must not contain spaces, control or bidirectional-text characters, or any of # / \\ ? %",
    ),
  ),
);
export type Id = z.infer<typeof IdSchema>;

/** Free text limited to `max` characters. */
export function text(max: number = TEXT_LIMITS.text) {
  return once(`text:${max}`, () => z.string().check(z.maxLength(max)));
}

/** Non-empty text (after trimming) limited to `max` characters. */
export function requiredText(max: number = TEXT_LIMITS.name) {
  return once(`requiredText:${max}`, () =>
    z.string().check(
      z.maxLength(max),
      z.refine((s) => s.trim().length > 0, says("不能为空", "must not be empty")),
    ),
  );
}

/**
 * Schemas are immutable, so one instance serves every field with the same rule: the helpers
 * below build each distinct schema once. Building a zod schema allocates a good deal, and the
 * schema modules build hundreds of fields when a Lambda handler or the pane loads them.
 */
const built = new Map<string, unknown>();
function once<T>(key: string, make: () => T): T {
  let s = built.get(key) as T | undefined;
  if (s === undefined) built.set(key, (s = make()));
  return s;
}
const optionals = new WeakMap<object, z.ZodMiniOptional>();
const clearables = new WeakMap<object, z.ZodMiniOptional<z.ZodMiniNullable>>();
function optionalOf<S extends z.core.$ZodType>(s: S): z.ZodMiniOptional<S> {
  let o = optionals.get(s);
  if (!o) optionals.set(s, (o = z.optional(s)));
  return o as z.ZodMiniOptional<S>;
}
function clearableOf<S extends z.core.$ZodType>(s: S): z.ZodMiniOptional<z.ZodMiniNullable<S>> {
  let o = clearables.get(s);
  if (!o) clearables.set(s, (o = z.optional(z.nullable(s))));
  return o as z.ZodMiniOptional<z.ZodMiniNullable<S>>;
}

/** ISO calendar date `YYYY-MM-DD` (docs/contracts.md §1.2), checked against the real calendar. */
export const IsoDateSchema = z.string().check(z.maxLength(10), z.refine(isIsoDate, says("应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD")));

/** Month `YYYY-MM`. */
export const MonthSchema = z.string().check(
  z.maxLength(7),
  z.refine((s) => /^\d{4}-\d{2}$/.test(s) && isIsoDate(`${s}-01`), says("应为月份 YYYY-MM", "expected a month YYYY-MM")),
);

/** Instant (UTC) as ISO-8601 date-time, e.g. `2026-03-01T08:00:00.000Z` (server timestamps). */
export const TimestampSchema = z.iso.datetime({ offset: true });

/**
 * A period id — `2026`, `2026-H1`, `2026-Q3`, `2026-09` (docs/domain.md §6, docs/contracts.md §1.3).
 * Any spelling `parsePeriod` accepts (`2026q3`, `2026-9`) is turned into the canonical id.
 */
export const PeriodIdSchema = z.pipe(
  z.string().check(z.maxLength(20)),
  z.transform((s: string, ctx) => {
    const p = parsePeriod(s);
    if (!p.ok || /^\d{4}-\d{2}-\d{2}$/.test(s.trim())) {
      ctx.issues.push({ ...customIssue(undefined, "应为期间 2026、2026-H1、2026-Q3 或 2026-09", "expected a period 2026, 2026-H1, 2026-Q3 or 2026-09"), input: s });
      return z.NEVER;
    }
    return p.value.id;
  }),
);

/** Largest amount accepted, in yuan: 10^13 元 (10 万亿) keeps fen far inside safe integers. */
export const MAX_AMOUNT_YUAN = 1e13;

/**
 * Money in yuan as a decimal number with at most 2 decimals (docs/contracts.md §1.1). The check goes
 * through `yuanToFen` so `0.29` passes and `1.005` fails whatever binary noise the double carries.
 */
export function moneyYuan(opts: { min?: number; positive?: boolean } = {}) {
  const min = opts.min ?? 0;
  return once(`money:${min}:${opts.positive === true}`, () => z.number().check(
    z.refine(Number.isFinite, FINITE),
    z.refine((v) => Math.abs(v) <= MAX_AMOUNT_YUAN, says(`金额超出范围（|x| ≤ ${MAX_AMOUNT_YUAN} 元）`, `amount out of range (|x| ≤ ${MAX_AMOUNT_YUAN} yuan)`)),
    z.refine((v) => hasAtMostTwoDecimals(v), says("金额（元）最多两位小数", "amount in yuan must have at most 2 decimals")),
    z.refine(
      (v) => (opts.positive ? v > 0 : v >= min),
      opts.positive ? says("金额必须大于 0", "amount must be greater than 0") : says(`金额不能小于 ${min}`, `amount must be at least ${min}`),
    ),
  ));
}

/** True when a yuan amount is exactly representable in fen (≤ 2 decimals). */
export function hasAtMostTwoDecimals(yuan: number): boolean {
  const fen = yuanToFen(yuan);
  return fen.ok && fenToYuan(fen.value) === yuan;
}

/** The check message for a non-finite number. */
export const FINITE = says("应为有限数字", "expected a finite number");

/** A whole number in [min, max]. */
export function intIn(min: number, max: number) {
  return once(`int:${min}:${max}`, () => z.int().check(z.gte(min), z.lte(max)));
}

/** A 1–5 rating (docs/domain.md §2: intimacy, professionalism, support). */
export const RatingSchema = intIn(1, 5);

/** A non-negative whole count. */
export const CountSchema = intIn(0, 1_000_000);

/** Zod schema accepting only the stored ids of one labels.ts enum. */
export function enumId<const Id extends string>(e: { ids: readonly Id[] }) {
  return once(`enum:${e.ids.join("|")}`, () => z.enum(e.ids as unknown as [Id, ...Id[]]));
}

/**
 * Turn a sheet cell (`"国企"`, `"State-owned"`, `"stateOwned"`, `" 国 企 "`) into the enum's stored id
 * before validation. Empty cells give `undefined`; anything else unknown is a `#VALUE!` error
 * listing the choices.
 */
export function parseEnumInput<Id extends string>(
  e: { entries: readonly EnumEntry<Id>[]; parse(s: unknown): Id | undefined },
  value: unknown,
  arg = "value",
): Result<Id | undefined> {
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) return ok(undefined);
  const id = e.parse(typeof value === "number" ? String(value) : value);
  if (id !== undefined) return ok(id);
  return fail("value", arg, {
    zh: `无法识别的值 ${describe(value)}，可选：${e.entries.map((x) => x.zh).join("、")}`,
    en: `unrecognised value ${describe(value)}; allowed: ${e.entries.map((x) => x.en).join(", ")}`,
  });
}

/**
 * Replace the enum fields of a row with their stored ids (for a row read from a sheet).
 * Fields whose value cannot be parsed are left as they are so validation reports them by path.
 */
export function enumFieldsToIds<T extends Record<string, unknown>>(
  row: T,
  fields: Readonly<Record<string, { parse(s: unknown): string | undefined }>>,
): T {
  const out: Record<string, unknown> = { ...row };
  for (const [key, e] of Object.entries(fields)) {
    const v = out[key];
    if (v === null || v === undefined) continue;
    const id = e.parse(typeof v === "number" ? String(v) : v);
    if (id !== undefined) out[key] = id;
  }
  return out as T;
}

// ---------------------------------------------------------------------------------------------
// Shape helpers for the write (upsert) form of an entity — docs/contracts.md §6: fields present
// replace, fields absent keep theirs, `null` clears an optional field. Required fields may be
// omitted in a write (they keep their stored value) but can never be cleared with `null`.

type Shape = Record<string, z.core.$ZodType>;

/** Every field optional (for the stored form's optional fields). */
export function optionalFields<S extends Shape>(shape: S): { [K in keyof S]: z.ZodMiniOptional<S[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, optionalOf(s)])) as never;
}

/** Every field optional and nullable (`null` = clear), for the write form's optional fields. */
export function clearableFields<S extends Shape>(shape: S): { [K in keyof S]: z.ZodMiniOptional<z.ZodMiniNullable<S[K]>> } {
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, clearableOf(s)])) as never;
}

/** `version` as stored: an integer ≥ 0 bumped by every accepted write. */
export const VersionSchema = intIn(0, Number.MAX_SAFE_INTEGER);

/** `version` in a write: the version the client based its edit on; absent or 0 = a new item. */
export const BaseVersionSchema = z.optional(VersionSchema);
