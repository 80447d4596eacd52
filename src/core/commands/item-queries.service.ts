// Read-only chat commands (`open`, `mine`, `customer <q>`, `status <item>`): fetch, then build the
// message. Shared by the Slack and Teams adapters so both answer the same question the same way.
import type { FeedbackItem, ItemView, Person } from '../feedback/item.ts';
import { buildFeedbackCard } from '../messages/feedback-card.ts';
import { buildCustomerProfile, buildItemList } from '../messages/item-list.ts';
import { plain } from '../messages/markup.ts';
import type { Message } from '../messages/model.ts';
import { customerLabel, noticeMessage } from '../messages/text.ts';
import type { Clock, CustomerRepo, FeedbackRepo } from '../ports.ts';

export type ItemQueriesDeps = {
  feedback: Pick<FeedbackRepo, 'list' | 'view'>;
  customers: Pick<CustomerRepo, 'search'>;
  clock: Clock;
  timezone?: string;
};

const LIST_LIMIT = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type StatusResult = { ok: true; view: ItemView; message: Message } | { ok: false; message: Message };

export function createItemQueries(deps: ItemQueriesDeps) {
  const opts = { timezone: deps.timezone };

  /** Lists read better with the customer's name: load views for what is shown (≤ 21 rows). */
  async function views(workspaceId: string, items: FeedbackItem[]): Promise<ItemView[]> {
    const loaded = await Promise.all(items.map((i) => deps.feedback.view(workspaceId, i.id)));
    return loaded.filter((v): v is ItemView => v !== null);
  }

  return {
    async open(workspaceId: string): Promise<Message> {
      const items = await deps.feedback.list(workspaceId, { status: ['open'], limit: LIST_LIMIT + 1 });
      return buildItemList('Open feedback', await views(workspaceId, items), deps.clock.now(), {
        ...opts,
        limit: LIST_LIMIT,
        emptyText: 'Nothing is waiting for an owner. 🎉',
      });
    },

    async mine(workspaceId: string, person: Pick<Person, 'id'>): Promise<Message> {
      const items = await deps.feedback.list(workspaceId, {
        status: ['claimed'],
        claimedById: person.id,
        limit: LIST_LIMIT + 1,
      });
      return buildItemList('Your feedback items', await views(workspaceId, items), deps.clock.now(), {
        ...opts,
        limit: LIST_LIMIT,
        emptyText: 'You own no open items. Type `open` to find one.',
      });
    },

    async customer(workspaceId: string, query: string): Promise<Message> {
      const found = await deps.customers.search(workspaceId, query, 6);
      if (found.length === 0) return noticeMessage(`No customer matches "${query}".`);
      const exact = found.length === 1 ? found[0]! : null;
      if (!exact) {
        const names = found.slice(0, 5).map((c) => `• ${plain(customerLabel(c))}`);
        const more = found.length > 5 ? '\n…and more' : '';
        return {
          text: `${found.length} customers match "${query}"`,
          blocks: [{ type: 'section', text: `Several customers match ${plain(`"${query}"`)}:\n${names.join('\n')}${more}` }],
        };
      }
      const items = await deps.feedback.list(workspaceId, { customerId: exact.id, limit: 200 });
      return buildCustomerProfile(exact, await views(workspaceId, items), deps.clock.now(), opts);
    },

    async status(workspaceId: string, itemId: string): Promise<StatusResult> {
      const id = itemId.trim();
      const view = UUID.test(id) ? await deps.feedback.view(workspaceId, id) : null;
      if (!view) return { ok: false, message: noticeMessage(`No feedback item with id "${id}".`) };
      return { ok: true, view, message: buildFeedbackCard(view, deps.clock.now(), opts) };
    },
  };
}

export type ItemQueries = ReturnType<typeof createItemQueries>;
