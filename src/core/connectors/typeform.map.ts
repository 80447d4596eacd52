// Typeform `form_response` webhook → IntakeInput. The NPS answer is the answer to the field whose
// `ref` is the connector's npsField, else the first `nps` or `opinion_scale` answer; the comment is
// the first long (else short) text answer. The response token is the external id (a redelivery
// carries the same token). Respondent: hidden fields email / name / user_id, or an email answer.
import {
  clip,
  compact,
  customerOf,
  dateOf,
  ignored,
  int,
  LIMITS,
  list,
  type MapRequest,
  type MapResult,
  obj,
  str,
  unmappable,
} from './map-kit.ts';

type Answer = { type: string | null; field: { id: string | null; ref: string | null; type: string | null }; value: unknown };

const SCORE_TYPES = ['nps', 'opinion_scale'];

export function mapTypeform({ body, settings }: MapRequest): MapResult {
  const event = obj(body);
  const eventType = str(event?.event_type);
  if (eventType === 'form_response_partial') return ignored('partial Typeform responses are not feedback until submitted');
  if (eventType !== 'form_response') return unmappable(`event_type "form_response" (got ${eventType ? `"${eventType}"` : 'none'})`);
  const response = obj(event?.form_response);
  if (!response) return unmappable('form_response object');
  const token = str(response.token);
  const definition = obj(response.definition);
  const titles = new Map(list(definition?.fields).map((f) => [str(obj(f)?.id), str(obj(f)?.title)]));
  const answers = list(response.answers).map(readAnswer).filter((a): a is Answer => a !== null);

  const wanted = settings.npsField;
  const scoreAnswer = wanted
    ? answers.find((a) => a.field.ref === wanted)
    : answers.find((a) => SCORE_TYPES.includes(a.field.type ?? ''));
  const missing: string[] = [];
  if (!token) missing.push('form_response.token (the response id)');
  const score = scoreAnswer ? int(scoreAnswer.value) : null;
  if (!scoreAnswer) {
    missing.push(
      wanted
        ? `an answer to the field with ref "${wanted}" (the connector's --nps-field)`
        : 'an nps or opinion_scale answer (or set the field with: connector add typeform --nps-field <ref>)',
    );
  } else if (score === null || score < 0 || score > 10) {
    missing.push(`an NPS score from 0 to 10 in the answer to field "${scoreAnswer.field.ref ?? scoreAnswer.field.id}" (got ${JSON.stringify(scoreAnswer.value)})`);
  }
  if (missing.length || !token || !scoreAnswer || score === null) return unmappable(...missing);

  const textAnswer =
    answers.find((a) => a.field.type === 'long_text' && str(a.value)) ?? answers.find((a) => a.field.type === 'short_text' && str(a.value));
  const hidden = obj(response.hidden) ?? {};
  const emailAnswer = answers.find((a) => a.type === 'email');
  const customer = customerOf({
    externalId: str(hidden.user_id) ?? str(hidden.customer_id) ?? str(hidden.external_id),
    email: str(hidden.email) ?? str(emailAnswer?.value),
    name: str(hidden.name),
    company: str(hidden.company),
    attributes: hidden,
  });
  const rest = answers
    .filter((a) => a !== scoreAnswer && a !== textAnswer)
    .map((a) => compact({ ref: a.field.ref ?? undefined, title: titles.get(a.field.id) ?? undefined, type: a.field.type ?? undefined, value: a.value }));

  return {
    status: 'mapped',
    input: {
      source: 'typeform',
      externalId: clip(token, LIMITS.id)!,
      kind: 'nps',
      score,
      comment: clip(str(textAnswer?.value), LIMITS.comment),
      touchpoint: clip(str(definition?.title), LIMITS.touchpoint),
      tags: [],
      receivedAt: dateOf(response.submitted_at),
      customer,
      metadata: compact({
        typeform: compact({
          event_id: event?.event_id,
          form_id: response.form_id,
          landed_at: response.landed_at,
          submitted_at: response.submitted_at,
          hidden: response.hidden,
          variables: response.variables,
          calculated: response.calculated,
          score_field: scoreAnswer.field.ref ?? scoreAnswer.field.id ?? undefined,
          question: titles.get(scoreAnswer.field.id) ?? undefined,
          answers: rest,
        }),
      }),
    },
  };
}

/** The value of an answer by its `type` (number, text, email, choice, boolean, date, ...). */
function readAnswer(raw: unknown): Answer | null {
  const a = obj(raw);
  if (!a) return null;
  const type = str(a.type);
  const field = obj(a.field);
  const choice = obj(a.choice);
  const choices = obj(a.choices);
  const value =
    type === 'choice' ? (choice?.label ?? choice?.other) : type === 'choices' ? (choices?.labels ?? choices) : type ? a[type] : undefined;
  return { type, field: { id: str(field?.id), ref: str(field?.ref), type: str(field?.type) }, value };
}
