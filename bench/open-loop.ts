// Open-loop load for the benchmarks: requests leave on schedule (a steady rate), whatever the
// answers do, from a worker thread (its own event loop, on another core) so the client's own HTTP
// work is not measured as server latency. Each latency is request sent → HTTP response.
import { Worker } from 'node:worker_threads';

export type Signed = { body: string; headers: Record<string, string> };

// The load generator runs in a worker thread (its own event loop, on the other core), so the
// client's own HTTP work is not measured as server latency. Plain JS: no TypeScript loader needed.
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, requests, rate } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(url);
const latencies = [];
let failed = 0;
function send(req) {
  return new Promise((resolve) => {
    const sent = performance.now();
    const r = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
        headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) } },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - sent);
          else failed++;
          resolve();
        });
      },
    );
    r.on('error', () => { failed++; resolve(); });
    r.end(req.body);
  });
}
// A fresh client has no connection yet: open a few keep-alive sockets first (an untimed GET, which
// both servers answer 404 without doing any work), so no round times its TCP handshakes.
function connect() {
  return new Promise((resolve) => {
    const r = http.request({ host: target.hostname, port: target.port, path: '/bench-connect', method: 'GET', agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    r.on('error', resolve);
    r.end();
  });
}
(async () => {
  await Promise.all(Array.from({ length: 4 }, connect));
  const gap = 1000 / rate;
  const inflight = [];
  const t0 = performance.now();
  for (let i = 0; i < requests.length; i++) {
    const wait = t0 + i * gap - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(send(requests[i]));
  }
  await Promise.all(inflight);
  agent.destroy();
  parentPort.postMessage({ latencies, failed });
})();
`;

/** Fires `requests` at `rate` per second on schedule (open loop); returns each ack latency in ms. */
export async function openLoop(url: string, requests: Signed[], rate: number): Promise<number[]> {
  const worker = new Worker(CLIENT, { eval: true, workerData: { url, requests, rate } });
  const { latencies, failed } = await new Promise<{ latencies: number[]; failed: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (failed > 0) throw new Error(`${failed} requests to ${url} failed`);
  return latencies;
}

export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
export function summary(latencies: number[]) {
  const s = [...latencies].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p99: pct(s, 99), max: s.at(-1)! };
}
