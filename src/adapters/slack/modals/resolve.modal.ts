// The Resolve form: summary (required), root cause from the workspace's taxonomy, prevention
// action with optional owner and due date, "customer contacted". Validation runs before ack so
// errors show next to the fields (response_action: 'errors').
import type { ModalView } from '@slack/types';
import type { ItemView } from '../../../core/feedback/item.ts';
import { resolveInputSchema } from '../../../core/feedback/resolve-input.ts';
import { ActionIds } from '../../../core/messages/action-ids.ts';
import { plain } from '../../../core/messages/markup.ts';
import { customerMarkup, excerpt, scoreBadge } from '../../../core/messages/text.ts';
import {
  checked,
  encodeMetadata,
  input,
  label24,
  plainText,
  selectedDate,
  selectedUser,
  selectedValue,
  type StateValues,
  summaryBlocks,
  textValue,
  VALUE,
} from './modal-kit.ts';

export const ResolveFields = {
  summary: 'summary',
  rootCause: 'root_cause',
  prevention: 'prevention',
  owner: 'prevention_owner',
  due: 'prevention_due',
  contacted: 'customer_contacted',
} as const;

const MAX_OPTIONS = 100; // static_select limit

export function resolveModal(view: ItemView, rootCauses: readonly string[], from: { channel?: string; ts?: string }): ModalView {
  const said = view.comment?.trim() ? `\n“${plain(excerpt(view.comment, 300))}”` : '';
  return {
    type: 'modal',
    callback_id: ActionIds.resolveSubmit,
    private_metadata: encodeMetadata({ item: view.id, channel: from.channel, ts: from.ts }),
    title: label24('Resolve feedback'),
    submit: label24('Resolve'),
    close: label24('Cancel'),
    blocks: [
      ...summaryBlocks({
        text: scoreBadge(view),
        blocks: [{ type: 'section', text: `*${scoreBadge(view)}* · ${customerMarkup(view.customer)}${said}` }],
      }),
      input(
        ResolveFields.summary,
        'What did you do?',
        { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 3000 },
        { hint: 'The thread and the card show this summary.' },
      ),
      input(ResolveFields.rootCause, 'Root cause', {
        type: 'static_select',
        action_id: VALUE,
        placeholder: plainText('Pick the root cause', 150),
        options: rootCauses.slice(0, MAX_OPTIONS).map((c) => ({ text: plainText(c, 75), value: c.slice(0, 150) })),
      }),
      input(
        ResolveFields.prevention,
        'Prevention action',
        { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 3000 },
        { optional: true, hint: 'What will stop this from happening to the next customer?' },
      ),
      input(ResolveFields.owner, 'Prevention owner', { type: 'users_select', action_id: VALUE }, { optional: true }),
      input(ResolveFields.due, 'Prevention due date', { type: 'datepicker', action_id: VALUE }, { optional: true }),
      input(
        ResolveFields.contacted,
        'Customer',
        {
          type: 'checkboxes',
          action_id: VALUE,
          options: [{ text: plainText('The customer has been contacted'), value: 'yes' }],
        },
        { optional: true },
      ),
    ],
  };
}

export type ResolveSubmission = {
  summary: string;
  rootCause: string;
  preventionAction: string | null;
  /** Slack user id of the prevention owner; the listener maps it to a person after ack. */
  preventionOwnerSlackId: string | null;
  preventionDueOn: string | null;
  customerContacted: boolean;
};

const fieldOfPath: Record<string, string> = {
  summary: ResolveFields.summary,
  rootCause: ResolveFields.rootCause,
  preventionAction: ResolveFields.prevention,
  preventionDueOn: ResolveFields.due,
};

/** Pure: the form's values, or the errors to show next to the fields. */
export function parseResolveSubmission(
  values: StateValues,
): { ok: true; value: ResolveSubmission } | { ok: false; errors: Record<string, string> } {
  const value: ResolveSubmission = {
    summary: textValue(values, ResolveFields.summary),
    rootCause: selectedValue(values, ResolveFields.rootCause) ?? '',
    preventionAction: textValue(values, ResolveFields.prevention) || null,
    preventionOwnerSlackId: selectedUser(values, ResolveFields.owner),
    preventionDueOn: selectedDate(values, ResolveFields.due),
    customerContacted: checked(values, ResolveFields.contacted, 'yes'),
  };
  // The same schema the service applies (minus the owner, still a Slack id here).
  const parsed = resolveInputSchema.safeParse({ ...value, preventionOwnerId: null });
  if (parsed.success) return { ok: true, value };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const block = fieldOfPath[String(issue.path[0])];
    if (block && !errors[block]) errors[block] = issue.message;
  }
  return { ok: false, errors: Object.keys(errors).length > 0 ? errors : { [ResolveFields.summary]: 'Check the form.' } };
}
