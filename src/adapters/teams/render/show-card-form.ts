// Inline forms for Teams: an Action.ShowCard holding inputs and an Action.Execute submit. Used for
// Resolve and Reassign because Microsoft 365 Agents Playground has no dialogs (task modules).
// Teams sends every input of the card with the submit, so input ids must be unique per card:
// prefix them per form (e.g. `resolve.summary`) when a card carries two forms.
import { teamsPlainText } from './escape.ts';
import { teamsLimits as L, truncate } from './limits.ts';
import type { AdaptiveCard, CardAction, CardElement, CardInput, ExecuteAction, ShowCardAction } from './types.ts';

export type FormInputSpec =
  | {
      type: 'text';
      id: string;
      label: string;
      placeholder?: string;
      multiline?: boolean;
      required?: boolean;
      maxLength?: number;
      value?: string;
    }
  | {
      type: 'choice';
      id: string;
      label: string;
      choices: { title: string; value: string }[];
      required?: boolean;
      value?: string;
      /** Radio buttons instead of a drop-down. */
      expanded?: boolean;
      placeholder?: string;
    }
  | { type: 'toggle'; id: string; title: string; label?: string; value?: boolean }
  | { type: 'date'; id: string; label: string; required?: boolean; value?: string; min?: string; max?: string };

export type ShowCardForm = {
  /** The button that opens the form. */
  title: string;
  /** Optional line above the inputs (plain text). */
  intro?: string;
  inputs: FormInputSpec[];
  /** The submit: data is sent as `{ ...data, action: verb, ...inputValues }`. */
  submit: { verb: string; data?: Record<string, unknown>; title?: string };
  /** Verb of an existing Action.Execute the form replaces in place (e.g. the Resolve button). */
  replaces?: string;
};

/** Returns a copy of `card` with the form added (the given card is not modified). */
export function withShowCardForm(card: AdaptiveCard, form: ShowCardForm): AdaptiveCard {
  const copy = structuredClone(card);
  const showCard = buildShowCard(form);
  if (form.replaces && replaceAction(copy, form.replaces, showCard)) return copy;
  copy.actions = [...(copy.actions ?? []), showCard];
  return copy;
}

function buildShowCard(form: ShowCardForm): ShowCardAction {
  const data = { ...(form.submit.data ?? {}), action: form.submit.verb };
  const title = truncate(teamsPlainText(form.submit.title ?? 'Submit') || 'Submit', L.buttonTitle);
  const submit: ExecuteAction = {
    type: 'Action.Execute',
    title,
    verb: form.submit.verb,
    data,
    style: 'positive',
    associatedInputs: 'auto',
    fallback: { type: 'Action.Submit', title, data, style: 'positive' },
  };
  const body: CardElement[] = [];
  if (form.intro?.trim()) body.push({ type: 'TextBlock', text: teamsPlainText(form.intro), wrap: true });
  body.push(...form.inputs.map(buildInput));
  return {
    type: 'Action.ShowCard',
    title: truncate(teamsPlainText(form.title) || 'Open', L.buttonTitle),
    card: { type: 'AdaptiveCard', body, actions: [submit] },
  };
}

function buildInput(spec: FormInputSpec): CardInput {
  const label = (text: string | undefined) => (text ? truncate(teamsPlainText(text), L.inputLabel) : undefined);
  const required = (on: boolean | undefined, name: string | undefined) =>
    on ? { isRequired: true, errorMessage: `${name ?? 'This field'} is required` } : {};
  switch (spec.type) {
    case 'text':
      return clean({
        type: 'Input.Text',
        id: spec.id,
        label: label(spec.label),
        placeholder: spec.placeholder,
        isMultiline: spec.multiline,
        maxLength: spec.maxLength,
        value: spec.value,
        ...required(spec.required, label(spec.label)),
      });
    case 'choice':
      return clean({
        type: 'Input.ChoiceSet',
        id: spec.id,
        label: label(spec.label),
        choices: spec.choices.map((c) => ({ title: truncate(teamsPlainText(c.title), L.inputLabel), value: c.value })),
        style: spec.expanded ? 'expanded' : 'compact',
        placeholder: spec.placeholder,
        value: spec.value,
        ...required(spec.required, label(spec.label)),
      });
    case 'toggle':
      return clean({
        type: 'Input.Toggle',
        id: spec.id,
        title: truncate(teamsPlainText(spec.title), L.inputLabel),
        label: label(spec.label),
        valueOn: 'true',
        valueOff: 'false',
        value: spec.value === undefined ? undefined : String(spec.value),
      });
    case 'date':
      return clean({
        type: 'Input.Date',
        id: spec.id,
        label: label(spec.label),
        value: spec.value,
        min: spec.min,
        max: spec.max,
        ...required(spec.required, label(spec.label)),
      });
  }
}

/** Replaces the Action.Execute with `verb` (top level or in an ActionSet); false if absent. */
function replaceAction(card: AdaptiveCard, verb: string, replacement: CardAction): boolean {
  const swap = (actions: CardAction[] | undefined): boolean => {
    const i = actions?.findIndex((a) => a.type === 'Action.Execute' && a.verb === verb) ?? -1;
    if (i < 0 || !actions) return false;
    actions[i] = replacement;
    return true;
  };
  if (swap(card.actions)) return true;
  return card.body.some((element) => element.type === 'ActionSet' && swap(element.actions));
}

/** Drops undefined properties: the schema allows no nulls and tests compare shapes. */
function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
