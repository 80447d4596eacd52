// Adaptive Card limits in one table. Teams rejects bot messages past ~100 KB (413) and advises
// staying under 80 KB; cards are capped below that so the activity envelope and an appended
// Action.ShowCard form still fit (PLATFORM.md). Text limits are ours: long enough to read, short
// enough that one huge comment cannot crowd out the rest of the card.
export const teamsLimits = {
  cardBytes: 70_000,
  maxCardBytes: 80_000,
  headerText: 300,
  sectionText: 10_000,
  quoteText: 10_000,
  factTitle: 200,
  factValue: 2_000,
  contextText: 2_000,
  buttonTitle: 75,
  altText: 1_000,
  fallbackText: 2_000,
  inputLabel: 200,
  /** Teams' host config renders at most 6 actions per set. */
  actionsPerSet: 6,
  /** Refresh runs automatically for at most 60 users (Universal Actions). */
  refreshUserIds: 60,
  /** The size guard never shrinks a text below this. */
  minShrunkText: 120,
} as const;

export const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` UTF-16 units, ending with an ellipsis. Never splits a surrogate
 * pair or leaves a dangling markdown escape backslash.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = text.slice(0, max - ELLIPSIS.length);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}${ELLIPSIS}`;
}

const encoder = new TextEncoder();

/** Size of the card as it goes on the wire (UTF-8 JSON). */
export function cardBytes(card: unknown): number {
  return encoder.encode(JSON.stringify(card)).length;
}
