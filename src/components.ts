// The optional parts of the app, each switched on by its env (see src/config/env.ts). A chat
// platform or a background job is one factory here: it gets the AppContext and returns its
// ChatPort, HTTP routes, default destinations and start/stop hooks (or null when off).
// Platforms are imported only when configured: Bolt and botbuilder add seconds to a bare start.
import type { ComponentFactory } from './app-context.ts';
import { createSchedulerComponent } from './scheduler/scheduler.component.ts';

export const componentFactories: ComponentFactory[] = [
  async (ctx) =>
    ctx.env.slackMode === 'off'
      ? null
      : (await import('./adapters/slack/slack.component.ts')).createSlackComponent(ctx),
  async (ctx) =>
    ctx.env.teamsMode === 'off'
      ? null
      : (await import('./adapters/teams/teams.component.ts')).createTeamsComponent(ctx),
  (ctx) => createSchedulerComponent(ctx),
];
