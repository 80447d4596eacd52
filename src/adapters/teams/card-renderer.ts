// Neutral Message → Teams activity, with the item's inline forms (Resolve, Reassign) attached
// where the card carries those buttons. The forms need the workspace's root causes and people,
// so this is the one place rendering fetches: H4's renderer under render/ stays pure.
import { type Activity, CardFactory } from 'botbuilder';
import type { Person } from '../../core/feedback/item.ts';
import { ActionIds } from '../../core/messages/action-ids.ts';
import type { Message } from '../../core/messages/model.ts';
import { reassignForm, resolveForm } from './item-forms.ts';
import { toAdaptiveCard, withShowCardForm } from './render/adaptive-card.ts';
import type { AdaptiveCard } from './render/types.ts';

export type CardRendererDeps = {
  workspaceId: string;
  rootCauses: (workspaceId: string) => Promise<readonly string[]>;
  people: (workspaceId: string) => Promise<Person[]>;
};

export type CardRenderer = {
  card(message: Message): Promise<AdaptiveCard>;
  activity(message: Message): Promise<Partial<Activity>>;
};

const SUMMARY_MAX = 250;

/** The item a button of this kind acts on, if the message has one. */
function itemWith(message: Message, action: string): string | null {
  for (const block of message.blocks) {
    if (block.type !== 'actions') continue;
    const button = block.buttons.find((b) => b.action === action);
    if (button) return button.payload.item;
  }
  return null;
}

export function createCardRenderer(deps: CardRendererDeps): CardRenderer {
  async function card(message: Message): Promise<AdaptiveCard> {
    let out = toAdaptiveCard(message);
    const resolveItem = itemWith(message, ActionIds.resolve);
    const reassignItem = itemWith(message, ActionIds.reassign);
    if (!resolveItem && !reassignItem) return out;
    const people = await deps.people(deps.workspaceId);
    if (resolveItem) out = withShowCardForm(out, resolveForm(resolveItem, await deps.rootCauses(deps.workspaceId), people));
    if (reassignItem) out = withShowCardForm(out, reassignForm(reassignItem, people));
    return out;
  }
  return {
    card,
    async activity(message) {
      const activity: Partial<Activity> = {
        type: 'message',
        attachments: [CardFactory.adaptiveCard(await card(message))],
      };
      const summary = message.text?.trim();
      if (summary) activity.summary = summary.length > SUMMARY_MAX ? `${summary.slice(0, SUMMARY_MAX - 1)}…` : summary;
      return activity;
    },
  };
}
