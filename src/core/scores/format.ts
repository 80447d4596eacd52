// Number formatting shared by the scores message and the digest.
import type { Estimate } from './metrics.ts';

/** "+32", "-5", "0". */
export function signed(value: number): string {
  const r = Math.round(value);
  return r > 0 ? `+${r}` : `${r === 0 ? 0 : r}`;
}

/** "▲ 5", "▼ 3", "→ 0" (points; rounded). */
export function arrow(change: number | null, unit = ''): string {
  if (change === null) return 'no previous data';
  const r = Math.round(change);
  if (r > 0) return `▲ ${r}${unit}`;
  if (r < 0) return `▼ ${-r}${unit}`;
  return `→ 0${unit}`;
}

export function formatNps(e: Estimate): string {
  return `${signed(e.value)} ±${Math.round(e.moe)}`;
}

export function formatShare(e: Estimate): string {
  return `${Math.round(e.value)}% ±${Math.round(e.moe)}`;
}

/** 45 → "45 min", 130 → "2 h 10 min", 1620 → "1 d 3 h". */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '—';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) {
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return rest ? `${h} h ${rest} min` : `${h} h`;
  }
  const hours = Math.round(m / 60);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? `${d} d ${h} h` : `${d} d`;
}

/** Cut customer text to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
