// The size guard: a card over budget has all its long texts capped at one common length, halved
// until the card fits; if many elements are still too much, trailing ones give way to
// "… and N more". Mutates and returns the card it is given (always a card we just built).
import { cardBytes, teamsLimits as L, truncate } from './limits.ts';
import type { AdaptiveCard, CardElement } from './types.ts';

type Slot = { original: string; set: (value: string) => void };

export function fitCard(card: AdaptiveCard, budget: number): AdaptiveCard {
  if (cardBytes(card) <= budget) return card;
  const slots = textSlots(card.body);
  let cap = Math.max(0, ...slots.map((s) => s.original.length));
  while (cap > L.minShrunkText) {
    cap = Math.max(L.minShrunkText, Math.floor(cap / 2));
    for (const slot of slots) slot.set(truncate(slot.original, cap));
    if (cardBytes(card) <= budget) return card;
  }
  return dropTrailing(card, budget);
}

function dropTrailing(card: AdaptiveCard, budget: number): AdaptiveCard {
  const note = 200; // room for the "… and N more" line
  const sizes = card.body.map((element) => cardBytes(element) + 1);
  let total = cardBytes(card);
  let dropped = 0;
  while (card.body.length > 1 && total > budget - note) {
    card.body.pop();
    total -= sizes.pop() ?? 0;
    dropped += 1;
  }
  if (dropped > 0) {
    card.body.push({ type: 'TextBlock', text: `… and ${dropped} more`, isSubtle: true, wrap: true });
  }
  return card;
}

function textSlots(elements: CardElement[]): Slot[] {
  const slots: Slot[] = [];
  for (const element of elements) {
    if (element.type === 'TextBlock') {
      slots.push({ original: element.text, set: (v) => (element.text = v) });
    } else if (element.type === 'FactSet') {
      for (const fact of element.facts) {
        slots.push({ original: fact.title, set: (v) => (fact.title = v) });
        slots.push({ original: fact.value, set: (v) => (fact.value = v) });
      }
    } else if (element.type === 'Container') {
      slots.push(...textSlots(element.items));
    }
  }
  return slots;
}
