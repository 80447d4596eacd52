// Teams TextBlock (and Fact) text is a CommonMark subset: **bold**, _italic_ (and *italic*),
// "- " / "1. " lists at line start and [links](url) (learn.microsoft.com/adaptive-cards,
// "Text features"). Teams desktop/web and the Agents Playground parse it with a CommonMark
// parser, so they also honour a few constructs outside that subset: `code`, ~~strike~~,
// "# " headings, "> " quotes, setext underlines ("===" / "---") and "+ " lists. Literal text
// escapes exactly those with CommonMark backslash escapes. `<` is escaped too: the Agents
// Playground drops a raw `<word>` as an HTML tag ("a <alias> b" shows "a  b"), while `\<` shows
// `<`. `&` is left alone: renderers escape entities themselves.
// `{{` is broken with a zero-width space so `{{DATE(...)}}` in customer text stays text.
import { splitMarkup, stripMarkup } from '../../../core/messages/markup.ts';

const ZWSP = '\u200B';

/** One logical line break; a single `\n` would be folded into a space by the markdown parser. */
function paragraphs(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\n+/g, '\n\n');
}

/** Escapes customer/user text so Teams shows it literally. */
export function escapeTeamsMarkdown(text: string): string {
  const inline = text
    .replace(/[\\*_[\]`<]/g, '\\$&')
    .replaceAll('~~', '\\~\\~')
    .replaceAll('{{', `{${ZWSP}{`);
  return paragraphs(inline)
    .split('\n')
    .map(escapeLineStart)
    .join('\n');
}

// Block syntax only counts at the start of a line: list markers and "#" need a following space,
// "=" / "-" only form a setext underline when they fill the line, ">" needs nothing.
function escapeLineStart(line: string): string {
  return line
    .replace(/^(\s*)([-+]|#{1,6})(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*)(>|=+\s*$|-+\s*$)/, '$1\\$2')
    .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/**
 * Our markup → Teams markdown: `*bold*` becomes `**bold**` (a single `*` is italic there),
 * `_italic_` and `` `code` `` pass through, literal spans are escaped.
 */
export function markupToTeams(markup: string): string {
  return splitMarkup(markup)
    .map((span) => (span.literal ? escapeTeamsMarkdown(span.text) : paragraphs(span.text.replaceAll('*', '**'))))
    .join('');
}

/** Plain text for places without markdown (button titles, labels, fallbackText). */
export function teamsPlainText(text: string): string {
  return stripMarkup(text).replace(/\s+/g, ' ').trim();
}
