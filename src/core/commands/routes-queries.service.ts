// `routes` and `route test <item id | JSON>`, shared by Slack and Teams: read-only, nothing posted.
import type { FeedbackRepo, Clock } from '../ports.ts';
import { noticeMessage } from '../messages/text.ts';
import type { Message } from '../messages/model.ts';
import { type RoutingTable, routeItem } from '../routing/match-route.ts';
import { parseRouteSubject } from '../routing/route-subject.ts';
import { buildRouteTest, buildRoutesList } from '../routing/routes-message.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WEEK_MS = 7 * 24 * 3_600_000;

export type RouteQueriesDeps = {
  routing: { readonly table: RoutingTable };
  /** Items per route (lower-cased name) created since `since`. */
  countByRoute(workspaceId: string, since: Date): Promise<Map<string, number>>;
  feedback: Pick<FeedbackRepo, 'view'>;
  clock: Clock;
  /** The routes file's path, shown under the list. */
  source?: string | null;
};

export const ROUTE_TEST_USAGE = 'Usage: route test <item id | JSON>, for example: route test {"kind":"nps","score":3,"comment":"I want a refund"}';

export function createRouteQueries(deps: RouteQueriesDeps) {
  return {
    async list(workspaceId: string): Promise<Message> {
      const counts = await deps.countByRoute(workspaceId, new Date(deps.clock.now().getTime() - WEEK_MS));
      return buildRoutesList(deps.routing.table, counts, deps.source ?? null);
    },

    async test(workspaceId: string, arg: string): Promise<Message> {
      const text = arg.trim();
      const table = deps.routing.table;
      if (UUID.test(text)) {
        const view = await deps.feedback.view(workspaceId, text);
        if (!view) return noticeMessage(`No item ${text} in this workspace.`);
        return buildRouteTest(table, view, routeItem(table, view), `Item ${text} (stored route: ${view.route ?? 'none'})`);
      }
      if (!text.startsWith('{')) return noticeMessage(ROUTE_TEST_USAGE);
      const parsed = parseRouteSubject(text);
      if (!parsed.ok) return noticeMessage(parsed.error);
      return buildRouteTest(table, parsed.subject, routeItem(table, parsed.subject), 'The item you described');
    },
  };
}

export type RouteQueries = ReturnType<typeof createRouteQueries>;
