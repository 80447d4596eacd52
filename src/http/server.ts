// One HTTP server on one port: health, then whatever routers the app mounts (intake, Slack, Teams),
// a JSON 404 and a JSON error handler. No global body parser: Slack must verify signatures over
// the raw body, and each router parses what it expects (or asks for JSON with `json: true`).
// Every request gets an id (the caller's valid X-Request-Id, else a new one), echoed in the
// response and stamped on every log line written while it is handled; one line per request
// (debug; info for a 5xx) says how it ended.
import { createServer as createNodeServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from '../logger.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import { REQUEST_ID_HEADER, requestIdFrom, runInRequestContext } from './request-context.ts';

export type Mount = {
  /** Where to mount, e.g. '/api/v1' or '/slack/events'. */
  path: string;
  handler: Router | RequestHandler | RequestHandler[];
  /** Parse JSON bodies first (limit defaults to 1mb). Leave off for routers that parse their own. */
  json?: boolean | { limit?: string };
};

/** A hot path served by node:http directly, before express (exact method and path). */
export type RawRoute = { method: string; path: string; handler: (req: IncomingMessage, res: ServerResponse) => void };

export type Readiness = () => Promise<{ ready: true } | { ready: false; reason: string }>;

export type HttpServerOptions = {
  routes: Mount[];
  rawRoutes?: RawRoute[];
  readiness: Readiness;
  logger: Logger;
  /**
   * Called first for every request (raw routes and express alike), inside its request context,
   * e.g. to time it for HTTP metrics with `res.once('finish', ...)`. It must not write to `res`;
   * if it throws, the error is logged and the request is served anyway.
   */
  observe?: (req: IncomingMessage, res: ServerResponse) => void;
};

export type HttpApp = Express & {
  setShuttingDown(): void;
  /** What node:http calls: a raw route when one matches, else express. */
  listener(req: IncomingMessage, res: ServerResponse): void;
};

export function createHttpApp(opts: HttpServerOptions): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  let shuttingDown = false;

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const state = shuttingDown ? { ready: false as const, reason: 'shutting down' } : await safe(opts.readiness);
    res.status(state.ready ? 200 : 503).json(state);
  });

  for (const route of opts.routes) {
    const handlers = Array.isArray(route.handler) ? route.handler : [route.handler];
    if (route.json) {
      const limit = typeof route.json === 'object' ? (route.json.limit ?? '1mb') : '1mb';
      app.use(route.path, express.json({ limit }), ...handlers);
    } else {
      app.use(route.path, ...handlers);
    }
  }

  app.use(notFoundHandler);
  app.use(errorHandler(opts.logger));
  // Matched like express: case-insensitive, a trailing slash allowed, the query ignored.
  const raw = new Map((opts.rawRoutes ?? []).map((r) => [`${r.method} ${r.path.toLowerCase()}`, r.handler]));
  const rawKey = (req: IncomingMessage) => {
    const path = (req.url ?? '/').split('?')[0]!.toLowerCase();
    return `${req.method} ${path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path}`;
  };
  return Object.assign(app, {
    setShuttingDown() {
      shuttingDown = true;
    },
    listener(req: IncomingMessage, res: ServerResponse) {
      const requestId = requestIdFrom(req.headers['x-request-id']);
      res.setHeader(REQUEST_ID_HEADER, requestId);
      runInRequestContext({ requestId }, () => {
        if (opts.observe) {
          try {
            opts.observe(req, res);
          } catch (error) {
            opts.logger.error('http observe hook failed', { error });
          }
        }
        logWhenDone(opts.logger, req, res, requestId);
        const handler = raw.size > 0 ? raw.get(rawKey(req)) : undefined;
        if (handler) handler(req, res);
        else app(req, res);
      });
    },
  });
}

/** One line per request: method, path (never the query: it can carry secrets), status, duration. */
function logWhenDone(logger: Logger, req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const started = performance.now();
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0]!.slice(0, 200);
  res.once('close', () => {
    const status = res.statusCode;
    const fields = {
      method,
      path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      requestId,
      // The client went away before the whole answer was sent.
      ...(res.writableFinished ? {} : { aborted: true }),
    };
    if (status >= 500) logger.info(`${method} ${path} ${status}`, fields);
    else logger.debug(`${method} ${path} ${status}`, fields);
  });
}

async function safe(readiness: Readiness) {
  try {
    return await readiness();
  } catch (error) {
    return { ready: false as const, reason: error instanceof Error ? error.message : String(error) };
  }
}

export type RunningServer = {
  server: Server;
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes the rest. */
  close(graceMs?: number): Promise<void>;
};

export async function listen(app: HttpApp, opts: { port: number; host?: string }): Promise<RunningServer> {
  const server = createNodeServer(app.listener);
  // Slack retries after 3 s and Teams after 15 s; a slow client must not hold a socket forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host && opts.host !== '0.0.0.0' && opts.host !== '::' ? opts.host : 'localhost';
  let closing: Promise<void> | null = null;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close(graceMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        app.setShuttingDown();
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Keep-alive sockets with no request in flight would hold close() open.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
