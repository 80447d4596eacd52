// The reply to `/cx learned ...` (pure).
import { plain } from '../messages/markup.ts';
import type { Message } from '../messages/model.ts';

export function learningSharedMessage(r: {
  created: boolean;
  customer: { name: string | null } | null;
  customerQuery?: string | null;
  customerNotFound: boolean;
}): Message {
  if (!r.created) return { text: 'Already shared', blocks: [{ type: 'section', text: 'That one is already in the next digest.' }] };
  const about = r.customer ? ` about ${plain(r.customer.name ?? 'the customer')}` : '';
  const missing =
    r.customerNotFound && r.customerQuery
      ? ` I could not find one customer matching ${plain(r.customerQuery)}, so it is saved without a customer.`
      : '';
  return {
    text: 'Thanks for sharing!',
    blocks: [{ type: 'section', text: `Thanks for sharing what you learned${about}! It will be in the next customer-first digest.${missing}` }],
  };
}
