// The routing table for a process that runs no chat platform (the CSV importer): the routes file,
// and as defaults the channels the env names (SLACK_DEFAULT_CHANNEL, TEAMS_DEFAULT_CHANNEL) on the
// platforms it configures, else the console. The server's delivery worker posts what is enqueued.
import type { Env } from '../config/env.ts';
import { loadRoutesFile } from '../config/routes-file.ts';
import type { Platform } from '../core/feedback/item.ts';
import type { RoutedDestination, RoutingTable } from '../core/routing/match-route.ts';

export function offlineRoutingTable(env: Env): RoutingTable {
  const platforms: Platform[] = ['console'];
  if (env.slackMode !== 'off') platforms.push('slack');
  if (env.teamsMode !== 'off') platforms.push('teams');
  const defaults: RoutedDestination[] = [];
  if (env.SLACK_DEFAULT_CHANNEL && platforms.includes('slack')) defaults.push({ platform: 'slack', channel: env.SLACK_DEFAULT_CHANNEL });
  if (env.TEAMS_DEFAULT_CHANNEL && platforms.includes('teams')) defaults.push({ platform: 'teams', channel: env.TEAMS_DEFAULT_CHANNEL });
  if (defaults.length === 0) defaults.push({ platform: 'console', channel: 'console' });
  return {
    rules: loadRoutesFile(env.ROUTES_FILE),
    defaults,
    platforms,
    slaHours: env.SLA_HOURS,
    escalationHours: env.UNCLAIMED_ESCALATION_HOURS,
  };
}
