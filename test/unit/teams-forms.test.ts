// The item card as Teams shows it: Resolve and Reassign become inline Action.ShowCard forms
// (Agents Playground has no dialogs), the forms read back into the core inputs, and every
// variant validates against the Adaptive Cards 1.5 schema.
import { describe, expect, it } from 'vitest';
import { createCardRenderer } from '../../src/adapters/teams/card-renderer.ts';
import { REASSIGN_FIELD, readResolveForm, RESOLVE_FIELDS } from '../../src/adapters/teams/item-forms.ts';
import type { ItemView, Person } from '../../src/core/feedback/item.ts';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { buildFeedbackCard } from '../../src/core/messages/feedback-card.ts';
import { schemasDir, schemasSkipMessage, validateAdaptiveCard } from '../helpers/schemas.ts';

const now = new Date('2030-03-04T10:00:00Z');
const person = (i: number): Person => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  workspaceId: 'ws',
  email: `p${i}@example.com`,
  displayName: `Person ${i}`,
  role: 'member',
  slackUserId: null,
  teamsAadId: null,
});
const view = (status: ItemView['status']): ItemView => ({
  id: '11111111-1111-4111-8111-111111111111',
  workspaceId: 'ws',
  source: 'survey',
  externalId: 'r-1',
  kind: 'nps',
  score: 3,
  comment: 'The *export* is [slow](http://x)',
  touchpoint: 'export',
  tags: [],
  route: null,
  receivedAt: now,
  createdAt: now,
  dueAt: new Date(now.getTime() + 86_400_000),
  remindAt: new Date(now.getTime() + 86_400_000),
  escalateAt: new Date(now.getTime() + 86_400_000),
  priority: 'normal',
  slaCycle: 0,
  status,
  claimedById: status === 'open' ? null : person(1).id,
  claimedAt: status === 'open' ? null : now,
  snoozedUntil: null,
  resolvedById: status === 'resolved' ? person(1).id : null,
  resolvedAt: status === 'resolved' ? now : null,
  resolution:
    status === 'resolved'
      ? { summary: 'Fixed', rootCause: 'Bug', preventionAction: null, preventionOwnerId: null, preventionDueOn: null, customerContacted: true }
      : null,
  customerId: null,
  metadata: {},
  customer: null,
  claimedBy: status === 'open' ? null : person(1),
  resolvedBy: status === 'resolved' ? person(1) : null,
});

const renderer = (people: Person[]) =>
  createCardRenderer({ workspaceId: 'ws', rootCauses: async () => ['Bug', 'Process gap'], people: async () => people });

function actionsOf(card: any): any[] {
  const out: any[] = [];
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n.type === 'string' && n.type.startsWith('Action.')) out.push(n);
    for (const k of ['body', 'items', 'actions', 'card']) if (n[k]) walk(n[k]);
  };
  walk(card);
  return out;
}

describe('Teams item card forms', () => {
  it('a claimed card carries Resolve and Reassign as inline forms with prefixed inputs', async () => {
    const card = await renderer([person(1), person(2)]).card(buildFeedbackCard(view('claimed'), now));
    const shows = actionsOf(card).filter((a) => a.type === 'Action.ShowCard');
    expect(shows.map((a) => a.title).sort()).toEqual(['Reassign', 'Resolve']);
    const ids = JSON.stringify(card);
    for (const id of [...Object.values(RESOLVE_FIELDS), REASSIGN_FIELD]) expect(ids).toContain(`"id":"${id}"`);
    const verbs = actionsOf(card).filter((a) => a.type === 'Action.Execute').map((a) => a.verb);
    expect(verbs).toEqual(expect.arrayContaining([ActionIds.resolveSubmit, ActionIds.reassignSubmit, ActionIds.release]));
    expect(verbs).not.toContain(ActionIds.resolve);
    expect(ids).toContain(person(2).id);
  });

  it('an open card has no forms and needs no lookups', async () => {
    let looked = 0;
    const r = createCardRenderer({
      workspaceId: 'ws',
      rootCauses: async () => {
        looked++;
        return [];
      },
      people: async () => {
        looked++;
        return [];
      },
    });
    const card = await r.card(buildFeedbackCard(view('open'), now));
    expect(actionsOf(card).some((a) => a.type === 'Action.ShowCard')).toBe(false);
    expect(looked).toBe(0);
  });

  it('reads the Resolve form back (toggle as "true"/"false", empty fields as missing)', () => {
    expect(
      readResolveForm({
        [RESOLVE_FIELDS.summary]: 'Did it',
        [RESOLVE_FIELDS.rootCause]: 'Bug',
        [RESOLVE_FIELDS.customerContacted]: 'true',
        [RESOLVE_FIELDS.preventionDueOn]: '',
      }),
    ).toEqual({
      summary: 'Did it',
      rootCause: 'Bug',
      preventionAction: null,
      preventionOwnerId: null,
      preventionDueOn: '',
      customerContacted: true,
    });
    expect(readResolveForm({ [RESOLVE_FIELDS.customerContacted]: 'false' }).customerContacted).toBe(false);
  });

  it('the notification summary is the message text', async () => {
    const activity = await renderer([]).activity(buildFeedbackCard(view('open'), now));
    expect(activity.summary).toContain('NPS 3');
    expect(activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  });
});

describe.skipIf(!schemasDir())(`Teams item cards validate (${schemasDir() ? 'schema found' : schemasSkipMessage})`, () => {
  it.each(['open', 'claimed', 'resolved'] as const)('%s, with 0 and 60 people', async (status) => {
    for (const people of [[], Array.from({ length: 60 }, (_, i) => person(i))]) {
      const card = await renderer(people).card(buildFeedbackCard(view(status), now));
      expect(validateAdaptiveCard(card)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(80_000);
    }
  });
});
