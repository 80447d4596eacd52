// Connector secrets: encrypted at rest with TOKEN_ENCRYPTION_KEY (AES-256-GCM), the ciphertext
// bound to its row (aad = `connector:<id>:<provider>`), so a ciphertext copied onto another row
// or provider does not decrypt. The webhook route keeps each provider's decrypted secrets in
// memory for a short while (so a burst of webhooks costs one query); the CLI runs in another
// process, so a connector it adds or replaces is seen after TTL_MS, or at once when a request
// matches none of the cached secrets (reloaded at most once per RELOAD_MS).
import type { ConnectorProvider, ConnectorSettings } from '../core/connectors/map-kit.ts';
import type { Clock } from '../core/ports.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { ConnectorRow, ConnectorsRepo } from '../db/repos/connectors.repo.ts';
import type { Logger } from '../logger.ts';

export const TTL_MS = 60_000;
export const RELOAD_MS = 1_000;

export const secretAad = (id: string, provider: string) => `connector:${id}:${provider}`;

export type LiveConnector = { id: string; workspaceId: string; provider: ConnectorProvider; secret: string; settings: ConnectorSettings };

export function settingsOf(row: Pick<ConnectorRow, 'settings'>): ConnectorSettings {
  const npsField = row.settings?.npsField;
  return typeof npsField === 'string' && npsField ? { npsField } : {};
}

export type ConnectorSecrets = {
  /** The connectors of a provider, decrypted; `fresh` forces a reload (rate-limited). */
  load(provider: ConnectorProvider, opts?: { fresh?: boolean }): Promise<LiveConnector[]>;
};

export function createConnectorSecrets(deps: {
  repo: Pick<ConnectorsRepo, 'listByProvider'>;
  cipher: TokenCipher;
  clock: Clock;
  logger: Logger;
}): ConnectorSecrets {
  const cache = new Map<ConnectorProvider, { at: number; connectors: LiveConnector[] }>();

  async function read(provider: ConnectorProvider): Promise<LiveConnector[]> {
    const rows = await deps.repo.listByProvider(provider);
    const out: LiveConnector[] = [];
    for (const row of rows) {
      try {
        const secret = deps.cipher.decrypt(row.secretCiphertext, secretAad(row.id, row.provider));
        out.push({ id: row.id, workspaceId: row.workspaceId, provider, secret, settings: settingsOf(row) });
      } catch {
        // A rotated TOKEN_ENCRYPTION_KEY or a tampered row: that connector cannot verify anything.
        deps.logger.error('connector secret cannot be decrypted (was TOKEN_ENCRYPTION_KEY changed?): run connector add again', {
          provider,
          connectorId: row.id,
          workspaceId: row.workspaceId,
        });
      }
    }
    return out;
  }

  return {
    async load(provider, opts = {}) {
      const now = deps.clock.now().getTime();
      const hit = cache.get(provider);
      const age = hit ? now - hit.at : Number.POSITIVE_INFINITY;
      if (hit && age < TTL_MS && !(opts.fresh && age >= RELOAD_MS)) return hit.connectors;
      const connectors = await read(provider);
      cache.set(provider, { at: now, connectors });
      return connectors;
    },
  };
}
