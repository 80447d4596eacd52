// A local fake of the Slack Web API (point `clientOptions.slackApiUrl` / SLACK_API_URL at
// `fake.apiUrl`). It records every call — method, Bearer token, args from form-encoded or JSON
// bodies — answers `ok: true` with plausible `ts`/`channel`, and can be told to fail a method
// (`ratelimited` with Retry-After, `not_in_channel`, `channel_not_found`, `token_revoked`, ...).
// It also serves `response_url`s (`fake.responseUrl(id)`) and records what is posted to them.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SlackCall = {
  /** Web API method (`chat.postMessage`) or `response_url` for posts to a response URL. */
  method: string;
  token: string | null;
  args: Record<string, any>;
  /** For `response_url` calls: the id in the URL. */
  responseId?: string;
};

export type Failure = {
  error: string;
  /** HTTP status; `ratelimited` defaults to 429 with a Retry-After header. */
  status?: number;
  retryAfterSec?: number;
  /** How many calls fail before the method answers normally again (default 1). */
  times?: number;
  /** Only calls whose args match fail. */
  when?: (args: Record<string, any>) => boolean;
};

export type FakeUser = { id: string; name?: string; realName?: string; email?: string | null; isBot?: boolean };

export type FakeSlack = {
  /** Base Web API URL, ending in `/api/`. */
  apiUrl: string;
  baseUrl: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  responseUrl(id: string): string;
  fail(method: string, failure: Failure): void;
  /** Make a method answer with a custom result (merged into `{ ok: true }`). */
  answer(method: string, fn: (args: Record<string, any>) => Record<string, any>): void;
  setUser(user: FakeUser): void;
  setUsergroup(id: string, users: string[]): void;
  /** Forget calls (keeps users, groups and custom answers). */
  clearCalls(): void;
  /** Forget calls, failures, answers, users and groups. */
  reset(): void;
  /** Polls until `predicate` holds (for work Bolt does after ack); throws after `timeoutMs`. */
  waitFor(predicate: (calls: SlackCall[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Form values that hold JSON (blocks, view, ...) are decoded so tests can inspect them. */
function decodeValue(value: string): unknown {
  const t = value.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, any> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, any>;
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = decodeValue(v);
  return out;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  let failures = new Map<string, Failure[]>();
  let answers = new Map<string, (args: Record<string, any>) => Record<string, any>>();
  let users = new Map<string, FakeUser>();
  let groups = new Map<string, string[]>();
  let tsCounter = 0;
  const nextTs = () => {
    tsCounter += 1;
    return `1700000000.${String(tsCounter).padStart(6, '0')}`;
  };

  const defaultAnswer = (method: string, args: Record<string, any>): Record<string, any> => {
    switch (method) {
      case 'auth.test':
        return { url: 'https://fake.slack.com/', team: 'Fake', team_id: 'T0FAKE', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage':
        return { channel: args.channel, ts: nextTs(), message: { text: args.text, blocks: args.blocks } };
      case 'chat.update':
        return { channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { message_ts: nextTs() };
      case 'conversations.open':
        return { channel: { id: `D${String(args.users ?? 'X').split(',')[0]}` } };
      case 'conversations.join':
        return { channel: { id: args.channel } };
      case 'users.info': {
        const id = String(args.user);
        const u = users.get(id) ?? { id, name: id.toLowerCase(), email: `${id.toLowerCase()}@example.com` };
        return {
          user: {
            id,
            name: u.name ?? id.toLowerCase(),
            real_name: u.realName ?? u.name ?? id,
            is_bot: u.isBot ?? false,
            profile: { email: u.email ?? undefined, real_name: u.realName ?? u.name ?? id, display_name: u.name ?? id },
          },
        };
      }
      case 'usergroups.users.list':
        return { users: groups.get(String(args.usergroup)) ?? [] };
      case 'views.open':
      case 'views.update':
      case 'views.push':
      case 'views.publish':
        return { view: { id: `V${nextTs().replace('.', '')}`, ...(typeof args.view === 'object' ? args.view : {}) } };
      default:
        return {};
    }
  };

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith('/response/')) {
      let args: Record<string, any> = {};
      try {
        args = parseArgs(raw, req.headers['content-type'] ?? 'application/json');
      } catch {
        args = { raw };
      }
      calls.push({ method: 'response_url', token, args, responseId: decodeURIComponent(url.pathname.slice(10)) });
      send(200, { ok: true });
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      send(404, { ok: false, error: 'unknown_path' });
      return;
    }
    const method = url.pathname.slice(5);
    let args: Record<string, any>;
    try {
      args = parseArgs(raw, req.headers['content-type']);
    } catch {
      send(200, { ok: false, error: 'invalid_json' });
      return;
    }
    if (token === null && typeof args.token === 'string') {
      // Some clients send the token in the body.
      calls.push({ method, token: args.token, args });
    } else {
      calls.push({ method, token, args });
    }
    const queue = failures.get(method);
    const failure = queue?.find((f) => !f.when || f.when(args));
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) queue!.splice(queue!.indexOf(failure), 1);
      const status = failure.status ?? (failure.error === 'ratelimited' ? 429 : 200);
      const headers: Record<string, string> = {};
      if (failure.error === 'ratelimited' || failure.retryAfterSec !== undefined) {
        headers['retry-after'] = String(failure.retryAfterSec ?? 1);
      }
      send(status, { ok: false, error: failure.error }, headers);
      return;
    }
    const custom = answers.get(method);
    send(200, { ok: true, ...defaultAnswer(method, args), ...(custom ? custom(args) : {}) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responseUrl: (id) => `${baseUrl}/response/${encodeURIComponent(id)}`,
    fail(method, failure) {
      const list = failures.get(method) ?? [];
      list.push({ times: 1, ...failure });
      failures.set(method, list);
    },
    answer(method, fn) {
      answers.set(method, fn);
    },
    setUser(user) {
      users.set(user.id, user);
    },
    setUsergroup(id, members) {
      groups.set(id, members);
    },
    clearCalls() {
      calls.length = 0;
    },
    reset() {
      calls.length = 0;
      failures = new Map();
      answers = new Map();
      users = new Map();
      groups = new Map();
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(calls)) {
        if (Date.now() > deadline) {
          const seen = calls.map((c) => c.method).join(', ');
          throw new Error(`fake Slack: condition not met within ${timeoutMs} ms; calls so far: ${seen || 'none'}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
