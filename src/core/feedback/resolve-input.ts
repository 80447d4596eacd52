// The Resolve form, validated. Adapters build their forms from `rootCausesFor(...)` and submit this.
// Empty form fields ('' or null) mean "not given".
import { z } from 'zod';

const optional = <T extends z.ZodType<string>>(schema: T) =>
  z
    .union([z.literal(''), schema])
    .nullish()
    .transform((v) => (v ? (v as string) : null));

export const resolveInputSchema = z.object({
  summary: z.string().trim().min(1, 'Say what was done').max(3000),
  /** One of the workspace's root causes (checked against the taxonomy by the service). */
  rootCause: z.string().trim().min(1, 'Pick a root cause').max(200),
  preventionAction: optional(z.string().trim().max(3000)),
  preventionOwnerId: optional(z.uuid()),
  preventionDueOn: optional(z.iso.date('Use YYYY-MM-DD')),
  customerContacted: z.boolean().default(false),
});

export type ResolveInput = z.input<typeof resolveInputSchema>;
export type ParsedResolveInput = z.output<typeof resolveInputSchema>;
