// `/cx learned <text> [customer]`: the customer, when given, goes in square brackets at the end
// ("They export every Monday [Acme Corp]") or is a trailing e-mail address.
export type LearnedArgs = { text: string; customerQuery?: string };

export function parseLearnedArgs(input: string): LearnedArgs | { error: string } {
  let text = input.trim();
  let customerQuery: string | undefined;
  const bracket = /\[([^\]]+)\]\s*$/.exec(text);
  if (bracket) {
    customerQuery = bracket[1]!.trim();
    text = text.slice(0, bracket.index).trim();
  } else {
    const email = /\s(\S+@\S+\.\S+)$/.exec(text);
    if (email) {
      customerQuery = email[1]!;
      text = text.slice(0, email.index).trim();
    }
  }
  if (!text) {
    return {
      error: 'Tell us what you learned, e.g. `/cx learned They export every Monday for the board [Acme Corp]`.',
    };
  }
  return customerQuery ? { text, customerQuery } : { text };
}
