// The Reassign form: one user picker. The new owner gets a DM (a person.dm job the service enqueues).
import type { ModalView } from '@slack/types';
import type { ItemView } from '../../../core/feedback/item.ts';
import { ActionIds } from '../../../core/messages/action-ids.ts';
import { customerMarkup, personMarkup, scoreBadge } from '../../../core/messages/text.ts';
import { encodeMetadata, input, label24, plainText, selectedUser, type StateValues, summaryBlocks, VALUE } from './modal-kit.ts';

export const ReassignFields = { assignee: 'assignee' } as const;

export function reassignModal(view: ItemView, from: { channel?: string; ts?: string }): ModalView {
  return {
    type: 'modal',
    callback_id: ActionIds.reassignSubmit,
    private_metadata: encodeMetadata({ item: view.id, channel: from.channel, ts: from.ts }),
    title: label24('Reassign feedback'),
    submit: label24('Reassign'),
    close: label24('Cancel'),
    blocks: [
      ...summaryBlocks({
        text: scoreBadge(view),
        blocks: [
          {
            type: 'section',
            text: `*${scoreBadge(view)}* · ${customerMarkup(view.customer)}\nNow owned by ${personMarkup(view.claimedBy)}`,
          },
        ],
      }),
      input(
        ReassignFields.assignee,
        'New owner',
        { type: 'users_select', action_id: VALUE, placeholder: plainText('Pick a person', 150) },
        { hint: 'They get a direct message with the item.' },
      ),
    ],
  };
}

export function parseReassignSubmission(values: StateValues): { ok: true; userId: string } | { ok: false; errors: Record<string, string> } {
  const userId = selectedUser(values, ReassignFields.assignee);
  return userId ? { ok: true, userId } : { ok: false, errors: { [ReassignFields.assignee]: 'Pick the new owner' } };
}
