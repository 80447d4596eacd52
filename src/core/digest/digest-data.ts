// What the digest shows, fetched by src/digest/digest-data.ts and composed by compose-digest.ts.
// Lists are already capped; `total` says how many there were, for "and 12 more" lines.
import type { FeedbackKind } from '../feedback/item.ts';
import type { CesResult } from '../scores/scores-result.ts';
import type { MetricResult } from '../scores/metrics.ts';

export type Capped<T> = { items: T[]; total: number };

export type DigestQuote = {
  itemId: string;
  kind: FeedbackKind;
  score: number | null;
  text: string;
  customerName: string | null;
  company: string | null;
  touchpoint: string | null;
  receivedAt: Date;
};

export type DigestOpenItem = {
  itemId: string;
  kind: FeedbackKind;
  score: number | null;
  comment: string | null;
  customerName: string | null;
  dueAt: Date;
  /** Overdue items only: who claimed it (null for unclaimed). */
  claimedByName: string | null;
};

export type DigestResolved = {
  itemId: string;
  customerName: string | null;
  summary: string | null;
  rootCause: string | null;
  resolvedByName: string | null;
  resolvedAt: Date;
};

export type DigestLearning = {
  id: string;
  text: string;
  authorName: string | null;
  customerName: string | null;
  createdAt: Date;
};

export type CustomerStory = {
  customerId: string;
  name: string | null;
  company: string | null;
  segment: string | null;
  latest: { kind: FeedbackKind; score: number | null; text: string; receivedAt: Date };
  /** Oldest first, scored responses only (the "history in one line"). */
  history: { kind: FeedbackKind; score: number | null; receivedAt: Date }[];
  totalItems: number;
  firstSeen: Date;
};

export type DigestHeadline = { nps: MetricResult; csat: MetricResult; ces: CesResult };

export type DigestData = {
  /** "Since the last digest": [since, until). */
  since: Date;
  until: Date;
  headline: DigestHeadline | null;
  goodNews: Capped<DigestQuote>;
  badNews: Capped<DigestQuote>;
  needsOwner: Capped<DigestOpenItem>;
  overdue: Capped<DigestOpenItem>;
  resolved: Capped<DigestResolved> & { rootCauses: { rootCause: string; count: number }[] };
  learnings: Capped<DigestLearning>;
  customerOfTheDay: CustomerStory | null;
};

/** How many of each the digest shows (keeps it under Slack's 50 blocks; see compose-digest). */
export const DIGEST_LIMITS = {
  quotes: 3,
  needsOwner: 5,
  overdue: 5,
  resolved: 5,
  learnings: 3,
  rootCauses: 3,
  history: 8,
} as const;
