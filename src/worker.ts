// `npm run worker`: the delivery outbox in its own process, beside `npm start` run with
// PROCESS_ROLE=web (Postgres only: the embedded database admits one process). See README.
process.env.PROCESS_ROLE = 'worker';
await import('./main.ts');
