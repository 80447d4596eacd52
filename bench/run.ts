// `npm run bench -- <name>`: runs bench/<name>.bench.ts (intake, slack-ack, scores, import).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''));
const [name, ...args] = process.argv.slice(2);
if (!name || !existsSync(`${dir}/${name}.bench.ts`)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(2);
}
const run = spawnSync(process.execPath, ['--import', 'tsx', `${dir}/${name}.bench.ts`, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
