// The Resolve and Reassign forms of an item card, as inline Action.ShowCard forms (Teams dialogs
// are not available in Agents Playground, and inline forms work everywhere). Input ids are
// prefixed per form because Teams submits every input of the card.
import type { Person } from '../../core/feedback/item.ts';
import { ActionIds } from '../../core/messages/action-ids.ts';
import type { FormInputSpec, ShowCardForm } from './render/show-card-form.ts';

export const RESOLVE_FIELDS = {
  summary: 'resolve.summary',
  rootCause: 'resolve.rootCause',
  preventionAction: 'resolve.preventionAction',
  preventionOwnerId: 'resolve.preventionOwnerId',
  preventionDueOn: 'resolve.preventionDueOn',
  customerContacted: 'resolve.customerContacted',
} as const;

export const REASSIGN_FIELD = 'reassign.to';

/** Choice lists stay short enough to use and to keep the card well under 80 KB. */
const MAX_PEOPLE = 50;

const peopleChoices = (people: Person[]) =>
  people.slice(0, MAX_PEOPLE).map((p) => ({ title: p.email ? `${p.displayName} (${p.email})` : p.displayName, value: p.id }));

export function resolveForm(itemId: string, rootCauses: readonly string[], people: Person[]): ShowCardForm {
  const inputs: FormInputSpec[] = [
    {
      type: 'text',
      id: RESOLVE_FIELDS.summary,
      label: 'What was done',
      multiline: true,
      required: true,
      maxLength: 3000,
    },
    {
      type: 'choice',
      id: RESOLVE_FIELDS.rootCause,
      label: 'Root cause',
      required: true,
      placeholder: 'Pick a root cause',
      choices: rootCauses.map((c) => ({ title: c, value: c })),
    },
    {
      type: 'text',
      id: RESOLVE_FIELDS.preventionAction,
      label: 'Prevention action (so it does not happen again)',
      multiline: true,
      maxLength: 3000,
    },
  ];
  if (people.length > 0) {
    inputs.push({
      type: 'choice',
      id: RESOLVE_FIELDS.preventionOwnerId,
      label: 'Prevention owner',
      placeholder: 'Nobody yet',
      choices: peopleChoices(people),
    });
  }
  inputs.push(
    { type: 'date', id: RESOLVE_FIELDS.preventionDueOn, label: 'Prevention due on' },
    { type: 'toggle', id: RESOLVE_FIELDS.customerContacted, title: 'The customer was contacted', value: false },
  );
  return {
    title: 'Resolve',
    inputs,
    submit: { verb: ActionIds.resolveSubmit, data: { v: 1, item: itemId }, title: 'Resolve' },
    replaces: ActionIds.resolve,
  };
}

export function reassignForm(itemId: string, people: Person[]): ShowCardForm {
  return {
    title: 'Reassign',
    inputs: [
      {
        type: 'choice',
        id: REASSIGN_FIELD,
        label: 'New owner',
        required: true,
        placeholder: 'Pick a person',
        choices: peopleChoices(people),
      },
    ],
    submit: { verb: ActionIds.reassignSubmit, data: { v: 1, item: itemId }, title: 'Reassign' },
    replaces: ActionIds.reassign,
  };
}

/** Reads the Resolve form's values from the submitted data (missing fields stay undefined). */
export function readResolveForm(data: Record<string, unknown>) {
  const str = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : undefined);
  return {
    summary: str(RESOLVE_FIELDS.summary) ?? '',
    rootCause: str(RESOLVE_FIELDS.rootCause) ?? '',
    preventionAction: str(RESOLVE_FIELDS.preventionAction) ?? null,
    preventionOwnerId: str(RESOLVE_FIELDS.preventionOwnerId) ?? null,
    preventionDueOn: str(RESOLVE_FIELDS.preventionDueOn) ?? null,
    customerContacted: data[RESOLVE_FIELDS.customerContacted] === 'true' || data[RESOLVE_FIELDS.customerContacted] === true,
  };
}
