// Delighted `survey_response.created|updated` webhook → IntakeInput. The survey type picks the
// kind: nps / enps → NPS (0–10), csat / smileys / 5-star → CSAT (1–5), ces → CES (1–7). The
// response id is the external id. Delighted sends the score first and the comment minutes later
// in `.updated`: that event `amends` the stored item (its comment) instead of making a second one.
import type { FeedbackKind } from '../feedback/item.ts';
import { clip, compact, customerOf, dateOf, ignored, int, LIMITS, list, type MapRequest, type MapResult, obj, str, unmappable } from './map-kit.ts';

const KINDS: Record<string, FeedbackKind> = { nps: 'nps', enps: 'nps', csat: 'csat', smileys: 'csat', '5star': 'csat', '5-star': 'csat', ces: 'ces' };
const RANGES: Record<string, [number, number]> = { nps: [0, 10], csat: [1, 5], ces: [1, 7] };

export function mapDelighted({ body }: MapRequest): MapResult {
  const event = obj(body);
  const type = str(event?.event_type);
  if (type === 'unsubscribe.created') return ignored('unsubscribe events are not feedback');
  if (type !== 'survey_response.created' && type !== 'survey_response.updated') {
    return unmappable(`event_type survey_response.created or survey_response.updated (got ${type ? `"${type}"` : 'none'})`);
  }
  const data = obj(event?.event_data);
  if (!data) return unmappable('event_data (the survey response)');
  const id = str(data.id);
  const surveyType = (str(data.survey_type) ?? 'nps').toLowerCase();
  const kind = KINDS[surveyType];
  const score = int(data.score);
  const missing: string[] = [];
  if (!id) missing.push('event_data.id (the response id)');
  if (!kind) missing.push(`a survey_type of nps, enps, csat, smileys, 5star or ces (got "${surveyType}")`);
  else {
    const [min, max] = RANGES[kind]!;
    if (score === null || score < min || score > max) missing.push(`event_data.score from ${min} to ${max} for ${surveyType} (got ${JSON.stringify(data.score ?? null)})`);
  }
  if (missing.length || !id || !kind || score === null) return unmappable(...missing);

  const person = obj(data.person) ?? {};
  const props = obj(data.person_properties) ?? {};
  const tags = list(data.tags)
    .map((t) => str(t) ?? str(obj(t)?.name))
    .filter((t): t is string => t !== null)
    .slice(0, 50)
    .map((t) => t.slice(0, 100));
  return {
    status: 'mapped',
    amends: type === 'survey_response.updated',
    input: {
      source: 'delighted',
      externalId: clip(id, LIMITS.id)!,
      kind,
      score,
      comment: clip(str(data.comment), LIMITS.comment),
      // Delighted names the channel a survey went out on in the "Delighted Source" property.
      touchpoint: clip(str(props.touchpoint) ?? str(props['Delighted Source']) ?? `Delighted ${surveyType.toUpperCase()} survey`, LIMITS.touchpoint),
      tags,
      receivedAt: dateOf(data.created_at),
      customer: customerOf({
        externalId: str(props.customer_id) ?? str(props.external_id) ?? str(person.id),
        email: str(person.email),
        name: str(person.name),
        company: str(props.company) ?? str(props.Company),
        attributes: compact({ delighted_person_id: str(person.id) ?? undefined, ...props }),
      }),
      metadata: {
        delighted: compact({
          event_id: event?.event_id,
          event_type: type,
          survey_type: surveyType,
          permalink: data.permalink,
          updated_at: data.updated_at,
          notes: data.notes,
          additional_answers: data.additional_answers,
        }),
      },
    },
  };
}
