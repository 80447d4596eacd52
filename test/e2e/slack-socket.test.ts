// Socket Mode (SLACK_APP_TOKEN): the app opens its connection through the Web API
// (apps.connections.open on SLACK_API_URL) to a local WebSocket standing in for Slack, and the
// same listeners answer envelopes with acks over the socket.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/core/messages/action-ids.ts';
import { encodePayload } from '../../src/core/messages/payload.ts';
import { blocksText, type SlackTestApp, startSlackTestApp } from '../helpers/slack-app.ts';
import { blockAction, slashCommand } from '../helpers/slack-sign.ts';

// `ws` comes with @slack/socket-mode (Bolt's Socket Mode client); it has no types here.
const require = createRequire(import.meta.url);
const { WebSocketServer, Server } = require('ws') as { WebSocketServer?: any; Server: any };

type Socket = { send(data: string): void; on(event: string, fn: (data: unknown) => void): void };

let t: SlackTestApp;
let wss: any;
let socket: Socket;
const acks = new Map<string, (payload: unknown) => void>();

beforeAll(async () => {
  wss = new (WebSocketServer ?? Server)({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const connected = new Promise<Socket>((resolve) => {
    wss.on('connection', (ws: Socket) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) acks.get(msg.envelope_id)?.(msg.payload ?? null);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FAKE' }, debug_info: {} }));
      resolve(ws);
    });
  });
  t = await startSlackTestApp({
    env: { SLACK_APP_TOKEN: 'xapp-test-token' },
    beforeStart: (fake) =>
      fake.answer('apps.connections.open', () => ({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link` })),
  });
  socket = await connected;
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => wss?.close(r));
});

/** Sends an envelope the way Slack does and resolves with the ack's payload. */
function envelope(type: string, payload: unknown): Promise<any> {
  const id = `env-${Math.random().toString(36).slice(2)}`;
  const acked = new Promise((resolve) => acks.set(id, resolve));
  socket.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: true }));
  return acked;
}

describe('Socket Mode', () => {
  it('connects with the app-level token through SLACK_API_URL', () => {
    const [open] = t.fake.callsTo('apps.connections.open');
    expect(open!.token).toBe('xapp-test-token');
    expect(t.app.ctx.env.slackMode).toBe('socket');
  });

  it('answers a slash command in the ack', async () => {
    const ack = await envelope('slash_commands', slashCommand({ command: '/cx', text: 'help' }).form);
    expect(ack.response_type).toBe('ephemeral');
    expect(blocksText(ack.blocks)).toContain('/cx mine');
  });

  it('acks a Claim click, then claims the item', async () => {
    const id = await t.intake({ externalId: 'socket-1' });
    const payload = JSON.parse(
      blockAction({ user: 'U1', actionId: ActionIds.claim, value: encodePayload({ v: 1, item: id }), responseUrl: t.fake.responseUrl('s') })
        .form.payload!,
    );
    await envelope('interactive', payload);
    await t.idle();
    expect((await t.app.ctx.repos.feedback.findById(t.workspaceId, id))!.status).toBe('claimed');
  });
});
