// GET /charts/:id.png — serves charts the digest rendered recently (chart-store.ts) so Slack can
// show them from an image block at `${PUBLIC_URL}/charts/<id>.png`. Mount at '/charts'.
import { type Request, type Response, Router } from 'express';
import type { ChartStore } from './chart-store.ts';

const FILE = /^([A-Za-z0-9_-]{16,64})\.png$/;

export function chartUrl(publicUrl: string, id: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/charts/${id}.png`;
}

export function createChartRouter(store: ChartStore): Router {
  const router = Router();
  router.get('/:file', (req: Request, res: Response) => {
    const match = FILE.exec(String(req.params.file));
    const png = match ? store.get(match[1]!) : null;
    if (!png) {
      res.status(404).json({ error: 'not_found', message: 'no such chart (charts are kept for 7 days)' });
      return;
    }
    res
      .status(200)
      .set({ 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=86400, immutable', 'Content-Length': String(png.length) })
      .end(png);
  });
  return router;
}
