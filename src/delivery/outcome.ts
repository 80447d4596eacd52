// From what a job run did to the outbox row's next state: done, dead, or pending again (when and
// with which targets left). Pure, so the retry policy is testable without a database.
import type { OutboxPatch } from '../db/repos/outbox.repo.ts';
import { describeError, isPermanent, RateLimited, RetryLater } from './errors.ts';
import type { JobRun, StoredJob, TargetResult } from './jobs.ts';

/** The row's next state, as the outbox settles it. */
export type RowPatch = OutboxPatch;

export type OutcomePolicy = {
  now: Date;
  maxAttempts: number;
  /** Rate-limit waits do not count as attempts, but a destination that never recovers must end. */
  maxRateLimits: number;
  backoffMs: (attempt: number) => number;
};

export function decideOutcome(row: { attempts: number }, job: StoredJob, run: JobRun, policy: OutcomePolicy): RowPatch {
  const now = policy.now.getTime();
  if (run.kind === 'dead') return { status: 'dead', attempts: row.attempts, lastError: run.error };
  if (run.kind === 'defer') return { status: 'pending', attempts: row.attempts, nextAttemptAt: new Date(run.until) };

  const failed = run.results.filter((r): r is Extract<TargetResult, { status: 'failed' }> => r.status === 'failed');
  const ok = run.results.filter((r) => r.status === 'ok');
  const permanent = failed.filter((r) => isPermanent(r.error));
  const limited = failed.filter((r) => r.error instanceof RateLimited);
  const retryable = failed.filter((r) => !isPermanent(r.error) && !(r.error instanceof RateLimited));
  const deferred = run.results.filter((r): r is Extract<TargetResult, { status: 'deferred' }> => r.status === 'deferred');

  // An attempt is a real try: a success or a failure other than "slow down".
  const attempted = ok.length + permanent.length + retryable.length > 0;
  const attempts = row.attempts + (attempted ? 1 : 0);
  const lastFailure = retryable.at(-1) ?? limited.at(-1) ?? permanent.at(-1);
  const lastError = lastFailure ? describeError(lastFailure.error) : null;
  const remaining = [...retryable, ...limited, ...deferred].map((r) => r.target.key);
  const reserved = deferred.map((r) => r.target.key);

  if (remaining.length === 0) {
    if (permanent.length > 0 && ok.length === 0) return { status: 'dead', attempts, lastError };
    return { status: 'done', attempts, lastError, doneAt: policy.now };
  }

  const rateLimits = (job.rateLimits ?? 0) + (limited.length > 0 ? 1 : 0);
  if (retryable.length > 0 && attempts >= policy.maxAttempts) return { status: 'dead', attempts, lastError };
  if (rateLimits > policy.maxRateLimits) {
    return { status: 'dead', attempts, lastError: `rate limited ${rateLimits} times; last: ${lastError}` };
  }

  // A server that said when to come back (Retry-After on a 503) is not asked again before then.
  const retryAfter = Math.max(0, ...retryable.map((r) => (r.error instanceof RetryLater ? (r.error.retryAfterMs ?? 0) : 0)));
  const waits = [
    retryable.length > 0 ? now + Math.max(policy.backoffMs(attempts), retryAfter) : now,
    ...limited.map((r) => now + (r.error as RateLimited).retryAfterMs),
    ...deferred.map((r) => r.until),
  ];
  const { remaining: _r, rateLimits: _l, reserved: _s, ...base } = job;
  const next: StoredJob = {
    ...base,
    remaining,
    ...(rateLimits > 0 ? { rateLimits } : {}),
    ...(reserved.length > 0 ? { reserved } : {}),
  };
  return {
    status: 'pending',
    attempts,
    nextAttemptAt: new Date(Math.max(...waits)),
    job: next as unknown as Record<string, unknown>,
    ...(lastError ? { lastError } : {}),
  };
}
