// `npm run worker`: the delivery outbox in its own process, beside `npm start` run with
// PROCESS_ROLE=web (Postgres only: the embedded database admits one process). See README.
import { constants, setPriority } from 'node:os';

process.env.PROCESS_ROLE = 'worker';
// Delivery is background work: where the worker shares cores with the web process, the scheduler
// serves the web process first, so Slack's 3-second ack never waits behind a batch of cards.
// Lowering one's own priority needs no privilege; where the OS refuses, run at normal priority.
try {
  setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
} catch {}
await import('./main.ts');
