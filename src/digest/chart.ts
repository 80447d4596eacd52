// NPS by week → PNG: vega-lite spec → vega (headless, renderer 'none') → SVG → resvg (PNG).
// resvg draws text with system fonts (DejaVu/Liberation on Debian); see FONT_FAMILY.
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

export type NpsWeekPoint = { weekStart: string; nps: number | null; n: number };

const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const WIDTH = 560;
const HEIGHT = 200;

function spec(weeks: NpsWeekPoint[], title: string): vegaLite.TopLevelSpec {
  const values = weeks.map((w) => ({
    week: w.weekStart,
    nps: w.nps === null ? null : Math.round(w.nps),
    n: w.n,
    label: w.nps === null ? '' : `${w.nps > 0 ? '+' : ''}${Math.round(w.nps)}`,
  }));
  const x = { field: 'week', type: 'ordinal' as const, title: null, axis: { labelAngle: 0, labelExpr: "timeFormat(toDate(datum.value + 'T00:00:00'), '%d %b')" } };
  const y = {
    field: 'nps',
    type: 'quantitative' as const,
    title: 'NPS',
    scale: { domain: [-100, 100] },
    axis: { values: [-100, -50, 0, 50, 100], grid: true },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    padding: 12,
    title: { text: title, subtitle: 'by week · n = responses that week', anchor: 'start' },
    config: {
      font: FONT_FAMILY,
      axis: { labelFontSize: 11, titleFontSize: 12, labelColor: '#333', titleColor: '#333' },
      title: { fontSize: 15, subtitleFontSize: 11, subtitleColor: '#666' },
      view: { stroke: null },
    },
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#999', strokeDash: [4, 4] }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      {
        mark: { type: 'line', color: '#2563eb', strokeWidth: 2.5, point: { filled: true, size: 50, color: '#2563eb' } },
        encoding: { x, y },
      },
      {
        mark: { type: 'text', dy: -12, fontSize: 11, fontWeight: 'bold', color: '#1e3a8a' },
        encoding: { x, y, text: { field: 'label' } },
      },
      {
        mark: { type: 'text', fontSize: 9, color: '#666', baseline: 'bottom' },
        encoding: { x, y: { datum: -100, type: 'quantitative' }, text: { field: 'n', format: 'd' } },
      },
    ],
  } as vegaLite.TopLevelSpec;
}

export async function renderNpsTrendSvg(weeks: NpsWeekPoint[], title = 'NPS, last 12 weeks'): Promise<string> {
  const compiled = vegaLite.compile(spec(weeks, title)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * A PNG of NPS by week (oldest first); weeks without responses leave a gap in the line. `scale`
 * 1.5 is crisp on high-density screens; 1 keeps an inline (data URL) Teams image small.
 */
export async function renderNpsTrendPng(
  weeks: NpsWeekPoint[],
  opts: { title?: string; scale?: number } = {},
): Promise<Buffer> {
  const svg = await renderNpsTrendSvg(weeks, opts.title);
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: opts.scale ?? 1.5 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return png.asPng();
}
