// Neutral Message → Adaptive Card 1.5. Pure: no I/O, never throws on long text, and the
// serialised card stays under teamsLimits.cardBytes (see fit-card.ts).
//
// Buttons are `Action.Execute` (Universal Actions: invoke `adaptiveCard/action`, verb = the
// ActionId, data = `{ ...payload, action }`) with an `Action.Submit` fallback carrying the same
// data for clients without Universal Actions. Cards with item buttons get a `refresh` action
// (verb REFRESH_VERB) so Teams can fetch the current state of the item for each viewer.
import { stripMarkup } from '../../../core/messages/markup.ts';
import type { Block, Button, Message, TeamsMention } from '../../../core/messages/model.ts';
import { escapeTeamsMarkdown, markupToTeams, teamsPlainText } from './escape.ts';
import { fitCard } from './fit-card.ts';
import { teamsLimits as L, truncate } from './limits.ts';
import type {
  ActionStyle,
  AdaptiveCard,
  CardAction,
  CardElement,
  ExecuteAction,
  MentionEntity,
  Refresh,
  SubmitAction,
} from './types.ts';

export { withShowCardForm } from './show-card-form.ts';
export type { FormInputSpec, ShowCardForm } from './show-card-form.ts';

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
/** The verb of the card's refresh action (not an ActionId: it changes nothing). */
export const REFRESH_VERB = 'card.refresh';

export type AdaptiveCardOptions = {
  /** Teams user ids (29:… / AAD) for whom the card refreshes automatically; ≤ 60 are kept. */
  refreshUserIds?: string[];
};

export function toAdaptiveCard(message: Message, opts: AdaptiveCardOptions = {}): AdaptiveCard {
  const blocks = message.blocks ?? [];
  // A trailing actions block becomes the card's own actions (shown at the bottom, where
  // withShowCardForm adds its forms); any other actions block is an inline ActionSet.
  const last = blocks.at(-1);
  const trailing = last?.type === 'actions' && last.buttons.length <= L.actionsPerSet ? last : null;

  const body: CardElement[] = [];
  let separatorNext = false;
  for (const block of trailing ? blocks.slice(0, -1) : blocks) {
    if (block.type === 'divider') {
      separatorNext = true;
      continue;
    }
    const elements = renderBlock(block);
    if (elements.length === 0) continue;
    if (separatorNext) elements[0]!.separator = true;
    separatorNext = false;
    body.push(...elements);
  }

  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: '1.5', body };
  const fallback = truncate(teamsPlainText(message.text ?? ''), L.fallbackText);
  if (fallback) card.fallbackText = fallback;
  if (trailing && trailing.buttons.length > 0) card.actions = trailing.buttons.map(renderButton);
  const refresh = refreshFor(blocks, opts.refreshUserIds);
  if (refresh) card.refresh = refresh;
  const entities = mentionEntities(blocks);
  if (entities.length > 0) card.msteams = { entities };
  return fitCard(card, L.cardBytes);
}

function renderBlock(block: Block): CardElement[] {
  switch (block.type) {
    case 'header': {
      const text = truncate(escapeTeamsMarkdown(stripMarkup(block.text).trim()), L.headerText);
      return text ? [{ type: 'TextBlock', text, size: 'Large', weight: 'Bolder', wrap: true }] : [];
    }
    case 'section': {
      const out: CardElement[] = [];
      if (block.text.trim()) {
        out.push({ type: 'TextBlock', text: truncate(markupToTeams(block.text), L.sectionText), wrap: true });
      }
      const facts = (block.fields ?? []).map((f) => ({
        title: truncate(markupToTeams(f.label), L.factTitle),
        value: truncate(markupToTeams(f.value), L.factValue) || ' ',
      }));
      if (facts.length > 0) out.push({ type: 'FactSet', facts });
      return out;
    }
    case 'quote': {
      const text = block.text.trim();
      if (!text) return [];
      const escaped = truncate(escapeTeamsMarkdown(stripMarkup(text)), L.quoteText);
      return [{ type: 'Container', style: 'emphasis', items: [{ type: 'TextBlock', text: escaped, wrap: true }] }];
    }
    case 'context': {
      const text = block.items
        .filter((item) => item.trim())
        .map(markupToTeams)
        .join(' · ');
      return text
        ? [{ type: 'TextBlock', text: truncate(text, L.contextText), size: 'Small', isSubtle: true, wrap: true }]
        : [];
    }
    case 'actions':
      return chunk(block.buttons, L.actionsPerSet).map((buttons) => ({
        type: 'ActionSet',
        actions: buttons.map(renderButton) as CardAction[],
      }));
    case 'mention': {
      const ats = uniqueMentions(block.teams).map((m) => atText(m.name));
      const text = [ats.join(' '), block.text.trim() ? markupToTeams(block.text) : ''].filter(Boolean).join(' ');
      return text ? [{ type: 'TextBlock', text: truncate(text, L.sectionText), wrap: true }] : [];
    }
    case 'image':
      if (!block.url) return [];
      return [{ type: 'Image', url: block.url, altText: truncate(teamsPlainText(block.alt) || 'image', L.altText) }];
    default:
      return [];
  }
}

/** A display name that cannot close the <at> tag or carry markdown. */
const mentionName = (name: string) => escapeTeamsMarkdown(stripMarkup(name).replace(/[<>]/g, '').trim()) || 'someone';
const atText = (name: string) => `<at>${mentionName(name)}</at>`;

function uniqueMentions(list: TeamsMention[]): TeamsMention[] {
  const seen = new Set<string>();
  return list.filter((m) => {
    if (!m.id.trim() || seen.has(m.id)) return false;
    seen.add(m.id);
    return true;
  });
}

/** Teams pings only the people named in `msteams.entities`, each matching its <at> text. */
function mentionEntities(blocks: Block[]): MentionEntity[] {
  const all = uniqueMentions(blocks.flatMap((b) => (b.type === 'mention' ? b.teams : [])));
  return all.map((m) => ({ type: 'mention', text: atText(m.name), mentioned: { id: m.id, name: mentionName(m.name) } }));
}

function renderButton(button: Button): ExecuteAction {
  const data = { ...button.payload, action: button.action };
  const title = truncate(teamsPlainText(button.label) || button.action, L.buttonTitle);
  const style = actionStyle(button.style);
  const fallback: SubmitAction = { type: 'Action.Submit', title, data, ...(style && { style }) };
  return { type: 'Action.Execute', title, verb: button.action, data, ...(style && { style }), fallback };
}

function actionStyle(style: Button['style']): ActionStyle | undefined {
  if (style === 'primary') return 'positive';
  if (style === 'danger') return 'destructive';
  return undefined;
}

function refreshFor(blocks: Block[], userIds: string[] | undefined): Refresh | null {
  const button = blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : [])).find((b) => b.payload?.item);
  if (!button) return null;
  const data = { v: button.payload.v, item: button.payload.item, action: REFRESH_VERB };
  const refresh: Refresh = { action: { type: 'Action.Execute', verb: REFRESH_VERB, data } };
  // Without user ids Teams offers a manual "refresh"; with them it refreshes for those users.
  if (userIds && userIds.length > 0) refresh.userIds = userIds.slice(0, L.refreshUserIds);
  return refresh;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
