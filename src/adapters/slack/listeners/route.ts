// Every Slack request reaches its handler through ONE Bolt global middleware that looks the
// handler up by kind and id. Bolt runs each request through the middleware chain of every
// registered listener (App.processEvent), so each listener costs every request, matched or not:
// measured with one listener per id (17), a click made 3–4× the young-generation collections of a
// bare Bolt app, and those pauses were the ack-latency tail (bench/RESULTS.md, Slack ack). The
// index.ts of each folder stays the only place its ids are bound, one handler per file.
import type { AnyMiddlewareArgs, App } from '@slack/bolt';
import { baseActionId } from '../render/block-kit.ts';

/**
 * A handler gets Bolt's listener arguments (ack, respond, client, the payload under its alias);
 * each declares the Bolt argument type of its kind, which the table cannot know (hence `never`).
 */
export type SlackHandler = (args: never) => Promise<void>;

export type Routes = {
  /** Card buttons by ActionId (a repeated button's `:n` suffix is ignored). */
  actions: Record<string, SlackHandler>;
  /** Modal submissions by callback id. */
  views: Record<string, SlackHandler>;
  /** Slash commands by name, e.g. `/cx`. */
  commands: Record<string, SlackHandler>;
  /** Message shortcuts by callback id. */
  shortcuts: Record<string, SlackHandler>;
  /** Events by type; `message` may list several handlers, each ignoring what is not its own. */
  events: Record<string, SlackHandler>;
};

type Body = {
  type?: string;
  command?: string;
  callback_id?: string;
  view?: { callback_id?: string };
  event?: { type?: string };
  actions?: { action_id?: string }[];
};

const own = <T>(table: Record<string, T>, key: string | undefined): T | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;

/** The handler for a request, or undefined (Bolt then treats it as unhandled, as before). */
export function handlerFor(routes: Routes, body: Body): SlackHandler | undefined {
  if (typeof body.command === 'string') return own(routes.commands, body.command);
  switch (body.type) {
    case 'block_actions':
      return own(routes.actions, baseActionId(body.actions?.[0]?.action_id ?? ''));
    case 'view_submission':
      return own(routes.views, body.view?.callback_id);
    case 'message_action':
      return own(routes.shortcuts, body.callback_id);
    case 'event_callback':
      return own(routes.events, body.event?.type);
    default:
      return undefined;
  }
}

/** Installs the router; register it after the global middleware that must wrap every handler. */
export function routeRequests(app: App, routes: Routes): void {
  app.use(async (args: AnyMiddlewareArgs & { next: () => Promise<void> }) => {
    const handler = handlerFor(routes, args.body as Body);
    if (handler) await handler(args as never);
    else await args.next();
  });
}
