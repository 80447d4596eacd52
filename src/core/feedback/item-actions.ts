// Every item action behind one object, for the Slack and Teams handlers (and the console/API).
// Each action runs in one transaction: conditional update + event + outbox jobs, or nothing.
import type { ItemActionDeps } from './action-result.ts';
import { createClaimService } from './claim.service.ts';
import { createReassignService } from './reassign.service.ts';
import { createReleaseService } from './release.service.ts';
import { createReopenService } from './reopen.service.ts';
import { createResolveService } from './resolve.service.ts';
import { rootCausesFor } from './root-causes.ts';
import { createSnoozeService } from './snooze.service.ts';

export function createItemActions(deps: ItemActionDeps) {
  return {
    claim: createClaimService(deps),
    release: createReleaseService(deps),
    reassign: createReassignService(deps),
    snooze: createSnoozeService(deps),
    resolve: createResolveService(deps),
    reopen: createReopenService(deps),
    /** The taxonomy the Resolve form offers in this workspace. */
    rootCauses: async (workspaceId: string): Promise<readonly string[]> =>
      rootCausesFor(await deps.rootCauses?.(workspaceId)),
  };
}

export type ItemActions = ReturnType<typeof createItemActions>;
export type { ActionContext, ActionFailure, ActionResult, ItemActionDeps } from './action-result.ts';
export type { ReassignInput } from './reassign.service.ts';
export type { ReopenInput } from './reopen.service.ts';
export type { ResolveInput } from './resolve-input.ts';
export type { SnoozeInput } from './snooze.service.ts';
