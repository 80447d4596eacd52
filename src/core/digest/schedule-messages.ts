// Replies for `/cx digest schedule|list|off` and `/cx digest` (pure; both platforms).
import { plain } from '../messages/markup.ts';
import type { Message } from '../messages/model.ts';
import { localDayTime } from '../time/zoned-time.ts';

export type ScheduleView = { platform: string; channel: string; cron: string; timezone: string; next: Date | null };

function describe(s: ScheduleView): string {
  const next = s.next ? `next ${localDayTime(s.next, s.timezone)}` : 'no upcoming time';
  return `\`${plain(s.cron)}\` (${plain(s.timezone)}) — ${next}`;
}

export function scheduledMessage(s: ScheduleView): Message {
  const text = `The customer-first digest will be posted here on ${describe(s)}.`;
  return {
    text: `Digest scheduled: ${s.cron} (${s.timezone})`,
    blocks: [
      { type: 'section', text },
      { type: 'context', items: ['`digest off` stops it; `digest` posts one now.'] },
    ],
  };
}

export function scheduleListMessage(schedules: ScheduleView[]): Message {
  if (schedules.length === 0) {
    return {
      text: 'No digest schedules',
      blocks: [{ type: 'section', text: 'No channel has a scheduled digest yet. Try `digest schedule "0 9 * * 1-5" Europe/Berlin`.' }],
    };
  }
  const lines = schedules.map((s) => `• ${s.platform} ${plain(s.channel)}: ${describe(s)}`);
  return {
    text: `${schedules.length} digest schedule(s)`,
    blocks: [{ type: 'section', text: `*Digest schedules*\n${lines.join('\n')}` }],
  };
}

export function textMessage(text: string): Message {
  return { text, blocks: [{ type: 'section', text }] };
}
