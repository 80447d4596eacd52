// Wiring for the provider webhooks: the secrets cache (when TOKEN_ENCRYPTION_KEY is set) and the
// routes, as the raw node:http routes and the express mount the HTTP server takes.
import type { IntakeService } from '../core/feedback/intake.service.ts';
import type { Clock } from '../core/ports.ts';
import { createTokenCipher } from '../crypto/token-cipher.ts';
import type { Executor } from '../db/client.ts';
import { createConnectorsRepo } from '../db/repos/connectors.repo.ts';
import { createItemAmendRepo } from '../db/repos/item-amend.repo.ts';
import type { Mount, RawRoute } from '../http/server.ts';
import type { Logger } from '../logger.ts';
import { createConnectorSecrets } from './connector-secrets.ts';
import { createConnectorRoutes } from './connectors.route.ts';

export function createConnectorWebhooks(deps: {
  db: Executor;
  intake: Pick<IntakeService, 'accept'>;
  encryptionKey: string | undefined;
  /** Wakes the delivery worker after an amendment enqueued a card refresh. */
  notifyDelivery?: () => void;
  clock: Clock;
  logger: Logger;
}): { raw: RawRoute[]; mount: Mount } {
  const repo = createConnectorsRepo(deps.db);
  const secrets = deps.encryptionKey
    ? createConnectorSecrets({ repo, cipher: createTokenCipher(deps.encryptionKey), clock: deps.clock, logger: deps.logger })
    : null;
  const routes = createConnectorRoutes({
    intake: deps.intake,
    secrets,
    repo,
    amend: createItemAmendRepo(deps.db),
    onAmended: deps.notifyDelivery,
    clock: deps.clock,
    logger: deps.logger,
  });
  return { raw: routes.raw, mount: { path: '/api/v1/connectors', handler: routes.router } };
}
