// The real client: the app (Teams in local mode) and Microsoft 365 Agents Playground offline,
// driven by playwright-core in Debian's chromium. Send "open", see the card, click Claim, see
// "Claimed by". Every request leaving localhost is blocked: the run is offline.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlayground, startAgentsPlayground } from '../../scripts/agents-playground.ts';
import { createTeamsComponent } from '../../src/adapters/teams/teams.component.ts';
import { type RunningApp, startApp } from '../../src/app.ts';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/logger.ts';
import { getTestDb, type TestDb } from '../helpers/test-db.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SCREENSHOT = path.join(tmpdir(), 'teams-playground-claimed.png');

describe.skipIf(!hasChromium)(
  `Agents Playground + chromium (${hasChromium ? CHROMIUM : `skipped: ${CHROMIUM} is missing; apt-get install -y chromium`})`,
  () => {
    let app: RunningApp;
    let playground: RunningPlayground;
    let browser: BrowserContext;
    let testDb: TestDb | null = null;
    const dirs: string[] = [];

    beforeAll(async () => {
      testDb = process.env.TEST_DATABASE_URL ? await getTestDb() : null;
      const dataDir = mkdtempSync(path.join(tmpdir(), 'cf-playground-'));
      dirs.push(dataDir);
      const env = parseEnv({
        NODE_ENV: 'test',
        PORT: '0',
        LOG_LEVEL: 'error',
        TEAMS_LOCAL: '1',
        ...(testDb ? { DATABASE_URL: testDb.url } : { DATA_DIR: dataDir }),
      });
      app = await startApp(env, {
        logger: silentLogger,
        print: () => {},
        consoleWrite: () => {},
        host: '127.0.0.1',
        components: [(ctx) => createTeamsComponent(ctx)],
      });
      await app.ctx.intake.accept(app.ctx.workspaceId, {
        source: 'survey',
        externalId: 'playground-1',
        kind: 'nps',
        score: 2,
        comment: 'Nobody answered our ticket for three days',
        touchpoint: 'support',
        tags: [],
        customer: { email: 'jo@example.com', name: 'Jo Playground' },
      });
      playground = await startAgentsPlayground({ endpoint: `http://127.0.0.1:${app.port}/api/messages` });
      const profile = mkdtempSync(path.join(tmpdir(), 'cf-chromium-'));
      dirs.push(profile);
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await playground?.stop();
      await app?.close();
      await testDb?.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('open → the card → Claim → "Claimed by"', async () => {
      const page = browser.pages()[0] ?? (await browser.newPage());
      // Offline: fonts and anything else from the internet are refused.
      await page.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => route.abort());
      await page.goto(playground.url);

      const box = page.locator('[data-lexical-editor="true"]');
      await box.click();
      await page.keyboard.type('open');
      await page.keyboard.press('Enter');

      const claim = page.getByRole('button', { name: 'Claim', exact: true });
      await claim.first().waitFor({ timeout: 20_000 });
      expect(await page.getByText('Nobody answered our ticket for three days').first().isVisible()).toBe(true);
      await claim.first().click();

      // The invoke response replaces the card: the claimed item with its next actions.
      await page.getByRole('button', { name: 'Release', exact: true }).first().waitFor({ timeout: 20_000 });
      await page.getByText(/Claimed by/).first().waitFor({ timeout: 10_000 });
      expect(await claim.count()).toBe(0);
      await page.screenshot({ path: SCREENSHOT });

      // The database agrees: the Playground user owns the item.
      const [item] = await app.ctx.db.query<{ status: string; name: string }>(
        `select f.status, p.display_name as name from feedback_items f join people p on p.id = f.claimed_by_id`,
      );
      expect(item).toMatchObject({ status: 'claimed' });
      expect(await page.getByText(`Claimed by ${item!.name}`).count()).toBeGreaterThan(0);
    }, 60_000);
  },
);
