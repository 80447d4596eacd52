// The app was uninstalled or its bot token revoked: mark the installation inactive at once, so
// delivery stops retrying against a dead token and requests from that team are not authorized.
// A new install from /slack/install makes it active again.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../context.ts';

export type Deactivate = (team: { teamId?: string | null; enterpriseId?: string | null; isEnterpriseInstall?: boolean }) => Promise<void>;

export function uninstallEvent(deps: SlackDeps, deactivate: Deactivate) {
  return async (args: (SlackEventMiddlewareArgs<'app_uninstalled'> | SlackEventMiddlewareArgs<'tokens_revoked'>) & AllMiddlewareArgs) => {
    const body = args.body as { team_id?: string; enterprise_id?: string; is_enterprise_install?: boolean };
    if (args.event.type === 'tokens_revoked' && !(args.event.tokens?.bot?.length ?? 0)) return; // only user tokens
    try {
      await deactivate({ teamId: body.team_id, enterpriseId: body.enterprise_id, isEnterpriseInstall: body.is_enterprise_install });
      deps.logger.warn('Slack installation deactivated', { event: args.event.type, team: body.team_id });
    } catch (error) {
      deps.logger.error('could not deactivate the Slack installation', { event: args.event.type, error });
    }
  };
}
