import * as z from "zod/mini";
import type { Bilingual, Lang } from "../errors.js";

/**
 * Our own zh/en texts for zod's issue codes. The schemas are built with `zod/mini`, which ships
 * no messages (and we bundle none of zod's locale packs), so every validation message a user
 * sees comes from here: `validate(schema, data, lang)` passes `ISSUE_MESSAGES[lang]` as the
 * parse's error map.
 *
 * A schema's own rule (a refinement, an issue added in a superRefine or transform) carries its
 * text in both languages as the issue's `params` — build those with `says` / `customIssue`.
 */

type RawIssue = z.core.$ZodRawIssue;

/** Params for `z.refine(fn, says(zh, en))`: the check's message in both languages. */
export function says(zh: string, en: string): { params: Bilingual } {
  return { params: { zh, en } };
}

/** An issue for `ctx.addIssue(...)` inside a superRefine or transform, with its text in both languages. */
export function customIssue(path: (string | number)[] | undefined, zh: string, en: string): { code: "custom"; path?: (string | number)[]; params: Bilingual } {
  return path ? { code: "custom", path, params: { zh, en } } : { code: "custom", params: { zh, en } };
}

/** The type name of a value as the messages show it (`received …`). */
function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : Number.isFinite(v) ? "number" : String(v);
  return typeof v;
}

const TYPE_ZH: Readonly<Record<string, string>> = {
  string: "文本",
  number: "数字",
  int: "整数",
  boolean: "是/否（布尔值）",
  object: "对象",
  array: "数组",
  null: "空值 null",
  undefined: "空（缺失）",
  bigint: "大整数",
  date: "日期",
  NaN: "NaN",
  Infinity: "无穷大",
  "-Infinity": "负无穷大",
  symbol: "符号",
  function: "函数",
};
const typeZh = (t: string) => TYPE_ZH[t] ?? t;

/** Units of sized values (`string` → characters …). */
const UNIT: Readonly<Record<string, Bilingual>> = {
  string: { zh: "个字符", en: "characters" },
  array: { zh: "项", en: "items" },
  set: { zh: "项", en: "items" },
  map: { zh: "条", en: "entries" },
  file: { zh: "字节", en: "bytes" },
};

/** Formats whose text is ours (the rest fall back to the format's name). */
const FORMAT: Readonly<Record<string, Bilingual>> = {
  email: { zh: "应为电子邮件地址", en: "expected an e-mail address" },
  datetime: { zh: "应为 ISO-8601 日期时间（如 2026-03-01T08:00:00Z）", en: "expected an ISO-8601 date-time" },
  date: { zh: "应为日期 YYYY-MM-DD", en: "Invalid ISO date" },
  url: { zh: "应为网址", en: "Invalid URL" },
  uuid: { zh: "应为 UUID", en: "Invalid UUID" },
};

const quote = (v: unknown) => (typeof v === "string" ? `"${v}"` : typeof v === "bigint" ? `${v}n` : String(v));

/** The message of one issue in `lang`. */
export function issueMessage(issue: RawIssue, lang: Lang): string {
  const zh = lang === "zh";
  switch (issue.code) {
    case "invalid_type": {
      const received = typeOf(issue.input);
      if (zh) return issue.input === undefined ? `缺少此项（应为${typeZh(issue.expected)}）` : `应为${typeZh(issue.expected)}，实际为${typeZh(received)}`;
      return `Invalid input: expected ${issue.expected}, received ${received}`;
    }
    case "invalid_value":
      if (issue.values.length === 1) return zh ? `应为 ${quote(issue.values[0])}` : `Invalid input: expected ${quote(issue.values[0])}`;
      return zh ? `无效选项，可选：${issue.values.map(quote).join("|")}` : `Invalid option: expected one of ${issue.values.map(quote).join("|")}`;
    case "too_big":
    case "too_small": {
      const big = issue.code === "too_big";
      const limit = String(big ? (issue as { maximum: number | bigint }).maximum : (issue as { minimum: number | bigint }).minimum);
      const unit = UNIT[issue.origin];
      const op = issue.exact ? (zh ? "恰好 " : "exactly ") : big ? (issue.inclusive ? "<=" : "<") : issue.inclusive ? ">=" : ">";
      if (zh) {
        if (unit) {
          if (issue.exact) return `应恰好有 ${limit} ${unit.zh}`;
          return big ? `过长：最多 ${limit} ${unit.zh}` : `过短：至少 ${limit} ${unit.zh}`;
        }
        return `${big ? "过大" : "过小"}：应 ${op.replace("<=", "≤").replace(">=", "≥")}${limit}`;
      }
      const what = big ? "Too big" : "Too small";
      return unit ? `${what}: expected ${issue.origin} to have ${op}${limit} ${unit.en}` : `${what}: expected ${issue.origin ?? "value"} to be ${op}${limit}`;
    }
    case "invalid_format": {
      const f = FORMAT[issue.format];
      if (f) return f[lang];
      if (issue.format === "regex") return zh ? `格式无效：应符合 ${issue.pattern}` : `Invalid string: must match pattern ${issue.pattern}`;
      return zh ? `格式无效（${issue.format}）` : `Invalid ${issue.format}`;
    }
    case "not_multiple_of":
      return zh ? `应为 ${String(issue.divisor)} 的倍数` : `Invalid number: must be a multiple of ${String(issue.divisor)}`;
    case "unrecognized_keys":
      return zh ? `未知字段：${issue.keys.join("、")}` : `Unrecognized key${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.map(quote).join(", ")}`;
    case "invalid_key":
      return zh ? `${issue.origin} 中有无效的键` : `Invalid key in ${issue.origin}`;
    case "invalid_element":
      return zh ? `${issue.origin} 中有无效的值` : `Invalid value in ${issue.origin}`;
    case "invalid_union": {
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options) && options.length > 0) {
        const opts = options.map((o) => `'${String(o)}'`).join(" | ");
        return zh ? `类型值无效，可选：${opts}` : `Invalid discriminator value. Expected ${opts}`;
      }
      return zh ? "输入无效" : "Invalid input";
    }
    case "custom": {
      const p = issue.params as Partial<Bilingual> | undefined;
      return p?.[lang] ?? (zh ? "输入无效" : "Invalid input");
    }
    default:
      return zh ? "输入无效" : "Invalid input";
  }
}

/** Error maps for a parse (`schema.safeParse(data, { error: ISSUE_MESSAGES.zh })`). */
export const ISSUE_MESSAGES: Readonly<Record<Lang, (issue: RawIssue) => string>> = {
  zh: (issue) => issueMessage(issue, "zh"),
  en: (issue) => issueMessage(issue, "en"),
};

// English is the default for any parse that names no language (a bare `schema.safeParse(x)`),
// as zod's own English messages were before.
z.config({ localeError: ISSUE_MESSAGES.en });

/** The text of a detail for an unknown field. */
export const UNKNOWN_FIELD: Bilingual = { zh: "未知字段", en: "unknown field" };
