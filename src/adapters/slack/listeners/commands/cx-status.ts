// `/cx status <item>`: the item's card, where it was posted, and its timeline with every delivery
// attempt. The item is named by its id or by a link to one of its Slack posts ("Copy link").
import { buildItemStatus } from '../../../../core/messages/item-status.ts';
import { plain } from '../../../../core/messages/markup.ts';
import type { Actor, SlackDeps } from '../../context.ts';
import type { CommandIo } from './command-kit.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// https://acme.slack.com/archives/C0123/p1700000000000100 (Slack wraps pasted links in <…>)
const PERMALINK = /\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})/;

export async function itemIdFrom(deps: SlackDeps, ref: string): Promise<string | null> {
  const clean = ref.trim().replace(/^<|>$/g, '').split('|')[0]!;
  if (UUID.test(clean)) return clean.toLowerCase();
  const link = PERMALINK.exec(clean);
  if (!link) return null;
  const post = await deps.chatPosts.findByMessage('slack', link[1]!, `${link[2]}.${link[3]}`);
  return post?.itemId ?? null;
}

export async function answerStatus(deps: SlackDeps, io: CommandIo, actor: Actor, ref: string): Promise<void> {
  const itemId = await itemIdFrom(deps, ref);
  const view = itemId ? await deps.repos.feedback.view(actor.workspaceId, itemId) : null;
  if (!view) {
    await io.reply({
      text: 'No such item.',
      blocks: [
        {
          type: 'section',
          text: `I can't find the item ${plain(ref)}. Use its id, or a link to its card (⋯ → Copy link).`,
        },
      ],
    });
    return;
  }
  const [timeline, posts] = await Promise.all([
    deps.repos.events.timeline(actor.workspaceId, view.id),
    deps.chatPosts.listForItem(actor.workspaceId, view.id),
  ]);
  const names = new Map<string, string>();
  const actorIds = [...new Set(timeline.map((e) => e.actorId).filter((id): id is string => !!id))];
  for (const person of await Promise.all(actorIds.map((id) => deps.repos.people.findById(actor.workspaceId, id)))) {
    if (person) names.set(person.id, person.displayName);
  }
  const now = deps.clock.now();
  const message = buildItemStatus(view, deps.renderCard(view, now), timeline, posts, names, {
    timezone: actor.tz ?? deps.timezone,
  });
  await io.reply(message);
}
