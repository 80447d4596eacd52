import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemasDir, schemasSkipMessage, validateSlackManifest } from '../helpers/schemas.ts';

const manifest = parse(readFileSync(path.resolve('manifests/slack/manifest.yaml'), 'utf8'));
const dir = schemasDir();

describe('Slack app manifest', () => {
  it.skipIf(!dir)(`validates against manifest.schema.1.0.0.json${dir ? '' : ` (${schemasSkipMessage})`}`, () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(validateSlackManifest(manifest)).toEqual([]);
  });

  it.skipIf(!dir)('the schema check itself rejects a broken manifest', () => {
    expect(validateSlackManifest({ ...manifest, display_information: {} })).not.toEqual([]);
  });

  it('declares the commands, shortcut, home tab and events the app handles', () => {
    expect(manifest.display_information.name).toBe('Customer First');
    // The schema's colour pattern uses a non-standard keyword: check it here.
    expect(manifest.display_information.background_color).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(manifest.features.bot_user).toEqual({ display_name: 'customer-first', always_online: true });
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/cx', '/scores']);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ type: 'message', callback_id: 'feedback.log_from_message' }),
    ]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_home_opened', 'app_uninstalled', 'tokens_revoked']),
    );
    expect(manifest.settings).toMatchObject({
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    });
  });

  it('asks for least privilege: no join, no admin scopes; channel history only with its events', () => {
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    expect(scopes).toEqual(expect.arrayContaining(['commands', 'chat:write', 'chat:write.public', 'files:write']));
    // channels:history / groups:history are allowed since replies in a digest's thread are
    // captured as learnings (digest-reply.event.ts); they must come with exactly those events.
    const events: string[] = manifest.settings.event_subscriptions.bot_events;
    expect(scopes.includes('channels:history')).toBe(events.includes('message.channels'));
    expect(scopes.includes('groups:history')).toBe(events.includes('message.groups'));
    for (const broad of ['channels:join', 'admin', 'chat:write.customize']) {
      expect(scopes).not.toContain(broad);
    }
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
    // Every scope is justified by a comment on its line.
    const yaml = readFileSync(path.resolve('manifests/slack/manifest.yaml'), 'utf8');
    for (const scope of scopes) expect(yaml).toMatch(new RegExp(`- ${scope.replace('.', '\\.')} # \\S`));
  });

  it('sends every request to the Bolt endpoint /slack/events', () => {
    const urls = [
      ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    expect(new Set(urls.map((u: string) => new URL(u).pathname))).toEqual(new Set(['/slack/events']));
  });
});
