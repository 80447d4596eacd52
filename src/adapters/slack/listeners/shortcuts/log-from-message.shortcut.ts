// Message shortcut "Log as customer feedback": the log form, pre-filled with the message text.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../context.ts';
import { logModal } from '../../modals/log.modal.ts';
import { respondEphemeral, SOMETHING_WENT_WRONG } from '../../reply.ts';

export type MessageShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

export function logFromMessageShortcut(deps: SlackDeps) {
  return async (args: MessageShortcutArgs): Promise<void> => {
    await args.ack();
    const { shortcut } = args;
    try {
      await args.client.views.open({
        trigger_id: shortcut.trigger_id,
        view: logModal({
          text: shortcut.message.text ?? '',
          channel: shortcut.channel.id,
          ts: shortcut.message.ts ?? shortcut.message_ts,
          team: shortcut.team?.id,
        }),
      });
    } catch (error) {
      deps.logger.error('Slack shortcut failed', { callback: shortcut.callback_id, error });
      await respondEphemeral(args.respond, SOMETHING_WENT_WRONG).catch(() => {});
    }
  };
}
