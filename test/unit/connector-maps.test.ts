// The provider mappings (pure): documented payloads → IntakeInput, or what is missing, or ignored.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectorMappers } from '../../src/core/connectors/mappers.ts';
import type { ConnectorProvider, ConnectorSettings, MapResult } from '../../src/core/connectors/map-kit.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/connectors/${name}`, import.meta.url), 'utf8'));
const map = (provider: ConnectorProvider, body: unknown, settings: ConnectorSettings = {}, query: Record<string, string> = {}) =>
  connectorMappers[provider]({ body, query, settings });

/** A deep copy of `base` with `path` (dot-separated) set to `value` (undefined deletes it). */
function withPath(base: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  if (value === undefined) delete at[keys.at(-1)!];
  else at[keys.at(-1)!] = value;
  return copy;
}

const mapped = (r: MapResult) => {
  if (r.status !== 'mapped') throw new Error(`expected mapped, got ${JSON.stringify(r)}`);
  return r.input;
};

describe('documented payloads map to items', () => {
  it.each([
    [
      'typeform',
      'typeform.form_response.json',
      {
        source: 'typeform',
        externalId: 'a3a12ec67a1365927098a606107fac15',
        kind: 'nps',
        score: 3,
        comment: 'Setup took a week and nobody answered my emails',
        touchpoint: 'Onboarding NPS',
        receivedAt: new Date('2025-02-27T10:01:02Z'),
        customer: { externalId: 'cust-42', email: 'ada@example.com', name: 'Ada Lovelace' },
      },
    ],
    [
      'delighted',
      'delighted.survey_response.json',
      {
        source: 'delighted',
        externalId: '5435',
        kind: 'nps',
        score: 4,
        comment: 'The app logs me out every day.',
        touchpoint: 'Email',
        tags: ['mobile'],
        receivedAt: new Date(1740650460 * 1000),
        customer: { externalId: 'cust-77', email: 'charlie_gravis@example.com', name: 'Charlie Gravis', company: 'Globex' },
      },
    ],
    [
      'zendesk',
      'zendesk.satisfaction.json',
      {
        source: 'zendesk',
        externalId: '35436:bad',
        kind: 'csat',
        score: 1,
        comment: 'Three weeks and still no refund.',
        touchpoint: 'Acme / Billing',
        customer: { externalId: 'cust-9', email: 'grace@example.com', name: 'Grace Hopper', company: 'Navy' },
      },
    ],
    [
      'intercom',
      'intercom.conversation_rating.json',
      {
        source: 'intercom',
        externalId: '147:2',
        kind: 'csat',
        score: 2,
        comment: 'Took two days to get an answer',
        touchpoint: 'Billing question',
        receivedAt: new Date(1740649000 * 1000),
        customer: { externalId: 'cust-5', email: 'linus@example.com', name: 'Linus Torvalds' },
      },
    ],
    [
      'alchemer',
      'alchemer.response.json',
      {
        source: 'alchemer',
        externalId: 'session:1740650462_67c04dde9c1f35.41257840',
        kind: 'nps',
        score: 2,
        comment: 'Checkout failed twice and support closed my ticket',
        touchpoint: 'Alchemer survey',
        customer: { externalId: 'cust-11', email: 'alan@example.com', name: 'Alan Turing' },
      },
    ],
  ] as const)('%s: %s', (provider, file, expected) => {
    expect(mapped(map(provider, fixture(file)))).toMatchObject(expected);
  });

  it('keeps what it did not map in metadata', () => {
    const typeform = mapped(map('typeform', fixture('typeform.form_response.json')));
    expect(typeform.metadata).toMatchObject({
      typeform: {
        event_id: '01HZX3Q9T7ZK2W5E9Y1M3N4P5R',
        form_id: 'lT4Z3j',
        hidden: { plan: 'pro' },
        question: 'How likely are you to recommend us to a friend?',
        answers: [{ ref: 'improve_area', title: 'Which area should we improve?', type: 'multiple_choice', value: 'Support' }],
      },
    });
    const alchemer = mapped(map('alchemer', fixture('alchemer.response.json')));
    expect(alchemer.metadata).toMatchObject({
      alchemer: { response_id: '1001', status: 'Complete', answers: [{ id: '4', type: 'radio', answer: 'Weekly' }] },
    });
    expect(JSON.stringify(alchemer.metadata)).not.toContain('__dbget');
    expect(mapped(map('intercom', fixture('intercom.conversation_rating.json'))).metadata).toMatchObject({
      intercom: { notification_id: 'notif_ccd8a4d2-8a2b-4f3e-9c2d-3c2a1d9e7f10', teammate: { id: '991267' } },
    });
  });
});

describe('choices a connector makes', () => {
  const typeform = fixture('typeform.form_response.json');

  it('Typeform: --nps-field picks the answer by ref; default is the first nps/opinion_scale answer', () => {
    const twoScales = withPath(typeform, 'form_response.answers', [
      { type: 'number', number: 8, field: { id: 'x1', type: 'opinion_scale', ref: 'ease' } },
      ...typeform.form_response.answers,
    ]);
    expect(mapped(map('typeform', twoScales)).score).toBe(8);
    expect(mapped(map('typeform', twoScales, { npsField: 'nps_score' })).score).toBe(3);
  });

  it('Alchemer: the survey id from the body or the URL makes the external id; --nps-field picks the question', () => {
    const body = fixture('alchemer.response.json');
    expect(mapped(map('alchemer', body, {}, { survey_id: '7654321' }))).toMatchObject({ externalId: '7654321:1001', touchpoint: 'Alchemer survey 7654321' });
    expect(mapped(map('alchemer', { response: body, survey_title: 'Checkout survey' }, {}, { survey_id: '7' }))).toMatchObject({ externalId: '7:1001', touchpoint: 'Checkout survey' });
    const scale = withPath(body, 'survey_data.5', { id: 5, type: 'SLIDER', question: 'Recommend?', answer: '9', shown: true });
    expect(mapped(map('alchemer', scale, { npsField: '5' })).score).toBe(9);
  });

  it.each([
    ['nps', 9, 'nps'],
    ['enps', 0, 'nps'],
    ['csat', 5, 'csat'],
    ['smileys', 2, 'csat'],
    ['ces', 7, 'ces'],
  ])('Delighted: survey_type %s, score %i → %s', (surveyType, score, kind) => {
    let body = withPath(fixture('delighted.survey_response.json'), 'event_data.survey_type', surveyType);
    body = withPath(body, 'event_data.score', score);
    expect(mapped(map('delighted', body))).toMatchObject({ kind, score });
  });

  it('Delighted: the .updated event amends a stored response, .created does not', () => {
    const updated = fixture('delighted.survey_response.json');
    expect(map('delighted', updated)).toMatchObject({ status: 'mapped', amends: true });
    expect(map('delighted', withPath(updated, 'event_type', 'survey_response.created'))).toMatchObject({ status: 'mapped', amends: false });
  });

  it.each([
    ['good', 5],
    ["Good, I'm satisfied", 5],
    ['BAD', 1],
  ])('Zendesk: rating %s → CSAT %i', (rating, score) => {
    expect(mapped(map('zendesk', withPath(fixture('zendesk.satisfaction.json'), 'ticket.satisfaction.rating', rating))).score).toBe(score);
  });
});

describe('what is not feedback is ignored', () => {
  it.each([
    ['intercom', fixture('intercom.ping.json'), /ping/],
    ['intercom', withPath(fixture('intercom.conversation_rating.json'), 'topic', 'conversation.user.replied'), /not a conversation rating/],
    ['zendesk', withPath(fixture('zendesk.satisfaction.json'), 'ticket.satisfaction.rating', 'Offered'), /offered/],
    ['zendesk', { type: 'zen:event-type:ticket.created', detail: {} }, /not a satisfaction rating/],
    ['delighted', { event_type: 'unsubscribe.created', event_data: {} }, /unsubscribe/],
    ['typeform', withPath(fixture('typeform.form_response.json'), 'event_type', 'form_response_partial'), /partial/],
  ] as const)('%s: %j', (provider, body, reason) => {
    const r = map(provider, body);
    expect(r.status).toBe('ignored');
    expect(r.status === 'ignored' && r.reason).toMatch(reason);
  });
});

describe('unmappable payloads say what is missing', () => {
  const tf = fixture('typeform.form_response.json');
  const dl = fixture('delighted.survey_response.json');
  const zd = fixture('zendesk.satisfaction.json');
  const ic = fixture('intercom.conversation_rating.json');
  const al = fixture('alchemer.response.json');
  it.each([
    ['typeform', withPath(tf, 'form_response.token', undefined), {}, /form_response\.token/],
    ['typeform', withPath(tf, 'form_response.answers', []), {}, /nps or opinion_scale answer/],
    ['typeform', tf, { npsField: 'nope' }, /ref "nope"/],
    ['typeform', withPath(tf, 'form_response.answers.0.number', 12), {}, /0 to 10/],
    ['typeform', withPath(tf, 'event_type', 'something'), {}, /form_response/],
    ['delighted', withPath(dl, 'event_data.score', null), {}, /score from 0 to 10/],
    ['delighted', withPath(dl, 'event_data.survey_type', 'thumbs'), {}, /survey_type/],
    ['delighted', withPath(dl, 'event_data.id', undefined), {}, /event_data\.id/],
    ['zendesk', withPath(zd, 'ticket.satisfaction.rating', 'meh'), {}, /"good" or "bad"/],
    ['zendesk', withPath(zd, 'ticket.id', undefined), {}, /ticket\.id/],
    ['zendesk', { message: 'hello' }, {}, /ticket object/],
    ['intercom', withPath(ic, 'data.item.conversation_rating.rating', 9), {}, /1 to 5/],
    ['intercom', withPath(ic, 'data.item.conversation_rating', undefined), {}, /conversation_rating/],
    ['intercom', { hello: 'world' }, {}, /notification_event/],
    ['alchemer', withPath(al, 'survey_data.2.type', 'RADIO'), {}, /type NPS/],
    ['alchemer', withPath(al, 'survey_data.2.answer', 'Very likely'), {}, /0 to 10/],
    ['alchemer', withPath(al, 'session_id', undefined), {}, /survey_id/],
    ['alchemer', { nothing: true }, {}, /survey_data/],
  ] as const)('%s #%#', (provider, body, settings, missing) => {
    const r = map(provider, body, settings as ConnectorSettings);
    expect(r.status).toBe('unmappable');
    expect(r.status === 'unmappable' && r.missing.join('; ')).toMatch(missing);
  });
});

describe('text limits and customers', () => {
  it('cuts long text instead of refusing it, and drops an invalid email', () => {
    const body = withPath(fixture('zendesk.satisfaction.json'), 'ticket.satisfaction.comment', 'x'.repeat(20_000));
    const input = mapped(map('zendesk', withPath(body, 'ticket.requester.email', 'not an email')));
    expect(input.comment).toHaveLength(10_000);
    expect(input.customer).toMatchObject({ email: null, externalId: 'cust-9' });
  });

  it('has no customer when nothing identifies the respondent', () => {
    const body = withPath(fixture('typeform.form_response.json'), 'form_response.hidden', {});
    expect(mapped(map('typeform', body)).customer).toBeNull();
  });
});
