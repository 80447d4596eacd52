// Reads the routes file (ROUTES_FILE, YAML) once at start-up. A bad file stops start-up with one
// line naming the rule (by index and name) and the field; no file at the default path means no
// rules (every item takes SLACK_DEFAULT_CHANNEL / TEAMS_DEFAULT_CHANNEL, as before routes existed).
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';
import { type RouteRule, routesFileSchema } from '../core/routing/routes-schema.ts';
import { EnvError } from './env.ts';

export const DEFAULT_ROUTES_FILE = 'config/routes.yaml';

/** The rules of `file`; [] when the default file does not exist. Throws EnvError (one line). */
export function loadRoutesFile(file: string | undefined, defaultPath = DEFAULT_ROUTES_FILE): RouteRule[] {
  const path = file ?? defaultPath;
  if (!existsSync(path)) {
    if (file === undefined) return [];
    throw new EnvError(`Invalid configuration: ROUTES_FILE ${path} does not exist`);
  }
  return parseRoutes(readFileSync(path, 'utf8'), path);
}

/** Parses the text of a routes file; `path` only names it in errors. */
export function parseRoutes(text: string, path: string): RouteRule[] {
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: false });
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new EnvError(`Invalid routes file ${path}${line ? ` (line ${line})` : ''}: not valid YAML (${firstLine(error)})`);
  }
  const parsed = routesFileSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  // A misspelt key explains the rest ("rules:" instead of "routes:"): name it first.
  const issues = parsed.error.issues;
  const first = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  throw new EnvError(`Invalid routes file ${path}: ${describeIssue(innermost(first), raw)}`);
}

/**
 * A union ("a value or a list", "a calendar name or a calendar") fails as a whole; the branch that
 * got furthest says what is wrong. A branch of the wrong type is the least telling.
 */
function innermost(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const candidates = issue.errors
    .map((branch) => branch[0])
    .filter((i): i is z.core.$ZodIssue => i !== undefined)
    .map((i) => innermost({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue));
  const score = (i: z.core.$ZodIssue) => (i.code === 'invalid_type' ? 0 : 1000) + i.path.length;
  return candidates.sort((a, b) => score(b) - score(a))[0] ?? issue;
}

/** "routes[1] (billing): match.band must be one of …". */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const path = issue.path.map(String);
  if (path[0] === 'routes' && path.length >= 2 && /^\d+$/.test(path[1]!)) {
    const index = Number(path[1]);
    const name = (raw as { routes?: { name?: unknown }[] })?.routes?.[index]?.name;
    const rule = `routes[${index}]${typeof name === 'string' ? ` (${name})` : ''}`;
    const field = formatPath(path.slice(2)) || 'the rule';
    return `${rule}: ${field} ${issue.message}`;
  }
  return `${formatPath(path) || 'the file'} ${issue.message}`;
}

/** ["match", "band", "0"] → "match.band[0]". */
function formatPath(path: string[]): string {
  return path.reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!;
}
