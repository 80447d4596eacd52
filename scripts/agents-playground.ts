// Starts Microsoft 365 Agents Playground (the `agentsplayground` CLI of
// @microsoft/m365agentsplayground) pointed at our bot, offline: no telemetry, no statsbeat, and
// (unless asked) no browser. Used by `npm run playground` and the Playground end-to-end test.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

export type PlaygroundOptions = {
  /** The bot's messaging endpoint, e.g. http://localhost:3978/api/messages. */
  endpoint: string;
  /** Playground's port (it picks a free one when this is taken). Default 56150. */
  port?: number;
  /** Let the Playground open the default browser (interactive use). Default false. */
  openBrowser?: boolean;
  /** Where the Playground's own output goes (default: dropped). */
  onOutput?: (line: string) => void;
  timeoutMs?: number;
};

export type RunningPlayground = { url: string; port: number; child: ChildProcess; stop(): Promise<void> };

const require = createRequire(import.meta.url);

export function playgroundCli(): string {
  const pkg = require.resolve('@microsoft/m365agentsplayground/package.json');
  return path.join(path.dirname(pkg), 'cli.js');
}

export async function startAgentsPlayground(opts: PlaygroundOptions): Promise<RunningPlayground> {
  const port = opts.port ?? 56150;
  const env: NodeJS.ProcessEnv = { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: '1' };
  if (!opts.openBrowser) env.TEAMSAPPTESTER_BROWSER = 'none';
  const child = spawn(
    process.execPath,
    [playgroundCli(), '-p', String(port), '-e', opts.endpoint, '-c', 'msteams', '--disable-telemetry'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  let output = '';
  const onData = (d: Buffer) => {
    const text = d.toString('utf8');
    output += text;
    for (const line of text.split('\n')) if (line.trim()) opts.onOutput?.(line);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const listening = /Listening on (\d+)/.exec(output);
    if (listening) {
      const actual = Number(listening[1]);
      return { url: `http://localhost:${actual}`, port: actual, child, stop };
    }
    if (child.exitCode !== null) throw new Error(`Agents Playground exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Agents Playground did not start in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
