// POST /api/messages: the Bot Framework endpoint. Bad bodies get 400 before botbuilder sees them
// (it throws on a body without `type`); authentication failures get 401 from botbuilder; nothing
// a request does can crash the process.
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../logger.ts';

const MAX_BODY_BYTES = 1_000_000;

async function readJson(req: Request): Promise<unknown> {
  // Parsed already by express.json() when the server mounts it globally.
  if (req.body !== undefined && !Buffer.isBuffer(req.body) && typeof req.body !== 'string') return req.body;
  let raw: string;
  if (typeof req.body === 'string') raw = req.body;
  else if (Buffer.isBuffer(req.body)) raw = req.body.toString('utf8');
  else {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new BadRequest('body too large');
      chunks.push(chunk as Buffer);
    }
    raw = Buffer.concat(chunks).toString('utf8');
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new BadRequest('body is not valid JSON');
  }
}

class BadRequest extends Error {}

/** The reason an activity cannot be processed, or null when it looks like one. */
export function activityProblem(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object (an activity)';
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string' || a.type.trim() === '') return 'type: required (the activity type)';
  if (a.serviceUrl !== undefined && typeof a.serviceUrl !== 'string') return 'serviceUrl: must be a string';
  if (a.conversation !== undefined && (typeof a.conversation !== 'object' || a.conversation === null)) {
    return 'conversation: must be an object';
  }
  if (a.from !== undefined && (typeof a.from !== 'object' || a.from === null)) return 'from: must be an object';
  return null;
}

export function createMessagesRoute(deps: {
  adapter: CloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  logger: Logger;
}): RequestHandler {
  const { adapter, logic, logger } = deps;
  const badRequest = (res: Response, message: string) => {
    if (!res.headersSent) res.status(400).json({ error: 'bad_request', message });
  };

  return async (req, res) => {
    if (req.method !== 'POST') {
      res.status(405).set('allow', 'POST').json({ error: 'method_not_allowed', message: 'POST an activity' });
      return;
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      return badRequest(res, error instanceof BadRequest ? error.message : 'unreadable body');
    }
    const problem = activityProblem(body);
    if (problem) return badRequest(res, problem);
    req.body = body;
    try {
      await adapter.process(req, res, async (context) => {
        try {
          await logic(context);
        } catch (error) {
          // Handlers answer their own errors; this is the net under them.
          logger.error('teams activity failed', { type: context.activity.type, name: context.activity.name, error });
        }
      });
    } catch (error) {
      // botbuilder rejects some malformed activities by throwing before any response is written.
      logger.warn('teams activity rejected', { error });
      badRequest(res, 'malformed activity');
    }
  };
}
