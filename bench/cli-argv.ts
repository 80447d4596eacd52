// The node arguments `npm run cli` uses (package.json: heap limits, tsx), with `preload` modules
// added, so the import bench and the importer's memory test run the CLI exactly as users do.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { cli: string } };

export function cliArgv(args: string[], preload: string[] = ['./bench/report-rss.mjs']): string[] {
  const [node, ...rest] = pkg.scripts.cli.split(/\s+/);
  if (node !== 'node' || rest.at(-1) !== 'src/cli/main.ts') throw new Error(`unexpected cli script: ${pkg.scripts.cli}`);
  return [...rest.slice(0, -1), ...preload.flatMap((p) => ['--import', p]), 'src/cli/main.ts', ...args];
}
