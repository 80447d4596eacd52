// Validators for the vendor JSON schemas in ../shared/schemas (beside the checkout; never copied
// into the project) plus structural Block Kit checks. Tests that need a schema call
// `schemasDir()` and skip with `schemasSkipMessage` when it returns null:
//
//   const dir = schemasDir();
//   describe.skipIf(!dir)(`cards (${dir ? 'schemas found' : schemasSkipMessage})`, () => { ... });
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sharedSchemas = path.resolve(repoRoot, '../shared/schemas');

export const schemasSkipMessage = `skipped: vendor schemas folder ${sharedSchemas} is absent`;

/** The vendor schemas folder, or null when absent (the caller skips with schemasSkipMessage). */
export function schemasDir(): string | null {
  return existsSync(sharedSchemas) ? sharedSchemas : null;
}

// CommonJS default exports seen through NodeNext typings.
function interop<T>(mod: T): T extends { default: infer D } ? D : T {
  return ((mod as { default?: unknown }).default ?? mod) as T extends { default: infer D } ? D : T;
}
const addFormats = interop(ajvFormats);
const AjvDraft04 = interop(ajvDraft04);

function readSchema(relative: string): Record<string, any> {
  const dir = schemasDir();
  if (!dir) throw new Error(schemasSkipMessage);
  // Teams schemas carry `\a` / `\v` in regexes, which unicode-mode RegExp rejects.
  const raw = readFileSync(path.join(dir, relative), 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return JSON.parse(raw);
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

const cache = new Map<string, ValidateFunction>();

function cached(key: string, build: () => ValidateFunction): ValidateFunction {
  let fn = cache.get(key);
  if (!fn) {
    fn = build();
    cache.set(key, fn);
  }
  return fn;
}

/** Errors of `card` against the Adaptive Card 1.5 schema (draft-06); [] when valid. */
export function validateAdaptiveCard(card: unknown): string[] {
  const validate = cached('adaptive-card-1.5', () => {
    const ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
    const schema = readSchema('adaptive-cards/adaptive-card.1.5.json');
    // draft-06 names the schema id `id`; ajv 8 wants `$id`.
    schema.$id = schema.id;
    delete schema.id;
    return ajv.compile(schema);
  });
  // `msteams` (the <at> mention entities) is Teams' host extension, outside the Adaptive Card
  // schema (which allows no extra properties): checked on its own, the rest against the schema.
  const { msteams, ...rest } = (card ?? {}) as { msteams?: { entities?: unknown[] } };
  const errors = validate(rest) ? [] : describeErrors(validate.errors);
  if (msteams !== undefined) {
    const ok =
      Array.isArray(msteams.entities) &&
      msteams.entities.every((e) => {
        const m = e as { type?: unknown; text?: unknown; mentioned?: { id?: unknown; name?: unknown } };
        return m.type === 'mention' && typeof m.text === 'string' && /^<at>[^<>]+<\/at>$/.test(m.text) && typeof m.mentioned?.id === 'string' && typeof m.mentioned?.name === 'string';
      });
    if (!ok) errors.push('msteams.entities must be mention entities ({ type, text: <at>…</at>, mentioned: { id, name } })');
  }
  return errors;
}

/** Errors of a Slack app manifest against slackapi/manifest-schema (by _metadata.major_version). */
export function validateSlackManifest(manifest: unknown): string[] {
  const major = (manifest as { _metadata?: { major_version?: number } })?._metadata?.major_version ?? 1;
  const validate = cached(`slack-${major}`, () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    return ajv.compile(readSchema(`slack/manifest.schema.${major}.0.0.json`));
  });
  return validate(manifest) ? [] : describeErrors(validate.errors);
}

/** Errors of a Teams app manifest against MicrosoftTeams.schema.<manifestVersion>.json (draft-04). */
export function validateTeamsManifest(manifest: unknown): string[] {
  const version = (manifest as { manifestVersion?: string })?.manifestVersion;
  const validate = cached(`teams-${version}`, () => {
    const ajv = new AjvDraft04({ strict: false, allErrors: true });
    addFormats(ajv);
    return ajv.compile(readSchema(`teams/MicrosoftTeams.schema.${version}.json`));
  });
  return validate(manifest) ? [] : describeErrors(validate.errors);
}

// ---- Block Kit: structural checks (Slack publishes no JSON schema for messages) ----

type AnyBlock = { type: string; block_id?: string; [key: string]: any };
const blockTypes = new Set(['section', 'header', 'context', 'actions', 'image', 'divider']);

/** Problems in a rendered Block Kit message: limits, unique ids, unescaped control characters. */
export function checkBlockKit(message: { text: string; blocks: unknown[] }): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  check(typeof message.text === 'string' && message.text.length > 0, 'text: missing fallback text');
  check(message.text.length <= 40_000, 'text: longer than 40000');
  checkEscaped(message.text, 'text', check);
  check(message.blocks.length <= 50, `blocks: ${message.blocks.length} > 50`);
  const blockIds = new Set<string>();
  message.blocks.forEach((raw, i) => {
    const block = raw as AnyBlock;
    const at = `blocks[${i}] (${block.type})`;
    check(blockTypes.has(block.type), `${at}: unexpected type`);
    if (block.block_id !== undefined) {
      check(!blockIds.has(block.block_id), `${at}: duplicate block_id ${block.block_id}`);
      check(block.block_id.length <= 255, `${at}: block_id longer than 255`);
      blockIds.add(block.block_id);
    }
    const textObject = (t: any, max: number, where: string) => {
      check(t && typeof t.text === 'string' && t.text.length >= 1, `${where}: empty text`);
      check((t?.text ?? '').length <= max, `${where}: text ${(t?.text ?? '').length} > ${max}`);
      if (t?.type === 'mrkdwn') checkEscaped(t.text, where, check);
    };
    switch (block.type) {
      case 'section':
        check(!!block.text || !!block.fields, `${at}: needs text or fields`);
        if (block.text) textObject(block.text, 3000, `${at}.text`);
        check((block.fields ?? []).length <= 10, `${at}: more than 10 fields`);
        for (const [j, f] of (block.fields ?? []).entries()) textObject(f, 2000, `${at}.fields[${j}]`);
        break;
      case 'header':
        check(block.text?.type === 'plain_text', `${at}: header must be plain_text`);
        textObject(block.text, 150, `${at}.text`);
        break;
      case 'context':
        check(block.elements.length >= 1 && block.elements.length <= 10, `${at}: 1..10 elements`);
        for (const [j, e] of block.elements.entries()) textObject(e, 3000, `${at}.elements[${j}]`);
        break;
      case 'actions': {
        check(block.elements.length >= 1 && block.elements.length <= 25, `${at}: 1..25 elements`);
        const actionIds = new Set<string>();
        for (const [j, e] of block.elements.entries()) {
          const where = `${at}.elements[${j}]`;
          check(e.type === 'button', `${where}: not a button`);
          check(e.text?.type === 'plain_text', `${where}: button text must be plain_text`);
          textObject(e.text, 75, `${where}.text`);
          check(typeof e.action_id === 'string' && e.action_id.length <= 255, `${where}: action_id`);
          check(!actionIds.has(e.action_id), `${where}: duplicate action_id ${e.action_id}`);
          actionIds.add(e.action_id);
          check(e.value === undefined || e.value.length <= 2000, `${where}: value longer than 2000`);
          check(e.style === undefined || ['primary', 'danger'].includes(e.style), `${where}: style`);
        }
        break;
      }
      case 'image':
        check(typeof block.image_url === 'string' && block.image_url.length <= 3000, `${at}: image_url`);
        check(typeof block.alt_text === 'string' && block.alt_text.length <= 2000, `${at}: alt_text`);
        break;
    }
  });
  return problems;
}

/** No raw `<`, no `>` but a line-start quote marker, every `&` an entity: no mention, no link. */
function checkEscaped(text: string, where: string, check: (ok: boolean, what: string) => void): void {
  // Our only own angle brackets: a quote marker, and a route's user or user-group mention.
  const ours = text.replace(/^> /gm, '').replace(/<@[UW][A-Z0-9]{2,}>|<!subteam\^S[A-Z0-9]{2,}>/g, '');
  check(!/[<>]/.test(ours), `${where}: raw < or > in mrkdwn`);
  check(!/&(?!amp;|lt;|gt;)/.test(text), `${where}: raw & in mrkdwn`);
}
