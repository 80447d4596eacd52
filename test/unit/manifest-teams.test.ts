import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage, PackageError, packagedManifest } from '../../scripts/teams-package.ts';
import { schemasDir, schemasSkipMessage, validateTeamsManifest } from '../helpers/schemas.ts';

const teamsDir = path.resolve('manifests/teams');
const manifest = JSON.parse(readFileSync(path.join(teamsDir, 'manifest.json'), 'utf8'));
const dir = schemasDir();
const appId = '11111111-2222-4333-8444-555555555555';

type Png = { width: number; height: number; colorType: number; pixels: Buffer };

/** Minimal PNG reader: IHDR plus 8-bit RGBA pixels (what resvg writes). */
function readPng(bytes: Buffer): Png {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('ascii', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      colorType = data[9]!;
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = colorType === 6 ? 4 : 3;
  const stride = width * bpp;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= bpp ? pixels[y * stride + x - bpp]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, colorType, pixels };
}

describe('Teams app manifest', () => {
  it('validates with @microsoft/app-manifest (bundled schema, offline)', async () => {
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
  });

  it.skipIf(!dir)(`validates with ajv against MicrosoftTeams.schema.1.25.json${dir ? '' : ` (${schemasSkipMessage})`}`, () => {
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.25/MicrosoftTeams.schema.json');
    expect(validateTeamsManifest(manifest)).toEqual([]);
    expect(validateTeamsManifest({ ...manifest, id: 'not-a-guid' })).not.toEqual([]);
  });

  it('declares one bot in personal, team and group chat with the ten commands', () => {
    const [bot, ...others] = manifest.bots;
    expect(others).toEqual([]);
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.botId).toBe(manifest.id);
    const expected = ['scores', 'mine', 'open', 'customer', 'log', 'status', 'help', 'connect', 'digest', 'learned'];
    expect(bot.commandLists.map((l: { scopes: string[] }) => l.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
    for (const list of bot.commandLists) {
      expect(list.commands.map((c: { title: string }) => c.title)).toEqual(expected);
      for (const c of list.commands) expect(c.description.length).toBeLessThanOrEqual(128);
    }
  });

  it('ships a 192×192 colour icon and a 32×32 white-on-transparent outline icon', () => {
    const color = readPng(readFileSync(path.join(teamsDir, manifest.icons.color)));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(readFileSync(path.join(teamsDir, manifest.icons.outline)));
    expect([outline.width, outline.height, outline.colorType]).toEqual([32, 32, 6]);
    let transparent = 0;
    let visible = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, alpha] = outline.pixels.subarray(i, i + 4);
      if (alpha === 0) transparent += 1;
      else {
        visible += 1;
        expect(Math.min(r!, g!, b!)).toBeGreaterThanOrEqual(250); // white only
      }
    }
    expect(transparent).toBeGreaterThan(500);
    expect(visible).toBeGreaterThan(50);
  });
});

describe('teams:package', () => {
  it('refuses a missing, malformed or placeholder app id with one clear line', () => {
    expect(() => packagedManifest({ appId: undefined })).toThrow(/^MICROSOFT_APP_ID is missing/);
    expect(() => packagedManifest({ appId: 'abc' })).toThrow(new PackageError('MICROSOFT_APP_ID is not a GUID: "abc"'));
    expect(() => packagedManifest({ appId: manifest.id })).toThrow(/placeholder/);
  });

  it('zips a valid manifest with the app id, the PUBLIC_URL host and both icons', async () => {
    const bytes = await buildTeamsPackage({ appId, publicUrl: 'https://cx.example.org/base' });
    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const inside = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(inside.id).toBe(appId);
    expect(inside.bots[0].botId).toBe(appId);
    expect(inside.validDomains).toEqual(['cx.example.org']);
    const withoutUrl = packagedManifest({ appId });
    expect(withoutUrl.validDomains).toBeUndefined(); // never ships the example.com placeholder
    expect(await AppManifestUtils.validateAgainstSchema(inside)).toEqual([]);
    if (dir) expect(validateTeamsManifest(inside)).toEqual([]);
    const outline = await zip.file('outline.png')!.async('nodebuffer');
    expect(outline.equals(readFileSync(path.join(teamsDir, 'outline.png')))).toBe(true);
  });

  it('as a CLI, fails with a single stderr line and exit code 1', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'scripts/teams-package.ts', ...args],
          { env: { ...process.env, MICROSOFT_APP_ID: '', PUBLIC_URL: '' } },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });
    const failed = await run([]);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toEqual([
      'teams:package: MICROSOFT_APP_ID is missing: set it or pass --app-id <guid>',
    ]);
  });
});
