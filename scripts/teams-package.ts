// Builds the Teams app package (manifest.json + color.png + outline.png in one zip) to upload in
// Teams ("Upload a custom app") or the Developer Portal.
//
//   npm run teams:package -- [--app-id <guid>] [--public-url <https://host>] [--out <file.zip>]
//
// The app id comes from --app-id or MICROSOFT_APP_ID, the bot's host from --public-url or
// PUBLIC_URL (it becomes validDomains). The committed manifest carries an all-zero GUID so it
// validates on its own; this script substitutes the real id and validates the result offline.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';

const manifestDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../manifests/teams');
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

export class PackageError extends Error {}

export type PackageOptions = { appId: string | undefined; publicUrl?: string | undefined; dir?: string };

/** The manifest with the real app id and domain; throws PackageError with a one-line reason. */
export function packagedManifest(opts: PackageOptions): Record<string, any> {
  const appId = opts.appId?.trim();
  if (!appId) throw new PackageError('MICROSOFT_APP_ID is missing: set it or pass --app-id <guid>');
  if (!GUID.test(appId)) throw new PackageError(`MICROSOFT_APP_ID is not a GUID: "${appId}"`);
  if (/^0{8}-/.test(appId)) throw new PackageError('MICROSOFT_APP_ID is the all-zero placeholder');
  const manifest = JSON.parse(readFileSync(path.join(opts.dir ?? manifestDir, 'manifest.json'), 'utf8'));
  manifest.id = appId;
  for (const bot of manifest.bots ?? []) bot.botId = appId;
  // Resource-specific consent (reading digest thread replies) is granted to the same app id.
  if (manifest.webApplicationInfo) manifest.webApplicationInfo.id = appId;
  if (opts.publicUrl) {
    let host: string;
    try {
      host = new URL(opts.publicUrl).host;
    } catch {
      throw new PackageError(`PUBLIC_URL is not a URL: "${opts.publicUrl}"`);
    }
    manifest.validDomains = [host];
  } else {
    delete manifest.validDomains; // a bot needs none; never ship the example.com placeholder
  }
  return manifest;
}

/** The zip as bytes, after validating the manifest against its bundled schema (offline). */
export async function buildTeamsPackage(opts: PackageOptions): Promise<Buffer> {
  const manifest = packagedManifest(opts);
  const failures = await AppManifestUtils.validateAgainstSchema(manifest as any);
  if (failures.length > 0) throw new PackageError(`manifest is invalid: ${failures.join('; ')}`);
  const dir = opts.dir ?? manifestDir;
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const icon of [manifest.icons.color, manifest.icons.outline] as string[]) {
    zip.file(icon, readFileSync(path.join(dir, icon)));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const out = path.resolve(arg('--out') ?? path.join(manifestDir, 'customer-first.zip'));
  const bytes = await buildTeamsPackage({
    appId: arg('--app-id') ?? process.env.MICROSOFT_APP_ID,
    publicUrl: arg('--public-url') ?? process.env.PUBLIC_URL,
  });
  writeFileSync(out, bytes);
  console.log(`wrote ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    const message = error instanceof PackageError ? error.message : String(error);
    console.error(`teams:package: ${message}`);
    process.exit(1);
  });
}
