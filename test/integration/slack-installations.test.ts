// Slack installations: stored encrypted, linked to a workspace (the first install joins the
// default one, later teams get their own), served to Bolt by the installation store.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackInstallationStore, installationKey } from '../../src/adapters/slack/installation-store.ts';
import { createTokenCipher } from '../../src/crypto/token-cipher.ts';
import {
  createInstallationsRepo,
  InstallationCipherMissing,
  workspaceForTeam,
} from '../../src/db/repos/installations.repo.ts';
import { ensureDefaultWorkspace } from '../../src/db/workspace.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

let db: TestDb;
beforeAll(async () => {
  db = await getTestDb();
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  await db.reset();
});

const cipher = createTokenCipher('e'.repeat(64));
const installation = (team: string, token: string) => ({
  team: { id: team, name: `Team ${team}` },
  enterprise: undefined,
  user: { id: 'U0', token: undefined, scopes: undefined },
  bot: { token, userId: 'UB', id: 'B', scopes: ['chat:write'] },
  isEnterpriseInstall: false,
});

describe('installations', () => {
  it('the first team joins the default workspace; another team gets its own; a team keeps its workspace', async () => {
    const { id: defaultId } = await ensureDefaultWorkspace(db.db);
    const repo = createInstallationsRepo(db.db, cipher);
    const first = await workspaceForTeam(db.db, 'slack', 'T1', 'One');
    expect(first).toBe(defaultId);
    await repo.save({ workspaceId: first, platform: 'slack', externalId: 'T1', installation: installation('T1', 'xoxb-1') });
    const second = await workspaceForTeam(db.db, 'slack', 'T2', 'Two');
    expect(second).not.toBe(defaultId);
    expect(await workspaceForTeam(db.db, 'slack', 'T1', 'One')).toBe(defaultId);
  });

  it('stores the installation encrypted; reading it needs the key', async () => {
    const { id } = await ensureDefaultWorkspace(db.db);
    await createInstallationsRepo(db.db, cipher).save({
      workspaceId: id,
      platform: 'slack',
      externalId: 'T1',
      installation: installation('T1', 'xoxb-secret'),
    });
    const [row] = await db.query<{ secret_ciphertext: string }>('select secret_ciphertext from chat_installations');
    expect(row!.secret_ciphertext).not.toContain('xoxb-secret');
    await expect(createInstallationsRepo(db.db, null).find('slack', 'T1')).rejects.toBeInstanceOf(InstallationCipherMissing);
    await expect(createInstallationsRepo(db.db, createTokenCipher('f'.repeat(64))).find('slack', 'T1')).rejects.toThrow(
      /cannot decrypt/,
    );
  });

  it('serves Bolt: store, fetch, deactivate (fetch refuses), reinstall (active again), delete', async () => {
    const repo = createInstallationsRepo(db.db, cipher);
    const store = createSlackInstallationStore({ db: db.db, installations: repo });
    await store.storeInstallation(installation('T1', 'xoxb-1') as never);
    const query = { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false };
    expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-1');
    expect(await store.workspaceOf('T1')).toBe((await ensureDefaultWorkspace(db.db)).id);

    await store.deactivate('T1');
    await expect(store.fetchInstallation(query)).rejects.toThrow(/inactive/);
    expect((await repo.findByWorkspace(await store.workspaceOf('T1') as string, 'slack'))).toBeNull();

    await store.storeInstallation(installation('T1', 'xoxb-2') as never);
    expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-2');

    await store.deleteInstallation!(query);
    await expect(store.fetchInstallation(query)).rejects.toThrow(/No Slack installation/);
  });

  it('keys an Enterprise Grid org-wide install by the org, a team install by the team', () => {
    expect(installationKey({ isEnterpriseInstall: true, enterpriseId: 'E1', teamId: 'T1' })).toBe('E1');
    expect(installationKey({ isEnterpriseInstall: false, enterpriseId: 'E1', teamId: 'T1' })).toBe('T1');
    expect(() => installationKey({})).toThrow();
  });
});
