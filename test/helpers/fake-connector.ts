// A local fake Bot Connector: the bot's `serviceUrl` in tests. It records every call the bot makes
// (POST/PUT activities, member look-ups) and answers like the real service: `{ id }` for activity
// writes. Tests can make the next calls fail (429 with Retry-After, 412, 502, 504, ...).
import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedCall = {
  method: string;
  path: string;
  /** Decoded conversation id from the path (may include `;messageid=`). */
  conversationId: string | null;
  /** The activity id in the path: replyToId for POST, the updated activity for PUT. */
  activityId: string | null;
  /** The id the fake answered with (POST/PUT of activities). */
  answeredId: string | null;
  status: number;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | null;
};

export type Member = { id: string; name?: string; aadObjectId?: string; email?: string; userPrincipalName?: string };

export type FakeConnector = {
  /** serviceUrl to put in activities, with a trailing slash. */
  url: string;
  calls: RecordedCall[];
  /** Successful activity writes (POST or PUT), in order. */
  activities(): RecordedCall[];
  /** The next `times` activity writes answer `status` (e.g. 429 with retryAfterSeconds). */
  failNext(status: number, opts?: { times?: number; retryAfterSeconds?: number }): void;
  /** Members answered by GET /v3/conversations/{id}/members/{userId}. */
  addMember(member: Member): void;
  /** Resolves once `predicate` holds for the recorded calls (polls; for async deliveries). */
  waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs?: number): Promise<void>;
  clear(): void;
  close(): Promise<void>;
};

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;
const MEMBER = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)\/?$/;

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: RecordedCall[] = [];
  const members = new Map<string, Member>();
  const failures: { status: number; retryAfterSeconds?: number }[] = [];
  let seq = 0;

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | null = null;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    const activity = ACTIVITIES.exec(path);
    const member = MEMBER.exec(path);
    const call: RecordedCall = {
      method,
      path,
      conversationId: activity ? decodeURIComponent(activity[1]!) : member ? decodeURIComponent(member[1]!) : null,
      activityId: activity?.[2] ? decodeURIComponent(activity[2]) : null,
      answeredId: null,
      status: 200,
      headers: req.headers,
      body,
    };
    calls.push(call);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };

    if (activity && (method === 'POST' || method === 'PUT')) {
      const failure = failures.shift();
      if (failure) {
        const headers: Record<string, string> = {};
        if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
        return send(failure.status, { error: { code: `Fake${failure.status}`, message: 'fake failure' } }, headers);
      }
      const id = method === 'PUT' ? call.activityId! : `act-${++seq}`;
      call.answeredId = id;
      return send(method === 'PUT' ? 200 : 201, { id });
    }
    if (member && method === 'GET') {
      const found = members.get(decodeURIComponent(member[2]!));
      if (!found) return send(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
      return send(200, found);
    }
    if (path === '/v3/conversations' && method === 'POST') {
      const id = `conv-${++seq}`;
      call.answeredId = id;
      return send(201, { id });
    }
    send(404, { error: { code: 'NotFound', message: `no fake for ${method} ${path}` } });
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    activities: () => calls.filter((c) => c.answeredId !== null && c.path.includes('/activities')),
    failNext(status, opts = {}) {
      for (let i = 0; i < (opts.times ?? 1); i++) failures.push({ status, retryAfterSeconds: opts.retryAfterSeconds });
    },
    addMember(m) {
      members.set(m.id, m);
      if (m.aadObjectId) members.set(m.aadObjectId, m);
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(calls)) {
        if (Date.now() > deadline) throw new Error(`fake connector: condition not met in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    clear() {
      calls.length = 0;
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
