/**
 * Errors, not exceptions (docs/contracts.md §2). Every engine function that takes user input
 * returns a `Result<T>`; the edges translate a `KamError` into an Excel error, an HTTP 4xx body
 * or a pane message.
 */
export type KamErrorCode = "value" | "div0" | "num" | "na";

export interface Bilingual {
  zh: string;
  en: string;
}

export interface KamError {
  code: KamErrorCode;
  /** The argument / input key / field the error is about. */
  arg?: string;
  message: Bilingual;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: KamError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: KamErrorCode, arg: string | undefined, message: Bilingual): Result<T> {
  return { ok: false, error: arg === undefined ? { code, message } : { code, arg, message } };
}

export function kamError(code: KamErrorCode, arg: string | undefined, message: Bilingual): KamError {
  return arg === undefined ? { code, message } : { code, arg, message };
}

/** An account the store does not have, or the caller may not read (`KAM.ACCOUNT`, `KAM.HEALTH` …). */
export function unknownAccount(call: { account: string }): KamError {
  return kamError("na", "account", { zh: `找不到客户 ${call.account}，或无权查看`, en: `no account ${call.account} that you may read` });
}

/** The Excel error each code maps to. */
export const EXCEL_ERROR: Readonly<Record<KamErrorCode, "#VALUE!" | "#DIV/0!" | "#NUM!" | "#N/A">> = {
  value: "#VALUE!",
  div0: "#DIV/0!",
  num: "#NUM!",
  na: "#N/A",
};

export function excelErrorOf(error: KamError): "#VALUE!" | "#DIV/0!" | "#NUM!" | "#N/A" {
  return EXCEL_ERROR[error.code];
}

/** Message in one language, prefixed with the argument name ("salesPlan: 计划为 0"). */
export function messageOf(error: KamError, lang: Lang): string {
  const text = error.message[lang];
  return error.arg ? `${error.arg}: ${text}` : text;
}

export type Lang = "zh" | "en";

/**
 * The text of a message for its reader: `msg(lang, "没有指标 x", "no target x")` in the reader's
 * language, or `msg("both", …)` = both, as API error details carry them when the language is not
 * known (`en / zh`).
 */
export function msg(lang: Lang | "both", zh: string, en: string): string {
  if (lang === "both") return `${en} / ${zh}`;
  return lang === "zh" ? zh : en;
}

/** One message in both languages (`en / zh`): `msg("both", …)` of a bilingual message. */
export function bilingualMessage(m: Bilingual): string {
  return msg("both", m.zh, m.en);
}

/** Common error builders so messages read the same everywhere. */
export const errors = {
  missing(arg: string, label?: Bilingual): KamError {
    return kamError("na", arg, {
      zh: `缺少输入“${label?.zh ?? arg}”`,
      en: `missing input "${label?.en ?? arg}"`,
    });
  },
  notANumber(arg: string, got: unknown): KamError {
    return kamError("value", arg, {
      zh: `应为数字，实际为 ${describe(got)}`,
      en: `expected a number, got ${describe(got)}`,
    });
  },
  negative(arg: string): KamError {
    return kamError("num", arg, { zh: "不能为负数", en: "must not be negative" });
  },
  zeroDenominator(arg: string, label?: Bilingual): KamError {
    return kamError("div0", arg, {
      zh: `${label?.zh ?? arg}为 0，无法计算比率`,
      en: `${label?.en ?? arg} is 0, the ratio is undefined`,
    });
  },
  outOfRange(arg: string, range: string): KamError {
    return kamError("num", arg, { zh: `超出范围 ${range}`, en: `out of range ${range}` });
  },
  badChoice(arg: string, got: unknown, allowed: readonly string[]): KamError {
    return kamError("value", arg, {
      zh: `无法识别的值 ${describe(got)}，可选：${allowed.join("、")}`,
      en: `unrecognised value ${describe(got)}; allowed: ${allowed.join(", ")}`,
    });
  },
};

export function describe(v: unknown): string {
  if (v === null || v === undefined) return "empty";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "a range";
  return typeof v;
}
