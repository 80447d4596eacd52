// Composes the "customer first" digest (fetch → pure compose) and posts one on demand
// (`/cx digest`) through the outbox. The scheduler (schedule.service.ts) composes inside its
// run transaction by passing its executor.
import { composeDigest } from '../core/digest/compose-digest.ts';
import type { Platform } from '../core/feedback/item.ts';
import type { Message } from '../core/messages/model.ts';
import type { Clock } from '../core/ports.ts';
import type { Db, Executor } from '../db/client.ts';
import { createDigestRepo } from '../db/repos/digest.repo.ts';
import { createOutboxRepo } from '../db/repos/outbox.repo.ts';
import type { Logger } from '../logger.ts';
import { createScoresService } from '../scores/scores.service.ts';
import type { ChartStore } from './chart-store.ts';
import { chartUrl } from './chart.route.ts';
import { createDigestDataRepo } from './digest-data.ts';

export type DigestTarget = { platform: Platform; channel: string; timezone?: string };
export type ComposeRequest = {
  platform: Platform;
  timeZone: string;
  since: Date;
  until: Date;
  /** The scheduled fire time, for the title's day (defaults to `until`). */
  day?: Date;
};
export type ChartRenderer = (
  weeks: { weekStart: string; nps: number | null; n: number }[],
  opts: { scale: number },
) => Promise<Buffer>;

export type DigestServiceDeps = {
  db: Db;
  clock: Pick<Clock, 'now'>;
  /** Used when neither the request nor the channel's schedule names a time zone. */
  defaultTimeZone?: string;
  logger?: Pick<Logger, 'warn'>;
  /**
   * The NPS trend chart. Teams gets it inline (data URL); Slack needs it hosted: `charts` +
   * `publicUrl` (served by chart.route.ts). Leave `renderChart` unset to skip the chart.
   */
  renderChart?: ChartRenderer;
  charts?: ChartStore;
  publicUrl?: string;
  /** Wakes the delivery worker after an on-demand digest was committed. */
  notifyDelivery?: () => void;
};

const DAY_MS = 86_400_000;

export function createDigestService(deps: DigestServiceDeps) {
  const scores = createScoresService({ db: deps.db, clock: deps.clock });

  async function chartFor(workspaceId: string, req: ComposeRequest, db: Executor) {
    if (!deps.renderChart) return undefined;
    const hosted = deps.charts && deps.publicUrl;
    if (req.platform !== 'teams' && !hosted) return undefined;
    try {
      const weeks = await scores.npsTrend(workspaceId, { weeks: 12, timeZone: req.timeZone, db });
      if (weeks.every((w) => w.n === 0)) return undefined;
      // Inline images count against Teams' 80 KB card budget: render those at scale 1.
      const png = await deps.renderChart(weeks, { scale: req.platform === 'teams' ? 1 : 1.5 });
      const alt = `NPS by week for the last 12 weeks: ${weeks
        .filter((w) => w.nps !== null)
        .map((w) => Math.round(w.nps!))
        .join(', ')}`;
      // Teams renders data URLs in Adaptive Card images; Slack must fetch an https URL.
      const url =
        req.platform === 'teams'
          ? `data:image/png;base64,${png.toString('base64')}`
          : chartUrl(deps.publicUrl!, deps.charts!.put(png));
      return { url, alt };
    } catch (error) {
      deps.logger?.warn('digest chart failed; posting without it', { error: String(error) });
      return undefined;
    }
  }

  async function compose(workspaceId: string, req: ComposeRequest, db: Executor = deps.db): Promise<Message> {
    const data = await createDigestDataRepo(db).fetch(workspaceId, {
      since: req.since,
      until: req.until,
      timeZone: req.timeZone,
    });
    const chart = await chartFor(workspaceId, req, db);
    return composeDigest(data, {
      timeZone: req.timeZone,
      command: req.platform === 'slack' ? '/cx' : 'cx',
      ...(req.day ? { day: req.day } : {}),
      ...(chart ? { chart } : {}),
    });
  }

  return {
    compose,

    /**
     * `/cx digest`: the last 24 h, posted to the channel now (via the outbox). The time zone is the
     * request's, else the channel's schedule's, else the default.
     */
    async digestNow(workspaceId: string, target: DigestTarget, _requestedBy?: unknown): Promise<{ message: Message }> {
      const until = deps.clock.now();
      let timeZone = target.timezone;
      if (!timeZone) {
        const schedules = await createDigestRepo(deps.db).listSchedules(workspaceId);
        timeZone =
          schedules.find((s) => s.platform === target.platform && s.channel === target.channel)?.timezone ??
          deps.defaultTimeZone ??
          'UTC';
      }
      const message = await compose(workspaceId, {
        platform: target.platform,
        timeZone,
        since: new Date(until.getTime() - DAY_MS),
        until,
      });
      await deps.db.transaction((tx) =>
        createOutboxRepo(tx).enqueue(workspaceId, [
          { type: 'channel.message', platform: target.platform, channel: target.channel, message, purpose: 'digest' },
        ]),
      );
      deps.notifyDelivery?.();
      return { message };
    },
  };
}

export type DigestService = ReturnType<typeof createDigestService>;
