// The same state and permission check a service runs, for adapters that must decide BEFORE the
// service call whether to open a form (Resolve, Reassign): a person who may not resolve gets the
// reason at the click, not after filling in a modal. The service still checks again atomically.
import { type ActionFailure, forbidden, stateFailure } from './action-result.ts';
import type { ItemView, Person } from './item.ts';
import { can, type ItemAction } from './lifecycle.ts';
import { checkPermission } from './permissions.ts';

export function precheck(action: ItemAction, view: ItemView, actor: Person): ActionFailure | null {
  if (actor.workspaceId !== view.workspaceId) return forbidden('You are not a member of this workspace.');
  if (!can(action, view)) return stateFailure(action, view, actor);
  const permission = checkPermission(action, view, actor);
  return permission.allowed ? null : forbidden(permission.reason);
}
