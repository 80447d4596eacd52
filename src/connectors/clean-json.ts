// Postgres cannot store U+0000 in text or jsonb, and jsonb refuses a lone UTF-16 surrogate
// ("\ud800" is valid JSON but not valid Unicode). Provider text is customer text: keep it, minus
// the NULs, with each lone surrogate replaced by U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(s: string): string {
  const noNul = s.includes('\u0000') ? s.replaceAll('\u0000', '') : s;
  return noNul.replace(LONE_SURROGATE, '\uFFFD');
}

/** A deep copy of parsed JSON with every string (keys too) cleaned. */
export function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanJson(v)]));
  }
  return value;
}
