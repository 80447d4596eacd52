// The routing table the app runs with: the routes file's rules, the default destinations (env and
// components) and the platforms that can post. Built once chat platforms are known; warns at
// start-up about destinations on a platform that is not configured (those are left out).
import type { Platform } from '../core/feedback/item.ts';
import type { RoutedDestination, RoutingTable } from '../core/routing/match-route.ts';
import type { RouteRule } from '../core/routing/routes-schema.ts';
import type { Env } from '../config/env.ts';
import type { Logger } from '../logger.ts';
import type { ChampionChannel } from '../sla/sla-sweeper.service.ts';

export function buildRoutingTable(opts: {
  rules: RouteRule[];
  defaults: RoutedDestination[];
  platforms: Platform[];
  slaHours: number;
  escalationHours: number;
  logger: Pick<Logger, 'warn'>;
}): RoutingTable {
  for (const rule of opts.rules) {
    for (const platform of ['slack', 'teams'] as const) {
      const named = [...(rule.to?.[platform] ?? [])];
      if (named.length > 0 && !opts.platforms.includes(platform)) {
        opts.logger.warn(`route "${rule.name}" posts to ${platform} (${named.join(', ')}) but ${platform} is not configured: those destinations are left out`);
      }
    }
  }
  return {
    rules: opts.rules,
    defaults: opts.defaults,
    platforms: opts.platforms,
    slaHours: opts.slaHours,
    escalationHours: opts.escalationHours,
  };
}

/** CHAMPION_CHANNEL (Slack) and TEAMS_CHAMPION_CHANNEL, on the platforms that are configured. */
export function championChannels(
  env: Pick<Env, 'CHAMPION_CHANNEL' | 'TEAMS_CHAMPION_CHANNEL'>,
  ports: Partial<Record<Platform, unknown>>,
  logger: Pick<Logger, 'warn'>,
): ChampionChannel[] {
  const out: ChampionChannel[] = [];
  for (const [platform, channel, name] of [
    ['slack', env.CHAMPION_CHANNEL, 'CHAMPION_CHANNEL'],
    ['teams', env.TEAMS_CHAMPION_CHANNEL?.replace(/^#/, '').toLowerCase(), 'TEAMS_CHAMPION_CHANNEL'],
  ] as const) {
    if (!channel) continue;
    if (ports[platform]) out.push({ platform, channel });
    else logger.warn(`${name} is set but ${platform} is not configured: ignoring it`);
  }
  return out;
}
