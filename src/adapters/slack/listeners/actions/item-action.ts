// What every card button shares, after its ack: parse the versioned payload (an old card gets
// "this card is out of date" with the current card), resolve the clicking person, run the
// handler, and answer expected failures privately. Card updates come from delivery, not here.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ActionContext, ActionResult } from '../../../../core/feedback/action-result.ts';
import { plain } from '../../../../core/messages/markup.ts';
import type { Message } from '../../../../core/messages/model.ts';
import { type ButtonPayload, parseButtonPayload } from '../../../../core/messages/payload.ts';
import { type Actor, actorOf, type SlackDeps, teamOf } from '../../context.ts';
import { publishHome } from '../../home.ts';
import { respondEphemeral, SOMETHING_WENT_WRONG, tellUser } from '../../reply.ts';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
export type ButtonListener = (args: ButtonArgs) => Promise<void>;

export type Clicked = { actor: Actor; payload: ButtonPayload; ctx: ActionContext };

export const OUT_OF_DATE = 'This card is out of date, so nothing was changed.';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An item id from a payload that no longer parses (older version), else from the post it is on. */
async function recoverItemId(deps: SlackDeps, args: ButtonArgs): Promise<string | null> {
  try {
    const item = (JSON.parse(args.action.value ?? '') as { item?: unknown })?.item;
    if (typeof item === 'string' && UUID.test(item)) return item;
  } catch {
    // not JSON at all
  }
  const channel = args.body.container?.channel_id ?? args.body.channel?.id;
  const ts = args.body.container?.message_ts ?? args.body.message?.ts;
  if (!channel || !ts) return null;
  return (await deps.chatPosts.findByMessage('slack', channel, ts))?.itemId ?? null;
}

const fromHome = (args: ButtonArgs) => (args.body.container as { type?: string } | undefined)?.type === 'view';

/**
 * A private answer to the clicker: ephemeral via response_url on a message; on the App Home
 * (no response_url) the Home is re-published with the notice on top.
 */
export async function tell(deps: SlackDeps, args: ButtonArgs, message: string | Message, actor?: Actor): Promise<void> {
  if (args.body.response_url) {
    await respondEphemeral(args.respond, message);
  } else if (fromHome(args) && actor) {
    await publishHome(deps, args.client, actor, typeof message === 'string' ? message : message.text);
  } else {
    await tellUser(args.client, { user: args.body.user.id, channel: args.body.channel?.id }, message);
  }
}

async function replyOutOfDate(deps: SlackDeps, args: ButtonArgs): Promise<void> {
  const itemId = await recoverItemId(deps, args);
  const view = itemId ? await deps.repos.feedback.view(await deps.workspaceOf(teamOf(args.body)), itemId) : null;
  if (!view) {
    await tell(deps, args, `${OUT_OF_DATE} The item it showed no longer exists.`);
    return;
  }
  const card = deps.renderCard(view, deps.clock.now());
  const message: Message = {
    text: `${OUT_OF_DATE} Here is the current card.`,
    blocks: [{ type: 'section', text: `${plain(OUT_OF_DATE)} Here is the current card:` }, { type: 'divider' }, ...card.blocks],
  };
  await tell(deps, args, message);
}

/** Call after `await args.ack()`. */
/**
 * Runs `run` for a click, after `await args.ack()`. `opensForm`: the click opens a modal, whose
 * trigger_id expires 3 s after the click, so it skips the after-ack queue.
 */
export function onButton(
  deps: SlackDeps,
  args: ButtonArgs,
  run: (clicked: Clicked) => Promise<void>,
  opts: { opensForm?: boolean } = {},
): Promise<void> {
  const work = () => handleButton(deps, args, run);
  return opts.opensForm ? work() : deps.afterAck.run(work);
}

async function handleButton(deps: SlackDeps, args: ButtonArgs, run: (clicked: Clicked) => Promise<void>): Promise<void> {
  try {
    const payload = parseButtonPayload(args.action.value);
    if (!payload) {
      await replyOutOfDate(deps, args);
      return;
    }
    const user = args.body.user as { id: string; name?: string; username?: string };
    const actor = await actorOf(deps, args.body, { id: user.id, name: user.name ?? user.username }, args.client);
    const ctx: ActionContext = { workspaceId: actor.workspaceId, itemId: payload.item, actor: actor.person, platform: 'slack' };
    await run({ actor, payload, ctx });
  } catch (error) {
    deps.logger.error('Slack button failed', { action: args.action.action_id, error });
    await tell(deps, args, SOMETHING_WENT_WRONG).catch(() => {});
  }
}

/**
 * Success: wake delivery (every post updates; a click on the Home re-publishes it).
 * Expected failure: tell the clicker why.
 */
export async function answer(deps: SlackDeps, args: ButtonArgs, clicked: Clicked, result: ActionResult): Promise<void> {
  if (result.ok) {
    deps.notifyDelivery();
    if (fromHome(args)) await publishHome(deps, args.client, clicked.actor);
    return;
  }
  await tell(deps, args, result.message, clicked.actor);
}
