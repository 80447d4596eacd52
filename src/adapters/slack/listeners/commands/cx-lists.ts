// `/cx mine`, `/cx open`, `/cx customer <name|email|id>`: read-only lists, answered privately.
import type { FeedbackItem, ItemView } from '../../../../core/feedback/item.ts';
import { buildCustomerProfile, buildItemList } from '../../../../core/messages/item-list.ts';
import { plain } from '../../../../core/messages/markup.ts';
import { customerLabel } from '../../../../core/messages/text.ts';
import type { Actor, SlackDeps } from '../../context.ts';
import type { CommandIo } from './command-kit.ts';

const LIST_LIMIT = 20;

/** Lists show the customer: load the views of the items shown. */
async function withPeople(deps: SlackDeps, workspaceId: string, items: FeedbackItem[]): Promise<(FeedbackItem | ItemView)[]> {
  const shown = await Promise.all(
    items.slice(0, LIST_LIMIT).map(async (i) => (await deps.repos.feedback.view(workspaceId, i.id)) ?? i),
  );
  return [...shown, ...items.slice(LIST_LIMIT)];
}

export async function answerMine(deps: SlackDeps, io: CommandIo, actor: Actor): Promise<void> {
  const items = await deps.repos.feedback.list(actor.workspaceId, { status: ['claimed'], claimedById: actor.person.id, limit: 100 });
  const message = buildItemList('Your items', await withPeople(deps, actor.workspaceId, items), deps.clock.now(), {
    timezone: actor.tz ?? deps.timezone,
    limit: LIST_LIMIT,
    emptyText: 'You own no open items. `/cx open` shows the ones that need an owner.',
  });
  await io.reply(message);
}

export async function answerOpen(deps: SlackDeps, io: CommandIo, actor: Actor): Promise<void> {
  const items = await deps.repos.feedback.list(actor.workspaceId, { status: ['open'], limit: 100 });
  const message = buildItemList('Needs an owner', await withPeople(deps, actor.workspaceId, items), deps.clock.now(), {
    timezone: actor.tz ?? deps.timezone,
    limit: LIST_LIMIT,
    emptyText: 'Every item has an owner. Nice work.',
  });
  await io.reply(message);
}

export async function answerCustomer(deps: SlackDeps, io: CommandIo, actor: Actor, query: string): Promise<void> {
  const matches = await deps.repos.customers.search(actor.workspaceId, query, 5);
  const [customer, ...others] = matches;
  if (!customer) {
    await io.reply({
      text: `No customer matches “${query}”.`,
      blocks: [{ type: 'section', text: `No customer matches “${plain(query)}”. Try a name, an email or an id.` }],
    });
    return;
  }
  const items = await deps.repos.feedback.list(actor.workspaceId, { customerId: customer.id, limit: 200 });
  const message = buildCustomerProfile(customer, items, deps.clock.now(), { timezone: actor.tz ?? deps.timezone });
  if (others.length > 0) {
    message.blocks.push({ type: 'context', items: [`Also matching: ${plain(others.map((c) => customerLabel(c)).join('; '))}`] });
  }
  await io.reply(message);
}
