import type { Priority } from '../routing/routes-schema.ts';
// The feedback item as the domain sees it (repositories map rows to this).
export const feedbackKinds = ['nps', 'csat', 'ces', 'comment', 'conversation_note', 'review'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];

export const itemStatuses = ['open', 'claimed', 'resolved'] as const;
export type ItemStatus = (typeof itemStatuses)[number];

export type Platform = 'slack' | 'teams' | 'console';

export type Customer = {
  id: string;
  workspaceId: string;
  externalId: string | null;
  email: string | null;
  name: string | null;
  company: string | null;
  segment: string | null;
  tier: string | null;
  attributes: Record<string, unknown>;
};

export type Person = {
  id: string;
  workspaceId: string;
  email: string | null;
  displayName: string;
  role: 'member' | 'champion' | 'admin';
  slackUserId: string | null;
  teamsAadId: string | null;
};

export type Resolution = {
  summary: string;
  rootCause: string;
  preventionAction: string | null;
  preventionOwnerId: string | null;
  preventionDueOn: string | null; // YYYY-MM-DD
  customerContacted: boolean;
};

export type FeedbackItem = {
  id: string;
  workspaceId: string;
  source: string;
  externalId: string;
  kind: FeedbackKind;
  score: number | null;
  comment: string | null;
  touchpoint: string | null;
  tags: string[];
  route: string | null;
  priority: Priority;
  receivedAt: Date;
  createdAt: Date;
  dueAt: Date;
  /** When the claimer is reminded; when an unclaimed item is escalated (both move with snoozes). */
  remindAt: Date;
  escalateAt: Date;
  /** SLA cycle: 0 from intake, n after the n-th reopen (notices are once per item, kind and cycle). */
  slaCycle: number;
  status: ItemStatus;
  claimedById: string | null;
  claimedAt: Date | null;
  snoozedUntil: Date | null;
  resolvedById: string | null;
  resolvedAt: Date | null;
  resolution: Resolution | null;
  customerId: string | null;
  metadata: Record<string, unknown>;
};

/** An item with what a card needs to show about the people around it. */
export type ItemView = FeedbackItem & {
  customer: Customer | null;
  claimedBy: Person | null;
  resolvedBy: Person | null;
};
