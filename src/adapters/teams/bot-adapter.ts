// The botbuilder CloudAdapter with Bot Framework authentication from the environment. With no app
// id, botbuilder skips JWT validation: allowed only for TEAMS_LOCAL outside production (Microsoft
// 365 Agents Playground). botbuilder stays inside src/adapters/teams so it can be swapped.
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Env } from '../../config/env.ts';
import type { Logger } from '../../logger.ts';

export type TeamsAuthEnv = Pick<Env, 'NODE_ENV' | 'MICROSOFT_APP_TYPE' | 'TEAMS_LOCAL'> &
  Partial<Pick<Env, 'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD' | 'MICROSOFT_APP_TENANT_ID'>>;

export class TeamsConfigError extends Error {
  override name = 'TeamsConfigError';
}

/** Refuses any configuration that would run without authentication where it must not. */
export function assertTeamsAuthConfig(env: TeamsAuthEnv): void {
  if (env.MICROSOFT_APP_ID) return;
  if (env.NODE_ENV === 'production') {
    throw new TeamsConfigError(
      'Invalid configuration: MICROSOFT_APP_ID is required in production (Teams authentication would be off)',
    );
  }
  if (!env.TEAMS_LOCAL) {
    throw new TeamsConfigError('Invalid configuration: MICROSOFT_APP_ID is required (or TEAMS_LOCAL=1 for local testing)');
  }
}

export function createBotAdapter(env: TeamsAuthEnv, logger: Logger): CloudAdapter {
  assertTeamsAuthConfig(env);
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: env.MICROSOFT_APP_ID ?? '',
    MicrosoftAppPassword: env.MICROSOFT_APP_PASSWORD ?? '',
    MicrosoftAppType: env.MICROSOFT_APP_TYPE,
    MicrosoftAppTenantId: env.MICROSOFT_APP_TENANT_ID ?? '',
  });
  const adapter = new CloudAdapter(auth);
  // Last resort for errors our handlers did not catch: log, never crash, never leak details.
  adapter.onTurnError = async (context, error) => {
    logger.error('teams turn failed', { activityType: context.activity.type, error });
  };
  if (!env.MICROSOFT_APP_ID) logger.warn('Teams authentication is OFF (TEAMS_LOCAL): for local testing only');
  return adapter;
}
