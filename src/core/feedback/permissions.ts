// Who may do what to an item. Reasons are plain, human sentences the adapters show ephemerally
// (plain text, not markup: wrap with plain() before putting one in a section).
import type { FeedbackItem, Person } from './item.ts';
import type { ItemAction } from './lifecycle.ts';

export type Permission = { allowed: true } | { allowed: false; reason: string };

type ItemPeople = Pick<FeedbackItem, 'status' | 'claimedById' | 'resolvedById'> & {
  claimedBy?: Pick<Person, 'displayName'> | null;
  resolvedBy?: Pick<Person, 'displayName'> | null;
};

const verbs: Record<ItemAction, string> = {
  claim: 'claim',
  release: 'release',
  reassign: 'reassign',
  snooze: 'snooze',
  resolve: 'resolve',
  reopen: 'reopen',
};

export function isChampion(person: Pick<Person, 'role'>): boolean {
  return person.role === 'champion' || person.role === 'admin';
}

const allowed: Permission = { allowed: true };

export function checkPermission(action: ItemAction, item: ItemPeople, actor: Pick<Person, 'id' | 'role'>): Permission {
  if (isChampion(actor)) return allowed;
  const verb = verbs[action];
  switch (action) {
    case 'claim':
      return allowed;
    case 'reopen': {
      if (item.resolvedById === actor.id) return allowed;
      const who = item.resolvedBy?.displayName;
      return {
        allowed: false,
        reason: who
          ? `Only @${who} (who resolved it) or a champion can reopen this item.`
          : 'Only the person who resolved it or a champion can reopen this item.',
      };
    }
    default: {
      if (item.status === 'claimed') {
        if (item.claimedById === actor.id) return allowed;
        const who = item.claimedBy?.displayName;
        return {
          allowed: false,
          reason: who
            ? `Only @${who} (who claimed it) or a champion can ${verb} this item.`
            : `Only the person who claimed it or a champion can ${verb} this item.`,
        };
      }
      // Unclaimed: snoozing silences escalation, so it is a champion's call. Claim it first otherwise.
      return { allowed: false, reason: `Only a champion can ${verb} an item nobody has claimed. Claim it first.` };
    }
  }
}
