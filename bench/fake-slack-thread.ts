// The fake Slack Web API in a worker thread of its own. Slack's servers are elsewhere: their work
// must not queue on the event loop of the app being measured (the clients run apart for the same
// reason). Started by startFakeSlackThread() below; nothing here inspects the calls it records.
import { once } from 'node:events';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { startFakeSlack } from '../test/helpers/fake-slack.ts';

export async function startFakeSlackThread(): Promise<{ apiUrl: string; responseUrl(id: string): string; close(): Promise<void> }> {
  // TypeScript in the thread too: tsx's loader is not inherited by worker threads.
  const entry = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(entry, { eval: true });
  const [{ apiUrl, baseUrl }] = (await once(worker, 'message')) as [{ apiUrl: string; baseUrl: string }];
  return {
    apiUrl,
    responseUrl: (id) => `${baseUrl}/response/${encodeURIComponent(id)}`,
    close: async () => void (await worker.terminate()),
  };
}

if (!isMainThread && parentPort) {
  const fake = await startFakeSlack();
  // Forget the recorded calls as they come, so the thread's heap stays flat over a long run.
  setInterval(() => fake.clearCalls(), 1000);
  parentPort.postMessage({ apiUrl: fake.apiUrl, baseUrl: fake.baseUrl });
}
