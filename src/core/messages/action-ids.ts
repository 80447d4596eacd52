// Every interactive id in one place. Posted messages outlive deploys: never rename a value.
export const ActionIds = {
  claim: 'feedback.claim',
  release: 'feedback.release',
  reassign: 'feedback.reassign',
  snooze: 'feedback.snooze',
  resolve: 'feedback.resolve',
  reopen: 'feedback.reopen',
  resolveSubmit: 'feedback.resolve.submit',
  reassignSubmit: 'feedback.reassign.submit',
  logSubmit: 'feedback.log.submit',
  /** Slack message shortcut "Log as customer feedback" (its callback id is in the manifest). */
  logFromMessage: 'feedback.log_from_message',
  digestMore: 'digest.more',
} as const;

export type ActionId = (typeof ActionIds)[keyof typeof ActionIds];

export const allActionIds: readonly ActionId[] = Object.values(ActionIds);

export function isActionId(value: string): value is ActionId {
  return (allActionIds as readonly string[]).includes(value);
}
