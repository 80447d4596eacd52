// Rules for digest schedules (pure; cron parsing itself lives in src/digest/cron-time.ts).
// A digest is keyed by (schedule, local date), so a schedule fires at most once a day, and never
// between 01:00 and 03:00 local time, where DST skips or repeats wall-clock times.

/** Shorthands people type: "09:00" → "0 9 * * *", "weekdays 8:30" → "30 8 * * 1-5". */
export function normalizeCron(input: string): string {
  const text = input.trim().replace(/\s+/g, ' ');
  const m = /^(?:(daily|weekdays|mon-fri)\s+)?(\d{1,2}):(\d{2})$/i.exec(text);
  if (!m) return text;
  const days = m[1] && m[1].toLowerCase() !== 'daily' ? '1-5' : '*';
  return `${Number(m[3])} ${Number(m[2])} * * ${days}`;
}

/** Why a schedule with these fire times is refused, or null when it is fine. */
export function scheduleRefusal(fields: { seconds: number[]; minutes: number[]; hours: number[] }): string | null {
  if (fields.seconds.length > 1 || fields.minutes.length > 1 || fields.hours.length > 1) {
    return 'A digest goes out at most once a day: pick one time, e.g. `0 9 * * 1-5` (09:00 on weekdays).';
  }
  const risky = fields.hours.filter((h) => h >= 1 && h < 3);
  if (risky.length > 0) {
    const at = `${String(risky[0]).padStart(2, '0')}:${String(fields.minutes[0] ?? 0).padStart(2, '0')}`;
    return (
      `${at} is between 01:00 and 03:00, where daylight saving time skips or repeats the hour, ` +
      'so the digest could be missed or sent twice. Pick a time outside 01:00–03:00.'
    );
  }
  return null;
}
