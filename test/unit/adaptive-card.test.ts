import { describe, expect, it } from 'vitest';
import {
  CARD_SCHEMA,
  REFRESH_VERB,
  toAdaptiveCard,
  withShowCardForm,
} from '../../src/adapters/teams/render/adaptive-card.ts';
import { cardBytes } from '../../src/adapters/teams/render/limits.ts';
import type { ActionSet, Container, ExecuteAction, FactSet, TextBlock } from '../../src/adapters/teams/render/types.ts';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { plain } from '../../src/core/messages/markup.ts';
import type { Block, Button, Message } from '../../src/core/messages/model.ts';
import { schemasDir, schemasSkipMessage, validateAdaptiveCard } from '../helpers/schemas.ts';

const item = '4f8e2a4c-9b7d-4c1e-8f3a-2b6d9e1c7a50';
const btn = (action: Button['action'], label: string, extra: Partial<Button> = {}): Button => ({
  action,
  label,
  payload: { v: 1, item },
  ...extra,
});
const snoozes = ['1h', '4h', 'morning'].map((arg) =>
  btn(ActionIds.snooze, `Snooze ${arg}`, { payload: { v: 1, item, arg } }),
);
const buttonsByState: Record<string, Button[]> = {
  open: [btn(ActionIds.claim, 'Claim', { style: 'primary' }), ...snoozes],
  claimed: [
    btn(ActionIds.resolve, 'Resolve', { style: 'primary' }),
    btn(ActionIds.reassign, 'Reassign'),
    btn(ActionIds.release, 'Release', { style: 'danger' }),
    ...snoozes,
  ],
  resolved: [btn(ActionIds.reopen, 'Reopen')],
};

const allBlocks: Block[] = [
  { type: 'header', text: 'NPS 3 · Detractor' },
  {
    type: 'section',
    text: `*${plain('Jane Doe')}* · ${plain('Acme')}`,
    fields: [
      { label: 'Touchpoint', value: plain('onboarding') },
      { label: 'Due', value: 'due in 23 h' },
    ],
  },
  { type: 'quote', text: 'The export is *broken*.\n- and [slow](http://x)' },
  { type: 'context', items: ['survey', `claimed by *${plain('Ana')}*`] },
  { type: 'image', url: 'https://example.com/chart.png', alt: 'NPS trend' },
  { type: 'divider' },
  { type: 'section', text: 'after the divider' },
];

const card = (buttons: Button[], extra: Block[] = []): Message => ({
  text: 'New NPS 3 from Jane Doe',
  blocks: [...allBlocks, ...extra, ...(buttons.length ? [{ type: 'actions' as const, buttons }] : [])],
});

const resolveForm = {
  title: 'Resolve…',
  intro: 'What happened and what will stop it happening again?',
  replaces: ActionIds.resolve,
  inputs: [
    { type: 'text' as const, id: 'summary', label: 'Summary', multiline: true, required: true, maxLength: 2000 },
    {
      type: 'choice' as const,
      id: 'rootCause',
      label: 'Root cause',
      required: true,
      choices: [
        { title: 'Bug', value: 'bug' },
        { title: 'Docs', value: 'docs' },
      ],
    },
    { type: 'choice' as const, id: 'owner', label: 'Owner', expanded: true, choices: [{ title: 'Ana', value: 'p1' }] },
    { type: 'date' as const, id: 'dueOn', label: 'Prevention due', min: '2025-01-01' },
    { type: 'toggle' as const, id: 'contacted', title: 'Customer contacted', value: false },
  ],
  submit: { verb: ActionIds.resolveSubmit, data: { v: 1, item }, title: 'Resolve' },
};

const dir = schemasDir();
const schemaNote = dir ? 'against adaptive-card.1.5.json' : schemasSkipMessage;

describe.skipIf(!dir)(`every card the renderer makes validates (${schemaNote})`, () => {
  const cases: [string, () => unknown][] = [
    ...Object.entries(buttonsByState).map(([state, buttons]): [string, () => unknown] => [
      `all blocks, ${state} buttons`,
      () => toAdaptiveCard(card(buttons), { refreshUserIds: ['29:a', '29:b'] }),
    ]),
    ['no buttons, no refresh', () => toAdaptiveCard(card([]))],
    ['inline ActionSets (digest) and >6 buttons', () => toAdaptiveCard(card([], [{ type: 'actions', buttons: [...buttonsByState.claimed!, btn(ActionIds.claim, 'x')] }]))],
    ['resolve form replacing the button', () => withShowCardForm(toAdaptiveCard(card(buttonsByState.claimed!)), resolveForm)],
    ['form appended', () => withShowCardForm(toAdaptiveCard(card([])), { ...resolveForm, replaces: undefined })],
    ['a 100 KB comment', () => toAdaptiveCard(card(buttonsByState.open!, [{ type: 'quote', text: 'ä'.repeat(100_000) }]))],
    ['empty message', () => toAdaptiveCard({ text: '', blocks: [] })],
  ];
  it.each(cases)('%s', (_name, make) => {
    expect(validateAdaptiveCard(make())).toEqual([]);
  });

  it('the schema check itself rejects a broken card', () => {
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock' }] })).not.toEqual([]);
  });
});

describe('toAdaptiveCard', () => {
  it('maps every block type', () => {
    const out = toAdaptiveCard(card(buttonsByState.claimed!));
    expect(out).toMatchObject({ type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: '1.5' });
    expect(out.fallbackText).toBe('New NPS 3 from Jane Doe');
    expect(out.body.map((e) => e.type)).toEqual([
      'TextBlock',
      'TextBlock',
      'FactSet',
      'Container',
      'TextBlock',
      'Image',
      'TextBlock',
    ]);
    expect(out.body[0]).toMatchObject({ size: 'Large', weight: 'Bolder', wrap: true });
    expect((out.body[1] as TextBlock).text).toBe('**Jane Doe** · Acme');
    expect((out.body[2] as FactSet).facts[0]).toEqual({ title: 'Touchpoint', value: 'onboarding' });
    const quote = out.body[3] as Container;
    expect(quote.style).toBe('emphasis');
    expect((quote.items[0] as TextBlock).text).toBe('The export is \\*broken\\*.\n\n\\- and \\[slow\\](http://x)');
    expect(out.body[4]).toMatchObject({ size: 'Small', isSubtle: true, text: 'survey · claimed by **Ana**' });
    expect(out.body[5]).toEqual({ type: 'Image', url: 'https://example.com/chart.png', altText: 'NPS trend' });
    expect(out.body[6]).toMatchObject({ separator: true, text: 'after the divider' });
  });

  it('renders buttons as Action.Execute with the ActionId verb, payload data and a Submit fallback', () => {
    const out = toAdaptiveCard(card(buttonsByState.claimed!));
    const actions = out.actions as ExecuteAction[];
    expect(actions.map((a) => a.verb)).toEqual([
      'feedback.resolve',
      'feedback.reassign',
      'feedback.release',
      'feedback.snooze',
      'feedback.snooze',
      'feedback.snooze',
    ]);
    expect(actions[0]).toEqual({
      type: 'Action.Execute',
      title: 'Resolve',
      verb: 'feedback.resolve',
      data: { v: 1, item, action: 'feedback.resolve' },
      style: 'positive',
      fallback: {
        type: 'Action.Submit',
        title: 'Resolve',
        data: { v: 1, item, action: 'feedback.resolve' },
        style: 'positive',
      },
    });
    expect(actions[2]!.style).toBe('destructive');
    expect(actions[4]!.data).toEqual({ v: 1, item, arg: '4h', action: 'feedback.snooze' });
  });

  it('adds a refresh action for item cards, with at most 60 user ids', () => {
    const ids = Array.from({ length: 70 }, (_, i) => `29:user-${i}`);
    const out = toAdaptiveCard(card(buttonsByState.open!), { refreshUserIds: ids });
    expect(out.refresh?.action).toEqual({
      type: 'Action.Execute',
      verb: REFRESH_VERB,
      data: { v: 1, item, action: REFRESH_VERB },
    });
    expect(out.refresh?.userIds).toEqual(ids.slice(0, 60));
    expect(toAdaptiveCard(card(buttonsByState.open!)).refresh?.userIds).toBeUndefined();
    expect(toAdaptiveCard(card([])).refresh).toBeUndefined();
  });

  it('keeps non-trailing or oversized action blocks inline, 6 per ActionSet', () => {
    const many = Array.from({ length: 8 }, (_, i) => btn(ActionIds.claim, `Claim ${i}`));
    const out = toAdaptiveCard({ text: 'd', blocks: [{ type: 'actions', buttons: many }] });
    expect(out.actions).toBeUndefined();
    expect(out.body.map((e) => (e as ActionSet).actions.length)).toEqual([6, 2]);
  });

  it('keeps a 100 KB comment under 80 KB, truncated with an ellipsis', () => {
    const out = toAdaptiveCard(card(buttonsByState.open!, [{ type: 'quote', text: '€'.repeat(100_000) }]));
    expect(cardBytes(out)).toBeLessThan(80_000);
    const quote = out.body.filter((e) => e.type === 'Container').at(-1) as Container;
    expect((quote.items[0] as TextBlock).text.endsWith('…')).toBe(true);
  });

  it('shrinks many long sections until the card fits', () => {
    const blocks: Block[] = Array.from({ length: 40 }, (_, i) => ({ type: 'section', text: plain(`${i} ${'x'.repeat(9_000)}`) }));
    const out = toAdaptiveCard({ text: 'digest', blocks });
    expect(cardBytes(out)).toBeLessThanOrEqual(70_000);
    expect(out.body).toHaveLength(40);
    expect(out.body.every((e) => (e as TextBlock).text.endsWith('…'))).toBe(true);
    if (dir) expect(validateAdaptiveCard(out)).toEqual([]);
  });

  it('drops trailing elements with "… and N more" when even short texts are too many', () => {
    const blocks: Block[] = Array.from({ length: 2_000 }, (_, i) => ({ type: 'section', text: `line ${i} ${'y'.repeat(200)}` }));
    const out = toAdaptiveCard({ text: 'huge', blocks });
    expect(cardBytes(out)).toBeLessThanOrEqual(70_000);
    const last = out.body.at(-1) as TextBlock;
    expect(last.text).toMatch(/^… and \d+ more$/);
    const dropped = Number(/\d+/.exec(last.text)![0]);
    expect(out.body.length - 1 + dropped).toBe(2_000);
  });
});

describe('withShowCardForm', () => {
  it('replaces the Resolve button in place with a ShowCard holding the inputs and an Execute submit', () => {
    const base = toAdaptiveCard(card(buttonsByState.claimed!));
    const out = withShowCardForm(base, resolveForm);
    expect(base.actions![0]!.type).toBe('Action.Execute'); // input untouched
    const show = out.actions![0]!;
    expect(show.type).toBe('Action.ShowCard');
    if (show.type !== 'Action.ShowCard') return;
    expect(show.title).toBe('Resolve…');
    expect(show.card.body.map((e) => e.type)).toEqual([
      'TextBlock',
      'Input.Text',
      'Input.ChoiceSet',
      'Input.ChoiceSet',
      'Input.Date',
      'Input.Toggle',
    ]);
    expect(show.card.body[1]).toMatchObject({ id: 'summary', isMultiline: true, isRequired: true, errorMessage: 'Summary is required' });
    expect(show.card.body[3]).toMatchObject({ style: 'expanded' });
    expect(show.card.body[5]).toMatchObject({ valueOn: 'true', valueOff: 'false', value: 'false' });
    expect(show.card.actions![0]).toMatchObject({
      type: 'Action.Execute',
      verb: 'feedback.resolve.submit',
      data: { v: 1, item, action: 'feedback.resolve.submit' },
      fallback: { type: 'Action.Submit', data: { v: 1, item, action: 'feedback.resolve.submit' } },
    });
    expect(out.actions).toHaveLength(6);
  });

  it('replaces inside an ActionSet, or appends when nothing matches', () => {
    const inline = toAdaptiveCard({ text: 'x', blocks: [{ type: 'actions', buttons: [btn(ActionIds.reassign, 'R')] }, { type: 'divider' }, { type: 'section', text: 'after' }] });
    const replaced = withShowCardForm(inline, { ...resolveForm, replaces: ActionIds.reassign });
    expect((replaced.body[0] as ActionSet).actions[0]!.type).toBe('Action.ShowCard');
    const appended = withShowCardForm(toAdaptiveCard(card([])), { ...resolveForm, replaces: undefined });
    expect(appended.actions?.map((a) => a.type)).toEqual(['Action.ShowCard']);
  });
});
