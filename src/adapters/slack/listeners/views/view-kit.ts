// What the modal submissions share: validate before ack (errors next to the fields), ack, then
// resolve the person and call one service; expected failures go back privately.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ActionResult } from '../../../../core/feedback/action-result.ts';
import { type Actor, actorOf, type SlackDeps } from '../../context.ts';
import { decodeMetadata, type ModalMetadata } from '../../modals/modal-kit.ts';
import { SOMETHING_WENT_WRONG, tellUser } from '../../reply.ts';

export type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type SubmitListener = (args: SubmitArgs) => Promise<void>;

export type Submitted = { actor: Actor; meta: ModalMetadata };

/** Call after `await args.ack()`. */
export function onSubmit(deps: SlackDeps, args: SubmitArgs, run: (s: Submitted) => Promise<void>): Promise<void> {
  return deps.afterAck.run(() => handleSubmit(deps, args, run));
}

async function handleSubmit(deps: SlackDeps, args: SubmitArgs, run: (s: Submitted) => Promise<void>): Promise<void> {
  const meta = decodeMetadata(args.view.private_metadata) ?? { v: 1 as const };
  try {
    const user = args.body.user as { id: string; name?: string };
    const actor = await actorOf(deps, args.body, { id: user.id, name: user.name }, args.client);
    await run({ actor, meta });
  } catch (error) {
    deps.logger.error('Slack form submission failed', { callback: args.view.callback_id, error });
    await tellUser(args.client, { user: args.body.user.id, channel: meta.channel }, SOMETHING_WENT_WRONG).catch(() => {});
  }
}

export async function answerSubmit(deps: SlackDeps, args: SubmitArgs, meta: ModalMetadata, result: ActionResult): Promise<void> {
  if (result.ok) {
    deps.notifyDelivery();
    return;
  }
  await tellUser(args.client, { user: args.body.user.id, channel: meta.channel }, result.message);
}
