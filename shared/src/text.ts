/**
 * Header / choice matching: ignores case, spaces and full-width vs half-width differences
 * (NFKC folds full-width Latin letters, digits and punctuation to half-width).
 */
export function normalizeKey(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(/[\s_\-·・]+/g, "");
}
