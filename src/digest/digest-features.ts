// Builds the scores, digest, schedule and learning services once, plus the thin reply helpers the
// Slack and Teams adapters plug in (they answer with neutral Messages). No adapter types are
// imported here: the shapes match SlackOptionalServices and TeamsExtras structurally.
import { parseLearnedArgs } from '../core/digest/learned-args.ts';
import { learningSharedMessage } from '../core/digest/learning-reply.ts';
import { textMessage } from '../core/digest/schedule-messages.ts';
import type { Platform } from '../core/feedback/item.ts';
import type { Message } from '../core/messages/model.ts';
import type { Clock } from '../core/ports.ts';
import { parseScoresArgs } from '../core/scores/scores-args.ts';
import { buildScoresMessage } from '../core/scores/scores-message.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { createScoresService } from '../scores/scores.service.ts';
import { renderNpsTrendPng } from './chart.ts';
import { type ChartStore, sharedChartStore } from './chart-store.ts';
import { createDigestService } from './digest.service.ts';
import { createLearningService } from './learning.service.ts';
import { createScheduleService } from './schedule.service.ts';

export type DigestFeaturesDeps = {
  db: Db;
  clock: Pick<Clock, 'now'>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  publicUrl?: string;
  graceMinutes?: number;
  defaultTimeZone?: string;
  notifyDelivery?: () => void;
  /** false: digests go out without the trend chart. */
  charts?: ChartStore | false;
};

/** Where a Teams command was typed (TeamsExtras' CommandPlace). */
type Place = { workspaceId: string; platform: Platform; channel: string; actor: { id: string } };

export function createDigestFeatures(deps: DigestFeaturesDeps) {
  const defaultTimeZone = deps.defaultTimeZone ?? 'UTC';
  const charts = deps.charts === false ? undefined : (deps.charts ?? sharedChartStore);
  const scores = createScoresService({ db: deps.db, clock: deps.clock });
  const digests = createDigestService({
    db: deps.db,
    clock: deps.clock,
    defaultTimeZone,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(charts ? { renderChart: (weeks, opts) => renderNpsTrendPng(weeks, opts), charts } : {}),
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
    ...(deps.notifyDelivery ? { notifyDelivery: deps.notifyDelivery } : {}),
  });
  const schedules = createScheduleService({
    db: deps.db,
    clock: deps.clock,
    digests,
    graceMinutes: deps.graceMinutes ?? 120,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.notifyDelivery ? { notifyDelivery: deps.notifyDelivery } : {}),
  });
  const learnings = createLearningService({ db: deps.db, clock: deps.clock });

  /** Teams-style handlers: (place, ...) → the reply Message. */
  const replies = {
    async scores(place: Place, args: string, timeZone?: string): Promise<Message> {
      const command = place.platform === 'slack' ? '/scores' : 'scores';
      const parsed = parseScoresArgs(args, command);
      if (!parsed.ok) return textMessage(parsed.error);
      const result = await scores.getScores(place.workspaceId, {
        period: parsed.args.period,
        ...(parsed.args.by ? { by: parsed.args.by } : {}),
        timeZone: timeZone ?? defaultTimeZone,
      });
      return buildScoresMessage(result, { public: true, command });
    },
    async digestNow(place: Place): Promise<Message> {
      await digests.digestNow(place.workspaceId, { platform: place.platform, channel: place.channel });
      return textMessage('The customer-first digest is on its way to this conversation.');
    },
    async digestSchedule(place: Place, cron: string, timezone: string | null): Promise<Message> {
      const result = await schedules.schedule(place.workspaceId, {
        platform: place.platform,
        channel: place.channel,
        cron,
        timezone: timezone ?? defaultTimeZone,
        createdById: place.actor.id,
      });
      return result.ok ? result.message : textMessage(result.message);
    },
    digestList: (place: Place): Promise<Message> => schedules.list(place.workspaceId),
    async digestOff(place: Place): Promise<Message> {
      const { removed } = await schedules.off(place.workspaceId, { platform: place.platform, channel: place.channel });
      return textMessage(removed ? 'No more scheduled digests here.' : 'This conversation had no scheduled digest.');
    },
    async learned(place: Place, text: string, sourceRef?: string): Promise<Message> {
      const parsed = parseLearnedArgs(text);
      if ('error' in parsed) return textMessage(parsed.error);
      const result = await learnings.shareLearning(place.workspaceId, {
        authorId: place.actor.id,
        text: parsed.text,
        customerQuery: parsed.customerQuery ?? null,
        platform: place.platform,
        sourceRef: sourceRef ?? null,
      });
      return learningSharedMessage({ ...result, customerQuery: parsed.customerQuery ?? null });
    },
  };

  return {
    scores,
    digests,
    schedules,
    learnings,
    replies,
    /** For SlackOptionalServices.digest. */
    slackDigest: {
      digestNow: (workspaceId: string, target: { platform: Platform; channel: string }) =>
        digests.digestNow(workspaceId, target),
      schedule: schedules.schedule,
      list: schedules.list,
      off: schedules.off,
    },
  };
}

export type DigestFeatures = ReturnType<typeof createDigestFeatures>;
