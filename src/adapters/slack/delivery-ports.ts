// The ChatPort handed to the delivery worker, per Slack mode:
// - single workspace / Socket Mode: one bot token from the environment;
// - OAuth: the token of the installation that owns the channel or user (the worker passes a
//   channel or a user id, not a workspace), or `chatPortFor(workspaceId)` when the caller knows it.
// A revoked token marks the installation inactive and fails every later send as TokenRevoked
// without calling Slack.
import type { ChatPort } from '../../core/ports.ts';
import type { Db } from '../../db/client.ts';
import { type InstallationsRepo, workspaceOfChatAddress } from '../../db/repos/installations.repo.ts';
import { ChannelNotFound, TokenRevoked } from '../../delivery/errors.ts';
import type { Logger } from '../../logger.ts';
import type { SlackInstallation, SlackInstallationStore } from './installation-store.ts';
import { createDeliveryClient, type DeliveryClientOptions, type SlackDeliveryClient } from './delivery-client.ts';
import { createSlackChatPort } from './slack.port.ts';

export function createSingleTokenPort(token: string, clientOpts: DeliveryClientOptions, logger: Logger): ChatPort {
  const client = createDeliveryClient(token, clientOpts);
  let revoked = false;
  return createSlackChatPort({
    logger,
    client: async () => {
      if (revoked) throw new TokenRevoked('SLACK_BOT_TOKEN no longer works: set a new token and restart');
      return client;
    },
    onTokenRevoked: async () => {
      revoked = true;
      logger.error('SLACK_BOT_TOKEN was revoked or the app was uninstalled: Slack delivery is stopped until restart');
    },
  });
}

export function createOAuthPorts(deps: {
  db: Db;
  installations: InstallationsRepo;
  store: SlackInstallationStore;
  clientOpts: DeliveryClientOptions;
  logger: Logger;
}): { chatPort: ChatPort; chatPortFor(workspaceId: string): ChatPort } {
  const clients = new Map<string, SlackDeliveryClient>();
  const ports = new Map<string, ChatPort>();

  function portFor(workspaceId: string): ChatPort {
    let port = ports.get(workspaceId);
    if (port) return port;
    let key: string | null = null;
    port = createSlackChatPort({
      logger: deps.logger,
      client: async () => {
        const found = await deps.installations.findByWorkspace<SlackInstallation>(workspaceId, 'slack');
        const token = found?.installation?.bot?.token;
        if (!found || !token) throw new TokenRevoked('no active Slack installation for this workspace: install the app again');
        key = found.externalId;
        let client = clients.get(token);
        if (!client) {
          client = createDeliveryClient(token, deps.clientOpts);
          clients.set(token, client);
        }
        return client;
      },
      onTokenRevoked: async () => {
        if (key) await deps.store.deactivate(key);
        deps.logger.error('Slack installation deactivated: its token no longer works', { team: key });
      },
    });
    ports.set(workspaceId, port);
    return port;
  }

  async function route(address: { channel: string } | { userId: string }): Promise<ChatPort> {
    const workspaceId = await workspaceOfChatAddress(deps.db, 'slack', address);
    if (!workspaceId) {
      const what = 'channel' in address ? `channel ${address.channel}` : `user ${address.userId}`;
      throw new ChannelNotFound(`no Slack installation is known for ${what}`);
    }
    return portFor(workspaceId);
  }

  return {
    chatPortFor: portFor,
    chatPort: {
      platform: 'slack',
      post: async (channel, message) => (await route({ channel })).post(channel, message),
      update: async (post, message) => (await route({ channel: post.channel })).update(post, message),
      reply: async (post, message) => (await route({ channel: post.channel })).reply(post, message),
      dm: async (userId, message) => (await route({ userId })).dm(userId, message),
    },
  };
}
