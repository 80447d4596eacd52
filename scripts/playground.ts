// `npm run playground`: try the Teams bot locally with no Microsoft account. Starts the app with
// TEAMS_LOCAL=1 (Teams authentication off, never in production) and Microsoft 365 Agents
// Playground offline, pointed at it. On the first start it also sends one sample feedback item so
// `open` has something to show. Ctrl+C stops both.
//
//   npm run playground              # opens the Playground in your browser
//   npm run playground -- --no-open # just print its URL
import { startApp } from '../src/app.ts';
import { EnvError, loadEnv } from '../src/config/env.ts';
import { createLogger } from '../src/logger.ts';
import { startAgentsPlayground } from './agents-playground.ts';

process.env.TEAMS_LOCAL ??= '1';
if (!process.env.MICROSOFT_APP_ID) process.env.TEAMS_LOCAL = '1';

let env: ReturnType<typeof loadEnv>;
try {
  env = loadEnv();
} catch (error) {
  if (error instanceof EnvError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
if (env.NODE_ENV === 'production') {
  process.stderr.write('npm run playground turns Teams authentication off: not with NODE_ENV=production\n');
  process.exit(1);
}

const logger = createLogger({ level: env.LOG_LEVEL });
const app = await startApp(env, { logger });
const firstKey = app.firstStartKey;

if (firstKey) {
  const sample = await app.ctx.intake.accept(app.ctx.workspaceId, {
    source: 'playground',
    externalId: 'sample-1',
    kind: 'nps',
    score: 4,
    comment: 'Setting up the integration took two days and nobody answered our ticket.',
    touchpoint: 'onboarding',
    tags: ['sample'],
    customer: { email: 'jo@example.com', name: 'Jo Example', company: 'Example Corp', segment: 'SMB' },
  });
  logger.info(`Sample feedback item created (${sample.id}): type "open" in the Playground`);
}

const endpoint = `http://localhost:${app.port}/api/messages`;
const playground = await startAgentsPlayground({
  endpoint,
  openBrowser: !process.argv.includes('--no-open'),
  onOutput: (line) => logger.debug(`playground: ${line}`),
});
logger.info(`Agents Playground: ${playground.url} (bot endpoint ${endpoint})`);
logger.info('Try: help, open (then Claim), mine, scores, connect cx (in a Teams Channel chat)');

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(1);
  stopping = true;
  await playground.stop();
  await app.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
playground.child.once('exit', () => void stop());
