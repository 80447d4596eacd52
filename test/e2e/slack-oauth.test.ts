// Multi-workspace OAuth on the running server: /slack/install → Slack's consent screen →
// /slack/oauth_redirect stores the installation encrypted in chat_installations; requests from
// that team are authorized with its token, and tokens_revoked deactivates it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import { createInstallationsRepo } from '../../src/db/repos/installations.repo.ts';
import { blocksText, type SlackTestApp, startSlackTestApp } from '../helpers/slack-app.ts';
import { eventCallback, slashCommand } from '../helpers/slack-sign.ts';

const KEY = 'd'.repeat(64);
let t: SlackTestApp;
beforeAll(async () => {
  t = await startSlackTestApp({
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: '111.222',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret-for-tests',
      TOKEN_ENCRYPTION_KEY: KEY,
    },
  });
  t.fake.answer('oauth.v2.access', () => ({
    app_id: 'A0FAKE',
    authed_user: { id: 'UINSTALLER' },
    scope: 'commands,chat:write',
    token_type: 'bot',
    access_token: 'xoxb-installed-token',
    bot_user_id: 'UB2',
    team: { id: 'T2', name: 'Acme' },
    enterprise: null,
    is_enterprise_install: false,
  }));
  t.fake.answer('auth.test', () => ({ team_id: 'T2', user_id: 'UB2', bot_id: 'B2' }));
});
afterAll(async () => {
  await t?.close();
});

describe('Slack OAuth install', () => {
  it('installs through /slack/install and /slack/oauth_redirect, storing the token encrypted', async () => {
    const install = await fetch(`${t.app.url}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const authorize = new URL(install.headers.get('location')!);
    // SLACK_API_URL's host also serves the consent screen (GovSlack, or here the fake).
    expect(authorize.origin).toBe(new URL(t.fake.apiUrl).origin);
    expect(authorize.pathname).toBe('/oauth/v2/authorize');
    expect(authorize.searchParams.get('client_id')).toBe('111.222');
    expect(authorize.searchParams.get('scope')).toContain('chat:write');
    const state = authorize.searchParams.get('state')!;
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!;

    const forged = await fetch(`${t.app.url}/slack/oauth_redirect?code=abc&state=${state}`, { redirect: 'manual' });
    expect(forged.status).not.toBe(200); // no state cookie: another browser
    const done = await fetch(`${t.app.url}/slack/oauth_redirect?code=abc&state=${state}`, { headers: { cookie }, redirect: 'manual' });
    expect(done.status).toBe(200);
    expect(t.fake.callsTo('oauth.v2.access')[0]!.args).toMatchObject({ code: 'abc', client_id: '111.222' });

    const rows = await t.app.ctx.db.query<{ secret_ciphertext: string; workspace_id: string; active: boolean }>(
      "select secret_ciphertext, workspace_id, active from chat_installations where platform = 'slack' and external_id = 'T2'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.secret_ciphertext).not.toContain('xoxb');
    expect(rows[0]!.workspace_id).toBe(t.workspaceId); // the first install joins the default workspace
    const stored = await createInstallationsRepo(t.app.ctx.db.db, createTokenCipher(KEY)).find<any>('slack', 'T2');
    expect(stored!.installation.bot.token).toBe('xoxb-installed-token');
  });

  it('authorizes requests from the installed team with its token, and delivers with it', async () => {
    t.fake.clearCalls();
    const help = await t.send(slashCommand({ team: 'T2', command: '/cx', text: 'help' }));
    expect(help.status).toBe(200);
    expect(blocksText(help.json.blocks)).toContain('/cx mine');

    t.fake.clearCalls();
    await t.intake({ externalId: 'oauth-1', comment: 'Works with OAuth' });
    const card = t.fake.callsTo('chat.postMessage')[0]!;
    expect(card.token).toBe('xoxb-installed-token');
  });

  it('tokens_revoked deactivates the installation; later requests from that team are not served', async () => {
    const res = await t.send(
      eventCallback({ team: 'T2', event: { type: 'tokens_revoked', tokens: { bot: ['UB2'] } } }),
    );
    expect(res.status).toBe(200);
    await t.idle();
    const [row] = await t.app.ctx.db.query<{ active: boolean }>(
      "select active from chat_installations where platform = 'slack' and external_id = 'T2'",
    );
    expect(row!.active).toBe(false);
    t.fake.clearCalls();
    await t.send(slashCommand({ team: 'T2', command: '/cx', text: 'mine', responseUrl: t.fake.responseUrl('after') }));
    await t.idle();
    expect(t.fake.callsTo('response_url')).toEqual([]);
  });
});
