// Our own tiny markup for section text, translated per platform by the renderers:
//   *bold*   _italic_   `code`   and mentions written as {{user:PERSON_REF}} are NOT supported:
// core never writes platform mention syntax. Anything interpolated from customer or user input
// into a section must go through `plain()` so renderers escape it instead of interpreting it.
//
// The renderers escape every section's text for their platform (Slack: & < >; Teams: markdown
// characters) EXCEPT the markup characters that `plain()` did not wrap. To keep that simple,
// `plain()` marks a span as literal with private-use delimiters the renderers understand.
export const LITERAL_OPEN = '\uE000';
export const LITERAL_CLOSE = '\uE001';

/** Mark user/customer text inside our markup as literal (escaped, never parsed). */
export function plain(text: string): string {
  return LITERAL_OPEN + text.replaceAll(LITERAL_OPEN, '').replaceAll(LITERAL_CLOSE, '') + LITERAL_CLOSE;
}

export type MarkupSpan = { literal: boolean; text: string };

/** Split markup into spans of our markup and literal (user) text. */
export function splitMarkup(text: string): MarkupSpan[] {
  const spans: MarkupSpan[] = [];
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf(LITERAL_OPEN);
    if (open === -1) {
      spans.push({ literal: false, text: rest });
      break;
    }
    if (open > 0) spans.push({ literal: false, text: rest.slice(0, open) });
    const close = rest.indexOf(LITERAL_CLOSE, open + 1);
    const end = close === -1 ? rest.length : close;
    spans.push({ literal: true, text: rest.slice(open + 1, end) });
    rest = close === -1 ? '' : rest.slice(close + 1);
  }
  return spans;
}

/** Plain text of markup (for fallback `text`): delimiters removed. */
export function stripMarkup(text: string): string {
  return text.replaceAll(LITERAL_OPEN, '').replaceAll(LITERAL_CLOSE, '');
}
