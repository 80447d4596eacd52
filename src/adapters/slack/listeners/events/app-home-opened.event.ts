// Opening the app's Home tab publishes the person's items, the queue and their week.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { actorOf, type SlackDeps } from '../../context.ts';
import { publishHome } from '../../home.ts';

export function appHomeOpenedEvent(deps: SlackDeps) {
  return async (args: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (args.event.tab !== 'home') return;
    try {
      const actor = await actorOf(deps, args.body, { id: args.event.user }, args.client);
      await publishHome(deps, args.client, actor);
    } catch (error) {
      deps.logger.error('Slack App Home failed', { user: args.event.user, error });
    }
  };
}
