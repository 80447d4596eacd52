// Publishes a person's App Home (views.publish is idempotent: the latest call wins).
import type { WebClient } from '@slack/web-api';
import { buildAppHome, weekStats } from '../../core/messages/app-home.ts';
import { plain } from '../../core/messages/markup.ts';
import type { Actor, SlackDeps } from './context.ts';
import { toBlockKit } from './render/block-kit.ts';

const HOME_BLOCKS = 100; // Home views allow 100 blocks (messages 50)

export async function publishHome(deps: SlackDeps, client: WebClient, actor: Actor, notice?: string): Promise<void> {
  const { workspaceId, person } = actor;
  const now = deps.clock.now();
  const [mine, queue, history] = await Promise.all([
    deps.repos.feedback.list(workspaceId, { status: ['claimed'], claimedById: person.id, limit: 50 }),
    deps.repos.feedback.list(workspaceId, { status: ['open'], limit: 50 }),
    deps.repos.feedback.list(workspaceId, { claimedById: person.id, limit: 500 }),
  ]);
  const message = buildAppHome({ me: person, mine, queue, week: weekStats(history, person.id, now) }, now, {
    timezone: actor.tz ?? deps.timezone,
  });
  if (notice) message.blocks.splice(1, 0, { type: 'section', text: `:warning: ${plain(notice)}` });
  const blocks = toBlockKit(message).blocks.slice(0, HOME_BLOCKS);
  await client.views.publish({ user_id: person.slackUserId ?? '', view: { type: 'home', blocks } });
}
