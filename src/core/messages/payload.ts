// Button payloads are small versioned JSON. An old card's payload must still parse, or the user
// gets a friendly "this card is out of date" reply (parseButtonPayload returns null).
import { z } from 'zod';

export const buttonPayloadSchema = z.object({
  v: z.literal(1),
  item: z.uuid(),
  /** Optional argument, e.g. snooze length ("1h", "4h", "morning"). */
  arg: z.string().max(64).optional(),
});

export type ButtonPayload = z.infer<typeof buttonPayloadSchema>;

export function encodePayload(payload: ButtonPayload): string {
  return JSON.stringify(payload);
}

export function parseButtonPayload(raw: unknown): ButtonPayload | null {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  const parsed = buttonPayloadSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
