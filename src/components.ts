// The optional parts of the app, each switched on by its env (see src/config/env.ts). A chat
// platform or a background job is one factory here: it gets the AppContext and returns its
// ChatPort, HTTP routes, default destinations and start/stop hooks (or null when off).
import { createSlackComponent } from './adapters/slack/slack.component.ts';
import { createTeamsComponent } from './adapters/teams/teams.component.ts';
import type { ComponentFactory } from './app-context.ts';
import { createSchedulerComponent } from './scheduler/scheduler.component.ts';

export const componentFactories: ComponentFactory[] = [
  (ctx) => (ctx.env.slackMode === 'off' ? null : createSlackComponent(ctx)),
  (ctx) => (ctx.env.teamsMode === 'off' ? null : createTeamsComponent(ctx)),
  (ctx) => createSchedulerComponent(ctx),
];
