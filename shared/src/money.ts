import { fail, ok, errors, type Result } from "./errors.js";

/**
 * Money (docs/contracts.md §1.1): boundaries carry yuan as a decimal number with ≤ 2 decimals;
 * inside the engine money is an integer number of fen (分). Fen values are kept as JS numbers
 * that are safe integers (|x| < 2^53 fen ≈ 90 trillion yuan), which every operation checks.
 */
export type Fen = number;

/** Yuan (number or decimal string) → integer fen, rounding half away from zero at 0.01. */
export function yuanToFen(yuan: number | string, arg = "amount"): Result<Fen> {
  if (typeof yuan === "string") {
    const t = yuan.trim().replace(/[,，¥￥元\s]/g, "");
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return { ok: false, error: errors.notANumber(arg, yuan) };
    return decimalStringToFen(t, arg);
  }
  if (!Number.isFinite(yuan)) return { ok: false, error: errors.notANumber(arg, yuan) };
  // Go through the shortest decimal representation so 0.1 + 0.2-style binary noise never decides rounding.
  const s = Math.abs(yuan) < 1e-7 ? "0" : yuan.toPrecision(15);
  if (/e/i.test(s)) {
    const fen = Math.round(yuan * 100);
    return Number.isSafeInteger(fen) ? ok(fen === 0 ? 0 : fen) : fail("num", arg, { zh: "金额超出范围", en: "amount out of range" });
  }
  return decimalStringToFen(s, arg);
}

function decimalStringToFen(t: string, arg: string): Result<Fen> {
  const neg = t.startsWith("-");
  const body = t.replace(/^[+-]/, "");
  const [intPart = "0", fracPart = ""] = body.split(".");
  const frac = (fracPart + "000").slice(0, 3);
  let fen = Number(intPart || "0") * 100 + Number(frac.slice(0, 2));
  if (Number(frac[2]) >= 5) fen += 1; // half away from zero (sign applied after)
  if (!Number.isSafeInteger(fen)) return fail("num", arg, { zh: "金额超出范围", en: "amount out of range" });
  return ok(neg && fen !== 0 ? -fen : fen);
}

/** Fen → yuan number for output (exact to 2 decimals in decimal representation). */
export function fenToYuan(fen: Fen): number {
  return fen / 100;
}

/**
 * Yuan amounts of at most 2 decimals (stored, schema-checked) → their sum in integer fen, exact:
 * each amount is rounded to the fen before adding, so binary noise never accumulates.
 */
export function sumFen(amountsYuan: Iterable<number>): Fen {
  let fen = 0;
  for (const y of amountsYuan) fen += Math.round(y * 100);
  return fen;
}

/** The exact sum of stored yuan amounts, in yuan (see `sumFen`). */
export function sumYuan(amountsYuan: Iterable<number>): number {
  return fenToYuan(sumFen(amountsYuan));
}
