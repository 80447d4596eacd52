// The root-cause taxonomy offered by the Resolve form, when a workspace has not defined its own.
export const defaultRootCauses = [
  'Product bug',
  'Missing feature',
  'Usability / confusing UX',
  'Performance / reliability',
  'Billing / pricing',
  'Onboarding / documentation',
  'Support process / response time',
  'Communication / expectation gap',
  'Third party / integration',
  'Other',
] as const;

/** The workspace's taxonomy, or the default one when it has none. */
export function rootCausesFor(workspaceRootCauses: readonly string[] | null | undefined): readonly string[] {
  const own = (workspaceRootCauses ?? []).map((c) => c.trim()).filter((c) => c.length > 0);
  return own.length > 0 ? own : defaultRootCauses;
}

/** The taxonomy entry matching `value` (case-insensitive), spelled as in the taxonomy. */
export function matchRootCause(taxonomy: readonly string[], value: string): string | null {
  const wanted = value.trim().toLowerCase();
  return taxonomy.find((c) => c.toLowerCase() === wanted) ?? null;
}
