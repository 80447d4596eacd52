// The Teams part of the app (src/components.ts): its ChatPort, POST /api/messages, and the
// optional command services (scores, digest, learnings) it reaches from the AppContext.
import type { AppComponent, AppContext } from '../../app-context.ts';
import { parseLearnedArgs } from '../../core/digest/learned-args.ts';
import { plain } from '../../core/messages/markup.ts';
import type { Message } from '../../core/messages/model.ts';
import { noticeMessage } from '../../core/messages/text.ts';
import { parseScoresArgs } from '../../core/scores/scores-args.ts';
import { buildScoresMessage } from '../../core/scores/scores-message.ts';
import { createTeamsAdapter, type TeamsExtras } from './index.ts';

const section = (text: string): Message => ({ text, blocks: [{ type: 'section', text }] });

export function teamsExtras(ctx: AppContext): TeamsExtras {
  const { scores, learnings, digests, schedules } = ctx.features;
  const target = (place: { channel: string }) => ({ platform: 'teams' as const, channel: place.channel });

  return {
    async scores(place, args) {
      const parsed = parseScoresArgs(args, 'scores');
      if (!parsed.ok) return section(parsed.error);
      const result = await scores.getScores(place.workspaceId, {
        period: parsed.args.period,
        by: parsed.args.by,
        timeZone: place.timezone,
      });
      // Teams has no private replies: the answer is visible to the conversation.
      return buildScoresMessage(result, { public: true, command: 'scores' });
    },
    async digestNow(place) {
      await digests.digestNow(place.workspaceId, { ...target(place), timezone: place.timezone }, place.actor);
      return noticeMessage('The customer-first digest is on its way to this conversation.');
    },
    async digestSchedule(place, cron, timezone) {
      const result = await schedules.schedule(place.workspaceId, {
        ...target(place),
        cron,
        timezone: timezone ?? place.timezone ?? 'UTC',
        createdById: place.actor.id,
      });
      return result.ok ? result.message : noticeMessage(result.message);
    },
    digestList: (place) => schedules.list(place.workspaceId),
    async digestOff(place) {
      const { removed } = await schedules.off(place.workspaceId, target(place));
      return noticeMessage(removed ? 'No more scheduled digests in this conversation.' : 'This conversation had no scheduled digest.');
    },
    routes: (place) => ctx.routes.list(place.workspaceId),
    routeTest: (place, arg) => ctx.routes.test(place.workspaceId, arg),
    async learned(place, text, sourceRef) {
      const parsed = parseLearnedArgs(text);
      if ('error' in parsed) return section(parsed.error.replaceAll('/cx learned', 'learned'));
      const result = await learnings.add(place.workspaceId, {
        authorId: place.actor.id,
        text: parsed.text,
        customerQuery: parsed.customerQuery ?? null,
        platform: 'teams',
        sourceRef,
      });
      const about = result.customer?.name ? ` (about ${plain(result.customer.name)})` : '';
      const missing = result.customerNotFound
        ? ` I couldn't find the customer ${plain(`“${parsed.customerQuery}”`)}, so it is saved without one.`
        : '';
      return section(`Thanks for sharing${about}! It will be in the next customer-first digest.${missing}`);
    },
  };
}

export function createTeamsComponent(ctx: AppContext): AppComponent | null {
  if (ctx.env.teamsMode === 'off') return null;
  const teams = createTeamsAdapter({
    env: ctx.env,
    db: ctx.db.db,
    workspaceId: ctx.workspaceId,
    clock: ctx.clock,
    logger: ctx.logger,
    actions: ctx.actions,
    intake: ctx.intake,
    extras: teamsExtras(ctx),
  });
  const channel = ctx.env.TEAMS_DEFAULT_CHANNEL;
  return {
    name: 'teams',
    port: teams.chatPort,
    routes: [{ path: '/api/messages', handler: teams.handler }],
    describe: () => [
      `Teams: ${ctx.env.teamsMode === 'local' ? 'LOCAL mode, authentication off (Agents Playground)' : 'connected'}, endpoint /api/messages` +
        (channel ? `, new feedback goes to the conversation connected as "${channel}"` : ''),
    ],
  };
}
