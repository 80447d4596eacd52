// Renders the Teams app icons from SVG (run: `npx tsx scripts/make-icons.ts`; the PNGs are
// committed). color.png: 192×192, full colour, symbol inside the central safe area.
// outline.png: 32×32, white symbol on a transparent background (Teams' rule for outline icons).
// The symbol: a speech bubble (what the customer said) holding a heart (acting on it with care).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const accent = '#1F6F5C'; // keep in sync with accentColor in manifests/teams/manifest.json
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../manifests/teams');

// Both drawn on a 32×32 grid. The bubble: rounded rectangle with a tail at the bottom left.
const bubble = 'M7 5h18a4 4 0 0 1 4 4v11a4 4 0 0 1-4 4H14l-6 5v-5H7a4 4 0 0 1-4-4V9a4 4 0 0 1 4-4z';
const heart =
  'M16 20.5l-1.2-1.1C10.9 15.9 8.5 13.8 8.5 11.3c0-2 1.6-3.6 3.6-3.6 1.1 0 2.2.5 2.9 1.4l1 1.1 1-1.1c.7-.9 1.8-1.4 2.9-1.4 2 0 3.6 1.6 3.6 3.6 0 2.5-2.4 4.6-6.3 8.1z';

const colorSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 192 192" width="192" height="192">
  <rect width="192" height="192" fill="${accent}"/>
  <g transform="translate(48 46) scale(3)">
    <path d="${bubble}" fill="#ffffff"/>
    <path d="${heart}" fill="#E8505B"/>
  </g>
</svg>`;

// Outline: white strokes only, nothing else; the heart is solid white inside the outlined bubble.
const outlineSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">
  <path d="${bubble}" fill="none" stroke="#ffffff" stroke-width="2" stroke-linejoin="round"/>
  <path d="${heart}" fill="#ffffff" transform="translate(16 14) scale(0.7) translate(-16 -14)"/>
</svg>`;

function render(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng();
}

writeFileSync(path.join(outDir, 'color.png'), render(colorSvg, 192));
writeFileSync(path.join(outDir, 'outline.png'), render(outlineSvg, 32));
console.log(`wrote ${path.join(outDir, 'color.png')} and outline.png`);
