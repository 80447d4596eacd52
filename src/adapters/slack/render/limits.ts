// Block Kit limits in one table (node-slack-sdk packages/types/src/block-kit/*.ts, PLATFORM.md).
// The renderer truncates to these and never throws: a card with a long comment still posts.
export const slackLimits = {
  blocksPerMessage: 50,
  /** Modals and the Home tab. */
  blocksPerSurface: 100,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  imageUrl: 3000,
  altText: 2000,
  messageText: 40_000,
} as const;

export const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` UTF-16 units, ending with an ellipsis. Never splits a surrogate
 * pair or an `&amp;`-style entity (text is usually escaped before it is cut).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = text.slice(0, max - ELLIPSIS.length);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-z]{0,3}$/, '');
  return `${cut.trimEnd()}${ELLIPSIS}`;
}
