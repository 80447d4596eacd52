// The "Log customer feedback" form (`/cx log` and the message shortcut): what the customer said,
// what kind of feedback it is, an optional score, who the customer is. On submit the item goes
// through the intake service and is posted like any other.
import type { ModalView, PlainTextOption } from '@slack/types';
import { scoredKinds, scoreRanges } from '../../../core/feedback/intake.service.ts';
import type { FeedbackKind } from '../../../core/feedback/item.ts';
import { ActionIds } from '../../../core/messages/action-ids.ts';
import { kindName } from '../../../core/messages/text.ts';
import {
  encodeMetadata,
  input,
  label24,
  type ModalMetadata,
  plainText,
  selectedValue,
  type StateValues,
  textValue,
  VALUE,
} from './modal-kit.ts';

export const LogFields = {
  text: 'feedback_text',
  kind: 'kind',
  score: 'score',
  customer: 'customer',
  touchpoint: 'touchpoint',
} as const;

export const MAX_LOG_TEXT = 3000;
const loggableKinds: FeedbackKind[] = ['conversation_note', 'comment', 'nps', 'csat', 'ces'];
const kindOption = (k: FeedbackKind): PlainTextOption => ({ text: plainText(kindName(k), 75), value: k });

export function logModal(prefill: { text?: string } & Omit<ModalMetadata, 'v' | 'item'>): ModalView {
  const text = (prefill.text ?? '').slice(0, MAX_LOG_TEXT);
  return {
    type: 'modal',
    callback_id: ActionIds.logSubmit,
    private_metadata: encodeMetadata({ channel: prefill.channel, ts: prefill.ts, team: prefill.team }),
    title: label24('Log customer feedback'),
    submit: label24('Log it'),
    close: label24('Cancel'),
    blocks: [
      input(
        LogFields.text,
        'What did the customer say?',
        {
          type: 'plain_text_input',
          action_id: VALUE,
          multiline: true,
          max_length: MAX_LOG_TEXT,
          ...(text ? { initial_value: text } : {}),
        },
        { hint: 'Their words, as close as you can. It is posted as a feedback card for the champions.' },
      ),
      input(LogFields.kind, 'Kind', {
        type: 'static_select',
        action_id: VALUE,
        options: loggableKinds.map(kindOption),
        initial_option: kindOption('conversation_note'),
      }),
      input(
        LogFields.score,
        'Score',
        { type: 'number_input', action_id: VALUE, is_decimal_allowed: false, min_value: '0', max_value: '10' },
        { optional: true, hint: 'Needed for NPS (0–10), CSAT (1–5) and CES (1–7).' },
      ),
      input(
        LogFields.customer,
        'Customer',
        { type: 'plain_text_input', action_id: VALUE, max_length: 200, placeholder: plainText('Name or email', 150) },
        { optional: true },
      ),
      input(
        LogFields.touchpoint,
        'Touchpoint',
        { type: 'plain_text_input', action_id: VALUE, max_length: 100, placeholder: plainText('e.g. sales call, onboarding', 150) },
        { optional: true },
      ),
    ],
  };
}

export type LogSubmission = {
  text: string;
  kind: FeedbackKind;
  score: number | null;
  customer: { name?: string; email?: string } | null;
  touchpoint: string | null;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Pure: the form's values, or the errors to show next to the fields. */
export function parseLogSubmission(values: StateValues): { ok: true; value: LogSubmission } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const text = textValue(values, LogFields.text);
  if (!text) errors[LogFields.text] = 'Write what the customer said';
  const kindRaw = selectedValue(values, LogFields.kind) ?? 'conversation_note';
  const kind = (loggableKinds as string[]).includes(kindRaw) ? (kindRaw as FeedbackKind) : 'conversation_note';
  const scoreRaw = textValue(values, LogFields.score);
  const score = scoreRaw === '' ? null : Number(scoreRaw);
  const range = scoreRanges[kind];
  if (score === null) {
    if (scoredKinds.includes(kind) && range) errors[LogFields.score] = `${kindName(kind)} needs a score from ${range.min} to ${range.max}`;
  } else if (!range) {
    errors[LogFields.score] = `${kindName(kind)} takes no score; leave it empty or pick NPS, CSAT or CES`;
  } else if (!Number.isInteger(score) || score < range.min || score > range.max) {
    errors[LogFields.score] = `${kindName(kind)} scores go from ${range.min} to ${range.max}`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const who = textValue(values, LogFields.customer);
  return {
    ok: true,
    value: {
      text,
      kind,
      score,
      customer: who ? (EMAIL.test(who) ? { email: who } : { name: who }) : null,
      touchpoint: textValue(values, LogFields.touchpoint) || null,
    },
  };
}
