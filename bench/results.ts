// Writes one benchmark's section of bench/RESULTS.md, keeping the other sections.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

export function writeResults(title: string, lines: string[]): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const section = `## ${title}\n\n${lines.join('\n')}\n`;
  const pattern = new RegExp(`## ${title}\\n[\\s\\S]*?(?=\\n## |$)`);
  // The lookahead keeps the newline before the next heading: put the blank line back.
  const next = pattern.test(current)
    ? current.replace(pattern, `${section.trimEnd()}\n`)
    : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(file, `${next.trimEnd()}\n`);
  console.error(`wrote the "${title}" section of ${file}`);
}
