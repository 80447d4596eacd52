// The SLA sweeper, run every minute on every instance: for each item owed a notice (notices.ts
// decides), one transaction locks the item, records the notice (unique per item, kind and cycle)
// and enqueues what it says, so several instances on one Postgres send each notice exactly once.
//   reminder  → DM to the claimer + a line in the card's thread;
//   overdue   → the card re-rendered (it shows ⚠️) with a thread line, a DM to the claimer, and the
//               card posted to the champion channel (once per item) with the route's mention;
//   unclaimed → the card posted to the champion channel with the route's mention and Claim.
// Without a champion channel, escalations ping the route's mention in the card's own thread.
import type { Platform } from '../core/feedback/item.ts';
import { escalationLead, escalationLine, overdueDm, reminderDm, reminderLine } from '../core/messages/sla-notice.ts';
import type { Clock, DeliveryJob } from '../core/ports.ts';
import { ruleNamed, type RoutingTable } from '../core/routing/match-route.ts';
import { type NoticeKind, noticesDue } from '../core/sla/notices.ts';
import { isBusinessTime } from '../core/sla/business-hours.ts';
import type { Db } from '../db/client.ts';
import { createRepos } from '../db/repos/index.ts';
import type { Logger } from '../logger.ts';
import { createSlaRepo } from './sla.repo.ts';

const PAGE = 200;
/** A sweep handles at most this many items; the rest wait for the next minute. */
const MAX_PER_SWEEP = 2000;

export type ChampionChannel = { platform: Platform; channel: string };

export type SlaSweeperDeps = {
  db: Db;
  clock: Clock;
  /** The routes, and where escalations and overdue cards go (CHAMPION_CHANNEL, TEAMS_CHAMPION_CHANNEL). */
  routing: { readonly table: RoutingTable; readonly champions: ChampionChannel[] };
  notify(): void;
  logger: Pick<Logger, 'warn' | 'debug'>;
};

export type SweepResult = Record<NoticeKind, number>;

export function createSlaSweeper(deps: SlaSweeperDeps) {
  const reader = createSlaRepo(deps.db);

  /** One item in one transaction; the notices it recorded. */
  async function handle(workspaceId: string, id: string, now: Date): Promise<NoticeKind[]> {
    return deps.db.transaction(async (tx) => {
      const sla = createSlaRepo(tx);
      if (!(await sla.lock(workspaceId, id))) return [];
      const repos = createRepos(tx);
      const view = await repos.feedback.view(workspaceId, id);
      if (!view) return [];
      const rule = ruleNamed(deps.routing.table, view.route);
      const sent = await sla.sent(id, view.slaCycle);
      const kinds = noticesDue(view, now, rule?.calendar ?? null, sent.kinds);
      const recorded: NoticeKind[] = [];
      for (const kind of kinds) if (await sla.record(workspaceId, id, kind, view.slaCycle, now)) recorded.push(kind);
      if (recorded.length === 0) return [];

      const jobs: DeliveryJob[] = [];
      const mention = rule?.mention ?? null;
      const champions = deps.routing.champions;
      // Overdue and unclaimed at once (an SLA shorter than the escalation): one overdue notice says both.
      const escalation: 'overdue' | 'unclaimed' | null = recorded.includes('overdue') ? 'overdue' : recorded.includes('unclaimed') ? 'unclaimed' : null;
      if (recorded.includes('reminder') && view.claimedById) {
        jobs.push({ type: 'person.dm', personId: view.claimedById, message: reminderDm(view, now) });
        jobs.push({ type: 'item.changed', itemId: id, message: reminderLine(view, now) });
      }
      if (escalation) {
        const toChampions = champions.length > 0 && !sent.escalatedBefore;
        if (toChampions) {
          const lead = escalationLead(view, now, escalation);
          for (const c of champions) jobs.push({ type: 'item.post', itemId: id, platform: c.platform, channel: c.channel, lead, ...(mention && { mention }) });
        }
        // The thread keeps the timeline; it pings the route's people only when no champion post did.
        const line = escalationLine(view, now, escalation, { mention: champions.length > 0 ? null : mention, escalated: toChampions });
        jobs.push({ type: 'item.changed', itemId: id, message: line });
        if (escalation === 'overdue' && view.claimedById) jobs.push({ type: 'person.dm', personId: view.claimedById, message: overdueDm(view, now) });
      }
      for (const kind of recorded) {
        await repos.events.add(workspaceId, {
          itemId: id,
          type: `sla.${kind}`,
          actorId: null,
          platform: 'system',
          data: { cycle: view.slaCycle, dueAt: view.dueAt.toISOString(), claimedById: view.claimedById },
          at: now,
        });
      }
      await repos.outbox.enqueue(workspaceId, jobs);
      return recorded;
    });
  }

  return {
    /** Sends every notice owed at `now`; safe to run on every instance at once. */
    async sweep(now: Date = deps.clock.now()): Promise<SweepResult> {
      const result: SweepResult = { unclaimed: 0, reminder: 0, overdue: 0 };
      let after: string | undefined;
      let seen = 0;
      let sent = false;
      while (seen < MAX_PER_SWEEP) {
        const page = await reader.candidates(now, PAGE, after);
        for (const c of page) {
          // A business-hours route waits for working time: skip it without opening a transaction.
          const calendar = ruleNamed(deps.routing.table, c.route)?.calendar;
          if (calendar && !isBusinessTime(now, calendar)) continue;
          try {
            for (const kind of await handle(c.workspaceId, c.id, now)) {
              result[kind]++;
              sent = true;
            }
          } catch (error) {
            // One item failing (e.g. deleted meanwhile) must not stop the others' notices.
            deps.logger.warn('SLA notice failed; retried next minute', { item: c.id, error: String(error) });
          }
        }
        seen += page.length;
        if (page.length < PAGE) break;
        after = page.at(-1)!.id;
      }
      if (sent) deps.notify();
      return result;
    },
  };
}

export type SlaSweeper = ReturnType<typeof createSlaSweeper>;
