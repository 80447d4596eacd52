// Bolt and @slack/web-api log through @slack/logger's interface; route them into ours so Slack
// lines share the format, level and secret redaction of the rest of the app.
import { type Logger as SlackLogger, LogLevel } from '@slack/logger';
import type { Logger } from '../../logger.ts';

const levels = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

export function toSlackLogger(logger: Logger, level: LogLevel = LogLevel.INFO): SlackLogger {
  let current = level;
  const at = (l: LogLevel) => levels.indexOf(l) >= levels.indexOf(current);
  const line = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => at(LogLevel.DEBUG) && logger.debug(line(msg)),
    info: (...msg) => at(LogLevel.INFO) && logger.info(line(msg)),
    warn: (...msg) => at(LogLevel.WARN) && logger.warn(line(msg)),
    error: (...msg) => at(LogLevel.ERROR) && logger.error(line(msg)),
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: () => {},
  };
}
