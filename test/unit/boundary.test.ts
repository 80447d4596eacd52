// Core is pure: no SDK, ORM, driver, scheduler or HTTP framework, no env, no ambient clock.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const coreDir = join(root, 'src/core');

const forbiddenModules = [/^@slack\//, /^botbuilder/, /^drizzle-orm/, /^postgres(\/|$)/, /^@electric-sql\//, /^node-cron/, /^express(\/|$)/];

// The one sanctioned ambient clock: the production Clock implementation itself.
const allowed = [{ file: 'src/core/ports.ts', pattern: /systemClock: Clock = \{ now: \(\) => new Date\(\) \}/ }];

const rules: { name: string; pattern: RegExp }[] = [
  { name: 'reads process.env', pattern: /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*['"]env['"]\s*\]/ },
  { name: 'calls Date.now()', pattern: /\bDate\s*\.\s*now\s*\(/ },
  { name: 'calls new Date() without an argument', pattern: /\bnew\s+Date\s*\(\s*\)/ },
];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return walk(path);
    return e.isFile() && e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Comments removed (strings kept), so a comment mentioning Date.now() is not a violation. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const p of patterns) for (const m of source.matchAll(p)) specs.push(m[1]!);
  return specs;
}

function violations(file: string, source: string): string[] {
  const code = stripComments(source);
  const found: string[] = [];
  for (const spec of importsOf(code)) {
    if (forbiddenModules.some((re) => re.test(spec))) found.push(`${file}: imports ${spec}`);
  }
  const lines = code.split('\n');
  lines.forEach((line, i) => {
    for (const rule of rules) {
      if (!rule.pattern.test(line)) continue;
      if (allowed.some((a) => a.file === file && a.pattern.test(line))) continue;
      found.push(`${file}:${i + 1}: ${rule.name}`);
    }
  });
  return found;
}

describe('core boundary', () => {
  const files = walk(coreDir);

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('src/core imports no SDK, ORM, driver, scheduler or HTTP framework and reads no env or ambient clock', () => {
    const found = files.flatMap((f) => violations(relative(root, f).replaceAll('\\', '/'), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches each kind of violation (the checker itself works)', () => {
    const bad = [
      "import { App } from '@slack/bolt';",
      "import type { TurnContext } from 'botbuilder';",
      "import { eq } from 'drizzle-orm';",
      "import postgres from 'postgres';",
      "const { PGlite } = await import('@electric-sql/pglite');",
      "import cron from 'node-cron';",
      "export { Router } from 'express';",
      'const url = process.env.DATABASE_URL;',
      'const t = Date.now();',
      'const d = new Date();',
    ].join('\n');
    expect(violations('src/core/x.ts', bad)).toHaveLength(10);
    const fine = [
      "import { z } from 'zod';",
      "import type { Clock } from '../ports.ts';",
      '// no Date.now() here, and no process.env either',
      'const d = new Date(now.getTime() + 1);',
      "const s = 'see https://example.com';",
    ].join('\n');
    expect(violations('src/core/x.ts', fine)).toEqual([]);
  });
});
