// Shared pieces of the provider mappings (pure): the result type, and tolerant readers for the
// loosely typed JSON the providers send (ids as numbers or strings, scores as "9" or 9).
import type { IntakeInput } from '../feedback/intake.service.ts';
import type { NewCustomer } from '../ports.ts';

export const connectorProviders = ['alchemer', 'typeform', 'delighted', 'zendesk', 'intercom'] as const;
export type ConnectorProvider = (typeof connectorProviders)[number];

export function isConnectorProvider(name: string): name is ConnectorProvider {
  return (connectorProviders as readonly string[]).includes(name);
}

/** Per-connector options saved by `connector add` (e.g. which question holds the NPS answer). */
export type ConnectorSettings = { npsField?: string };

/** What a mapping sees: the parsed body, the URL query and the connector's settings. */
export type MapRequest = { body: unknown; query: Record<string, string>; settings: ConnectorSettings };

/**
 * `mapped`: the item to accept. `ignored`: a well-formed event that is not feedback (a test ping,
 * another topic), answered 200. `unmappable`: feedback we cannot read, answered 422 and recorded;
 * `missing` says what was missing or wrong, worded for the answer.
 */
export type MapResult =
  | {
      status: 'mapped';
      input: IntakeInput;
      /** A later event about the same response: when it is a duplicate, its comment updates the stored item. */
      amends?: boolean;
    }
  | { status: 'ignored'; reason: string }
  | { status: 'unmappable'; missing: string[] };

export type ConnectorMapper = (req: MapRequest) => MapResult;

export const unmappable = (...missing: string[]): MapResult => ({ status: 'unmappable', missing });
export const ignored = (reason: string): MapResult => ({ status: 'ignored', reason });

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty trimmed string (numbers become their text), else null. */
export function str(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t ? t : null;
}

/** A whole number from 9 or "9", else null. */
export function int(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** The core's text limits (the same as the generic intake schema): longer text is cut, not refused. */
export const LIMITS = { id: 200, comment: 10_000, touchpoint: 200, name: 200 } as const;

export function clip(value: string | null, max: number): string | null {
  if (value === null) return null;
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The respondent as a customer, or null when nothing identifies them (no id, no valid email). */
export function customerOf(parts: { externalId?: string | null; email?: string | null; name?: string | null; company?: string | null; attributes?: Json }): NewCustomer | null {
  const email = parts.email && EMAIL.test(parts.email) && parts.email.length <= 320 ? parts.email : null;
  const externalId = clip(parts.externalId ?? null, LIMITS.id);
  if (!email && !externalId) return null;
  return {
    externalId,
    email,
    name: clip(parts.name ?? null, LIMITS.name),
    company: clip(parts.company ?? null, LIMITS.name),
    attributes: parts.attributes ?? {},
  };
}

/** Unix seconds (Intercom, Delighted) or an ISO string (Typeform) as a Date; null when absent or bad. */
export function dateOf(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return new Date(value * 1000);
  if (typeof value === 'string' && value.trim()) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** Drops keys whose value is undefined, so metadata holds only what the provider sent. */
export function compact(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
