// `npm start`: parse env (a bad value stops start-up with one line), start the app, and shut down
// gracefully on SIGTERM/SIGINT. Everything else is in app.ts.
import { type Env, EnvError, loadEnv } from './config/env.ts';
import { createLogger } from './logger.ts';

let env: Env;
try {
  env = loadEnv();
} catch (error) {
  if (error instanceof EnvError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });

// Imported after env is parsed, so a bad variable is reported before the heavy modules load.
const { startApp } = await import('./app.ts');
const { DataDirLockedError } = await import('./db/data-dir-lock.ts');

try {
  const app = await startApp(env, { logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: shutting down (finishing requests and deliveries in progress)`);
    app.close().then(
      () => process.exit(0),
      (error) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  if (error instanceof DataDirLockedError || error instanceof EnvError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    logger.error('start-up failed', { error, stack: (error as Error)?.stack });
  }
  process.exit(1);
}

process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error, stack: (error as Error)?.stack }));
