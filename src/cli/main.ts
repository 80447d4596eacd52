// Entry point: `npm run cli -- api-key create --name <source>` (see run.ts for the commands).
import { loadEnv } from '../config/env.ts';
import { runCli } from './run.ts';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

process.exitCode = await runCli(process.argv.slice(2), { io, loadEnv });
