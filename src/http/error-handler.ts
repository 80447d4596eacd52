// The last middleware: every error becomes a JSON 4xx/5xx, never a crash or an HTML page.
// Routers may answer their own errors first (intake does, with field paths); this catches the rest.
import type { NextFunction, Request, Response } from 'express';
import { Conflict, DomainError, Forbidden, NotFound, ValidationError } from '../core/errors.ts';
import type { Logger } from '../logger.ts';

type HttpishError = Error & { type?: string; status?: number; statusCode?: number; expose?: boolean };

export type ErrorBody = { error: string; issues?: { path: string; message: string }[] };

/** Maps an error to a status and a body that says what to fix (and never leaks internals). */
export function errorResponse(err: unknown): { status: number; body: ErrorBody } {
  const e = err as HttpishError;
  // body-parser (express.json / raw / urlencoded) errors carry a `type`.
  switch (e?.type) {
    case 'entity.parse.failed':
      return { status: 400, body: { error: `Request body is not valid JSON: ${e.message}` } };
    case 'entity.too.large':
      return { status: 413, body: { error: 'Request body is too large' } };
    case 'encoding.unsupported':
      return { status: 415, body: { error: `Content-Encoding is not supported: ${e.message}` } };
    case 'charset.unsupported':
      return { status: 415, body: { error: `Content-Type charset is not supported: ${e.message}` } };
    case 'request.aborted':
      return { status: 400, body: { error: 'Request was aborted by the client' } };
  }
  if (err instanceof ValidationError) return { status: 400, body: { error: err.message, issues: err.issues } };
  if (err instanceof NotFound) return { status: 404, body: { error: err.message } };
  if (err instanceof Forbidden) return { status: 403, body: { error: err.message } };
  if (err instanceof Conflict) return { status: 409, body: { error: err.message } };
  if (err instanceof DomainError) return { status: 400, body: { error: err.message } };
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { error: e.expose === false ? 'Bad request' : (e.message || 'Bad request') } };
  }
  return { status: 500, body: { error: 'Internal error' } };
}

export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { status, body } = errorResponse(err);
    if (status >= 500) logger.error('request failed', { method: req.method, path: req.path, error: err, stack: (err as Error)?.stack });
    else logger.debug('request rejected', { method: req.method, path: req.path, status, error: body.error });
    res.status(status).json(body);
  };
}

export function notFoundHandler(req: Request, res: Response): void {
  res.status(404).json({ error: `No route for ${req.method} ${req.path}` });
}
