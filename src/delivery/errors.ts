// Chat delivery errors, one class per failure family. Adapters (Slack, Teams) map their SDK errors
// to these; the worker decides from the class alone: RateLimited → wait exactly retryAfterMs,
// PermanentDeliveryError → dead-letter now, anything else → retry with backoff (RetryLater: and
// not before its retryAfterMs).
export class ChatError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** HTTP 429 / Slack `ratelimited`: try again after exactly this long. */
export class RateLimited extends ChatError {
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited, retry after ${retryAfterMs} ms`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A failure worth retrying (an HTTP 5xx) whose server may have said when to come back: it counts
 * as an attempt and is retried after its backoff, but never before `retryAfterMs`.
 */
export class RetryLater extends ChatError {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Retrying cannot help: the job is dead-lettered immediately with this message. */
export class PermanentDeliveryError extends ChatError {}

export class ChannelNotFound extends PermanentDeliveryError {}
export class NotInChannel extends PermanentDeliveryError {}
export class TokenRevoked extends PermanentDeliveryError {}
/** The message to update or reply to no longer exists (deleted by a user). */
export class MessageNotFound extends PermanentDeliveryError {}
/** No ChatPort is configured for the job's platform. */
export class NoChatPort extends PermanentDeliveryError {}

export function isPermanent(error: unknown): error is PermanentDeliveryError {
  return error instanceof PermanentDeliveryError;
}

/** One line for `outbox.last_error` and the attempt event. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 1000);
  // drizzle wraps driver errors ("Failed query: ..."): the cause says what went wrong.
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`.slice(0, 1000);
}
