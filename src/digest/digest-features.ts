// Builds the scores, digest, schedule and learning services once, with the trend chart wired the
// same way for every caller (the scheduler component; adapters may use it too).
import type { Clock } from '../core/ports.ts';
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

  return {
    scores,
    digests,
    schedules,
    learnings,
  };
}

export type DigestFeatures = ReturnType<typeof createDigestFeatures>;
