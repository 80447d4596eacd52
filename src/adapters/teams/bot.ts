// The turn logic: what each incoming activity means. References are captured on install,
// conversation updates and every message; invokes are answered fast (no capture in their path).
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { buildHelpMessage } from '../../core/commands/help-message.ts';
import { captureReference } from './conversation-refs.ts';
import { handleCardAction } from './handlers/card-action.handler.ts';
import { handleMessage } from './handlers/message.handler.ts';
import { replyWith } from './handlers/reply.ts';
import type { TeamsHandlerDeps } from './teams-deps.ts';

const WELCOME =
  'Hi! I bring customer feedback here so someone owns it within 24 hours. In a channel, @mention me with `connect <alias>` to make it a destination.';

export function createTeamsBot(deps: TeamsHandlerDeps): (context: TurnContext) => Promise<void> {
  async function capture(context: TurnContext) {
    try {
      await captureReference(context, deps.channels, deps.workspaceId);
    } catch (error) {
      deps.logger.warn('could not store the Teams conversation reference', { error });
    }
  }

  return async (context) => {
    const { activity } = context;
    switch (activity.type) {
      case ActivityTypes.Message:
        await capture(context);
        return handleMessage(deps, context);
      case ActivityTypes.Invoke:
        if (activity.name === 'adaptiveCard/action') return handleCardAction(deps, context);
        // Anything else we do not implement: say so instead of leaving Teams waiting.
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 501 } });
        return;
      case ActivityTypes.InstallationUpdate: {
        await capture(context);
        const personal = activity.conversation?.conversationType === 'personal';
        if (activity.action === 'add' && personal) await replyWith(deps, context, buildHelpMessage('', WELCOME));
        return;
      }
      case ActivityTypes.ConversationUpdate:
        await capture(context);
        return;
      default:
        return;
    }
  };
}
