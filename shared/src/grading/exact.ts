/**
 * Exact rational arithmetic on bigints, so that no binary floating-point rounding decides a
 * grade, a class, a tier or a visit count at a cut-off. A JS number is read through its shortest decimal
 * representation (the same digits a user typed into a cell), so 0.8 is exactly 8/10.
 * Internal to the engine: not re-exported from index.ts.
 */
export interface Rational {
  /** numerator */
  n: bigint;
  /** denominator, always > 0 */
  d: bigint;
}

const TEN = 10n;

/** A finite JS number → the exact rational of its shortest decimal representation. */
export function rationalOf(x: number): Rational {
  const s = String(x); // shortest round-trip decimal, may use exponent form
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/i.exec(s);
  if (!m) return { n: 0n, d: 1n }; // only reachable for NaN/Infinity, which callers reject first
  const sign = m[1] === "-" ? -1n : 1n;
  const frac = m[3] ?? "";
  let digits = BigInt((m[2] ?? "0") + frac);
  const exp = (m[4] ? Number(m[4]) : 0) - frac.length;
  let d = 1n;
  if (exp >= 0) digits *= TEN ** BigInt(exp);
  else d = TEN ** BigInt(-exp);
  return normalize({ n: sign * digits, d });
}

export function rat(n: bigint | number, d: bigint | number = 1n): Rational {
  return normalize({ n: BigInt(n), d: BigInt(d) });
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function normalize(r: Rational): Rational {
  if (r.d < 0n) r = { n: -r.n, d: -r.d };
  const g = gcd(r.n, r.d);
  return g > 1n ? { n: r.n / g, d: r.d / g } : r;
}

export function add(a: Rational, b: Rational): Rational {
  return normalize({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
}

export function sub(a: Rational, b: Rational): Rational {
  return normalize({ n: a.n * b.d - b.n * a.d, d: a.d * b.d });
}

export function mul(a: Rational, b: Rational): Rational {
  return normalize({ n: a.n * b.n, d: a.d * b.d });
}

/** a ÷ b; b must not be zero (callers check). */
export function div(a: Rational, b: Rational): Rational {
  return normalize({ n: a.n * b.d, d: a.d * b.n });
}

/** −1, 0 or 1 as a <, =, > b. */
export function cmp(a: Rational, b: Rational): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Largest integer ≤ r. */
export function floorOf(r: Rational): bigint {
  const q = r.n / r.d; // truncates toward zero
  return r.n < 0n && q * r.d !== r.n ? q - 1n : q;
}

/**
 * The rational as a JS number rounded half away from zero to `places` decimals, so an exact
 * 75 comes out as exactly 75 and 1/3 as 0.333333333333 (12 places by default).
 */
export function toNumber(r: Rational, places = 12): number {
  const scale = TEN ** BigInt(places);
  const scaled = r.n * scale * 2n;
  const twice = scaled / r.d;
  const q = (twice + (twice >= 0n ? 1n : -1n)) / 2n;
  return Number(q) / Number(scale);
}
