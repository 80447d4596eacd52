import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { renderNpsTrendPng, renderNpsTrendSvg } from '../../src/digest/chart.ts';
import { createMemoryChartStore } from '../../src/digest/chart-store.ts';
import { chartUrl, createChartRouter } from '../../src/digest/chart.route.ts';

const weeks = Array.from({ length: 12 }, (_, i) => ({
  weekStart: new Date(Date.UTC(2026, 0, 5 + 7 * i)).toISOString().slice(0, 10),
  nps: i === 4 ? null : 20 - 3 * i,
  n: i === 4 ? 0 : 25 + i,
}));

describe('NPS trend chart', () => {
  it('draws title, axis and week labels as text (vega → SVG)', async () => {
    const svg = await renderNpsTrendSvg(weeks);
    expect(svg).toContain('NPS, last 12 weeks');
    expect(svg).toContain('05 Jan');
    expect(svg).toContain('23 Mar');
    expect(svg).toContain('>NPS<');
    expect(svg).toContain('DejaVu Sans');
  });

  it('renders a PNG (resvg) at the requested scale', async () => {
    const png = await renderNpsTrendPng(weeks, { scale: 1 });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBeGreaterThan(560);
    expect(height).toBeGreaterThan(200);
    // Small enough to inline in a Teams card (base64 adds a third).
    expect(png.length).toBeLessThan(30_000);
    const big = await renderNpsTrendPng(weeks);
    expect(big.readUInt32BE(16)).toBe(Math.round(width * 1.5));
  });
});

describe('chart store and route', () => {
  it('serves a stored chart by id and 404s anything else', async () => {
    let now = 0;
    const store = createMemoryChartStore({ ttlMs: 1000, maxEntries: 2, now: () => now });
    const id = store.put(Buffer.from('png-bytes'));
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(chartUrl('https://cx.example.com/', id)).toBe(`https://cx.example.com/charts/${id}.png`);

    const app = express();
    app.use('/charts', createChartRouter(store));
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ok = await fetch(`${base}/charts/${id}.png`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await ok.arrayBuffer()).toString()).toBe('png-bytes');
      expect((await fetch(`${base}/charts/${id}.gif`)).status).toBe(404);
      expect((await fetch(`${base}/charts/nope.png`)).status).toBe(404);
      now = 1001; // expired
      expect((await fetch(`${base}/charts/${id}.png`)).status).toBe(404);
    } finally {
      server.close();
    }
    // Bounded: the oldest entries go first.
    now = 0;
    const a = store.put(Buffer.from('a'));
    store.put(Buffer.from('b'));
    store.put(Buffer.from('c'));
    expect(store.get(a)).toBeNull();
  });
});
