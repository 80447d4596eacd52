// Signs and sends requests the way Slack does:
//   X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + rawBody))
// plus builders for the payloads Slack sends (block actions, view submissions, slash commands,
// shortcuts, events), so tests read like what happens in a workspace.
import { createHmac } from 'node:crypto';

export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export type SignedRequest = { body: string; headers: Record<string, string> };

export type SignOptions = {
  /** Unix seconds; default now. Use now - 600 for a stale request. */
  timestamp?: number;
  /** Sign with another secret (a forged request). */
  secret?: string;
  retryNum?: number;
  retryReason?: string;
};

/** `form` bodies are what Slack sends for commands and interactivity; `json` for events. */
export function signSlackRequest(
  secret: string,
  body: { form: Record<string, string> } | { json: unknown },
  opts: SignOptions = {},
): SignedRequest {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const isForm = 'form' in body;
  const raw = isForm ? new URLSearchParams(body.form).toString() : JSON.stringify(body.json);
  const headers: Record<string, string> = {
    // Bolt compares the content type exactly.
    'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(opts.secret ?? secret, timestamp, raw),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  return { body: raw, headers };
}

export async function sendSlack(
  url: string,
  secret: string,
  body: { form: Record<string, string> } | { json: unknown },
  opts: SignOptions = {},
): Promise<{ status: number; text: string; json: any }> {
  const req = signSlackRequest(secret, body, opts);
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}

// ------------------------------------------------------------------ payload builders

export type Who = { user?: string; team?: string };

const teamOf = (w: Who) => ({ id: w.team ?? 'T0FAKE', domain: 'fake' });
const userOf = (w: Who) => ({ id: w.user ?? 'U1', username: (w.user ?? 'U1').toLowerCase(), team_id: w.team ?? 'T0FAKE' });

export function blockAction(
  a: Who & {
    actionId: string;
    value: string;
    channel?: string;
    messageTs?: string;
    responseUrl?: string;
    triggerId?: string;
  },
): { form: Record<string, string> } {
  const payload = {
    type: 'block_actions',
    team: teamOf(a),
    user: userOf(a),
    api_app_id: 'A0FAKE',
    token: 'legacy',
    container: { type: 'message', message_ts: a.messageTs ?? '1700000000.000001', channel_id: a.channel ?? 'C1', is_ephemeral: false },
    trigger_id: a.triggerId ?? `trig-${Math.random().toString(36).slice(2)}`,
    channel: { id: a.channel ?? 'C1', name: 'feedback' },
    message: { type: 'message', ts: a.messageTs ?? '1700000000.000001', text: 'card' },
    response_url: a.responseUrl ?? 'http://127.0.0.1:9/none',
    actions: [
      {
        type: 'button',
        action_id: a.actionId,
        block_id: 'actions',
        value: a.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  return { form: { payload: JSON.stringify(payload) } };
}

/** `values` is block_id → action_id → value object, as Slack sends in view.state.values. */
export function viewSubmission(
  a: Who & { callbackId: string; privateMetadata?: string; values: Record<string, Record<string, unknown>>; viewId?: string },
): { form: Record<string, string> } {
  const payload = {
    type: 'view_submission',
    team: teamOf(a),
    user: userOf(a),
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: `trig-${Math.random().toString(36).slice(2)}`,
    view: {
      id: a.viewId ?? 'V0FAKE',
      team_id: a.team ?? 'T0FAKE',
      type: 'modal',
      callback_id: a.callbackId,
      private_metadata: a.privateMetadata ?? '',
      blocks: [],
      state: { values: a.values },
      hash: 'h',
    },
    response_urls: [],
  };
  return { form: { payload: JSON.stringify(payload) } };
}

export function slashCommand(
  a: Who & { command: string; text?: string; channel?: string; responseUrl?: string; triggerId?: string },
): { form: Record<string, string> } {
  return {
    form: {
      token: 'legacy',
      team_id: a.team ?? 'T0FAKE',
      team_domain: 'fake',
      channel_id: a.channel ?? 'C1',
      channel_name: 'feedback',
      user_id: a.user ?? 'U1',
      user_name: (a.user ?? 'U1').toLowerCase(),
      command: a.command,
      text: a.text ?? '',
      api_app_id: 'A0FAKE',
      response_url: a.responseUrl ?? 'http://127.0.0.1:9/none',
      trigger_id: a.triggerId ?? `trig-${Math.random().toString(36).slice(2)}`,
    },
  };
}

export function messageShortcut(
  a: Who & { callbackId: string; text: string; channel?: string; messageTs?: string; author?: string; responseUrl?: string },
): { form: Record<string, string> } {
  const payload = {
    type: 'message_action',
    callback_id: a.callbackId,
    team: teamOf(a),
    user: userOf(a),
    channel: { id: a.channel ?? 'C1', name: 'feedback' },
    message: { type: 'message', user: a.author ?? 'U9', ts: a.messageTs ?? '1700000001.000001', text: a.text },
    message_ts: a.messageTs ?? '1700000001.000001',
    trigger_id: `trig-${Math.random().toString(36).slice(2)}`,
    response_url: a.responseUrl ?? 'http://127.0.0.1:9/none',
    token: 'legacy',
  };
  return { form: { payload: JSON.stringify(payload) } };
}

export function eventCallback(a: Who & { event: Record<string, unknown>; eventId?: string }): { json: unknown } {
  return {
    json: {
      token: 'legacy',
      team_id: a.team ?? 'T0FAKE',
      api_app_id: 'A0FAKE',
      type: 'event_callback',
      event_id: a.eventId ?? `Ev${Math.random().toString(36).slice(2)}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: a.team ?? 'T0FAKE', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
      event: a.event,
    },
  };
}
