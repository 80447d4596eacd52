// Log form submitted: the feedback becomes an item through intake (source `slack`), stored once
// per Slack message (team:channel:ts) or once per form (the view id), and posted like any other.
import { ValidationError } from '../../../../core/errors.ts';
import type { SlackDeps } from '../../context.ts';
import { parseLogSubmission } from '../../modals/log.modal.ts';
import { tellUser } from '../../reply.ts';
import { onSubmit, type SubmitListener } from './view-kit.ts';

export function logSubmitView(deps: SlackDeps): SubmitListener {
  return async (args) => {
    const parsed = parseLogSubmission(args.view.state.values);
    if (!parsed.ok) {
      await args.ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    await args.ack();
    await onSubmit(deps, args, async ({ actor, meta }) => {
      const form = parsed.value;
      const fromMessage = meta.channel && meta.ts;
      // A logged message is one item however often it is logged; a typed note is one per form.
      const externalId = fromMessage ? `${meta.team ?? args.body.team?.id ?? ''}:${meta.channel}:${meta.ts}` : `view:${args.view.id}`;
      const tell = (text: string) => tellUser(args.client, { user: args.body.user.id, channel: meta.channel }, text);
      try {
        const result = await deps.intake.accept(
          actor.workspaceId,
          {
            source: 'slack',
            externalId,
            kind: form.kind,
            score: form.score,
            comment: form.text,
            touchpoint: form.touchpoint,
            tags: [],
            customer: form.customer,
            metadata: {
              loggedBy: actor.person.id,
              ...(fromMessage ? { slack: { channel: meta.channel, ts: meta.ts } } : {}),
            },
          },
          { platform: 'slack', actorId: actor.person.id },
        );
        deps.notifyDelivery();
        await tell(
          result.created
            ? 'Thanks! The feedback is logged; its card will be posted for the champions.'
            : 'That message was already logged as customer feedback; nothing was added.',
        );
      } catch (error) {
        if (error instanceof ValidationError) {
          await tell(`The feedback could not be logged: ${error.issues.map((i) => `${i.path} ${i.message}`).join('; ') || error.message}`);
          return;
        }
        throw error;
      }
    });
  };
}
