// What the code handling an HTTP request knows about it without being passed it: its id. The
// server runs each request inside `runInRequestContext`; AsyncLocalStorage carries the context
// through awaits and timers, so the logger stamps `requestId` on every line of the request.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export type RequestContext = { readonly requestId: string };

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What we accept from a caller (a proxy, a load balancer, a client): short and log-safe. */
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const storage = new AsyncLocalStorage<RequestContext>();

/** The caller's X-Request-Id when it is valid, else a new UUID (a repeated header is invalid). */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && VALID_REQUEST_ID.test(header) ? header : randomUUID();
}

export function runInRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The request being handled, or undefined outside any request (start-up, the worker, timers). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
