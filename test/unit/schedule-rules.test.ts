import { describe, expect, it } from 'vitest';
import { parseLearnedArgs } from '../../src/core/digest/learned-args.ts';
import { scheduledMessage, scheduleListMessage } from '../../src/core/digest/schedule-messages.ts';
import { normalizeCron, scheduleRefusal } from '../../src/core/digest/schedule-rules.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { plain } from '../../src/core/messages/markup.ts';
import { checkSchedule, lastFireAtOrBefore, nextFireAfter } from '../../src/digest/cron-time.ts';

describe('normalizeCron', () => {
  it('turns the shorthands people type into cron', () => {
    expect(normalizeCron('09:00')).toBe('0 9 * * *');
    expect(normalizeCron(' weekdays  8:30 ')).toBe('30 8 * * 1-5');
    expect(normalizeCron('daily 17:05')).toBe('5 17 * * *');
    expect(normalizeCron('0 9 * * 1-5')).toBe('0 9 * * 1-5');
  });
});

describe('schedule refusals', () => {
  it('refuses fire times between 01:00 and 03:00 local, with the reason', () => {
    expect(scheduleRefusal({ seconds: [0], minutes: [30], hours: [2] })).toMatch(/02:30 is between 01:00 and 03:00/);
    expect(scheduleRefusal({ seconds: [0], minutes: [0], hours: [1] })).toMatch(/daylight saving/);
    expect(scheduleRefusal({ seconds: [0], minutes: [59], hours: [0] })).toBeNull();
    expect(scheduleRefusal({ seconds: [0], minutes: [0], hours: [3] })).toBeNull();
  });

  it('refuses more than one fire time a day (a run is keyed by local date)', () => {
    expect(scheduleRefusal({ seconds: [0], minutes: [0], hours: [9, 17] })).toMatch(/at most once a day/);
    expect(scheduleRefusal({ seconds: [0], minutes: [0, 30], hours: [9] })).toMatch(/at most once a day/);
  });

  it('checkSchedule validates cron and IANA time zone', () => {
    expect(checkSchedule('0 9 * * 1-5', 'Europe/Berlin')).toEqual({ cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' });
    expect(checkSchedule('weekdays 08:45', 'America/New_York').cron).toBe('45 8 * * 1-5');
    const refused = (cron: string, tz = 'Europe/Berlin') => {
      try {
        checkSchedule(cron, tz);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as Error).message;
      }
    };
    expect(refused('30 2 * * *')).toMatch(/between 01:00 and 03:00/);
    expect(refused('0 1 * * 1-5')).toMatch(/between 01:00 and 03:00/);
    expect(refused('02:15')).toMatch(/between 01:00 and 03:00/);
    expect(refused('0 9 * *')).toMatch(/not a schedule I understand/);
    expect(refused('61 9 * * *')).toMatch(/not a schedule I understand/);
    expect(refused('banana')).toMatch(/not a schedule I understand/);
    expect(refused('* * * * *')).toMatch(/at most once a day/);
    expect(refused('0 9 * * *', 'Mars/Olympus')).toMatch(/not a time zone I know/);
    expect(refused('0 9 * * *', '')).toMatch(/not a time zone I know/);
  });
});

describe('fire times', () => {
  it('finds the most recent fire at or before now, across DST', () => {
    const last = (cron: string, tz: string, now: string) => lastFireAtOrBefore(cron, tz, new Date(now))?.toISOString();
    expect(last('0 9 * * *', 'Europe/Berlin', '2026-03-29T07:00:00Z')).toBe('2026-03-29T07:00:00.000Z'); // exactly now
    expect(last('0 9 * * *', 'Europe/Berlin', '2026-03-29T06:59:59Z')).toBe('2026-03-28T08:00:00.000Z'); // CET → CEST
    expect(last('0 9 * * *', 'Europe/Berlin', '2026-10-25T09:00:00Z')).toBe('2026-10-25T08:00:00.000Z'); // CEST → CET
    expect(last('0 9 * * 1-5', 'Europe/Berlin', '2026-03-29T12:00:00Z')).toBe('2026-03-27T08:00:00.000Z'); // Sunday
    expect(last('0 0 * * *', 'Australia/Sydney', '2026-04-05T12:00:00Z')).toBe('2026-04-04T13:00:00.000Z');
    expect(nextFireAfter('0 9 * * *', 'America/New_York', new Date('2026-03-08T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-08T13:00:00.000Z',
    );
  });
});

describe('replies', () => {
  it('describes a schedule with its next local fire time', () => {
    const m = scheduledMessage({
      platform: 'slack',
      channel: 'C1',
      cron: '0 9 * * 1-5',
      timezone: 'Europe/Berlin',
      next: new Date('2026-03-30T07:00:00Z'),
    });
    expect(m.blocks[0]).toEqual({
      type: 'section',
      text: `The customer-first digest will be posted here on \`${plain('0 9 * * 1-5')}\` (${plain('Europe/Berlin')}) — next Mon 30 Mar, 09:00.`,
    });
    expect(scheduleListMessage([]).text).toBe('No digest schedules');
  });

  it('parses /cx learned with an optional customer', () => {
    expect(parseLearnedArgs('They export every Monday [Acme Corp]')).toEqual({
      text: 'They export every Monday',
      customerQuery: 'Acme Corp',
    });
    expect(parseLearnedArgs('Wants SSO ada@example.com')).toEqual({ text: 'Wants SSO', customerQuery: 'ada@example.com' });
    expect(parseLearnedArgs('Just a thought')).toEqual({ text: 'Just a thought' });
    expect(parseLearnedArgs('  [Acme]')).toHaveProperty('error');
  });
});
