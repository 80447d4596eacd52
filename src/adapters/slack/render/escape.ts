// Slack mrkdwn escaping. `&`, `<`, `>` are Slack's control characters: escaped in ALL text we
// send, our own markup included (we never emit raw links or mentions), so `<!channel>`,
// `<!here>`, `<@U123>` or `<https://x|y>` typed by a customer render literally and ping nobody.
// mrkdwn has no backslash escape, so literal spans (from `plain()`) also get their formatting
// characters fenced with zero-width spaces: a delimiter with a ZWSP on both sides can neither
// open nor close bold/italic/strike/code, whichever way Slack classifies the ZWSP, and it stays
// invisible (copy/paste keeps the character itself).
import { splitMarkup, stripMarkup } from '../../../core/messages/markup.ts';
import { slackLimits, truncate } from './limits.ts';

const ZWSP = '\u200B';

/** Escapes Slack's control characters `&`, `<`, `>` (and nothing else). */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Literal text: control characters escaped and `*` `_` `~` `` ` `` neutralised. */
export function literalMrkdwn(text: string): string {
  return escapeMrkdwn(text).replace(/[*_~`]/g, (c) => `${ZWSP}${c}${ZWSP}`);
}

/**
 * Our markup (see core/messages/markup.ts) → mrkdwn. Our `*bold*`, `_italic_` and `` `code` ``
 * are mrkdwn already and pass through; literal spans are fully neutralised.
 */
export function markupToMrkdwn(markup: string): string {
  return splitMarkup(markup)
    .map((span) => (span.literal ? literalMrkdwn(span.text) : escapeMrkdwn(span.text)))
    .join('');
}

/** Plain fallback / notification text: markup delimiters dropped, escaped, ≤ 40,000 chars. */
export function toSlackText(text: string): string {
  return truncate(escapeMrkdwn(stripMarkup(text)), slackLimits.messageText);
}

/** `> `-quoted mrkdwn lines of customer words (fully literal). */
export function quoteMrkdwn(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => `> ${literalMrkdwn(line)}`)
    .join('\n');
}
