// Bolt passes every incoming request through the middleware chain of EVERY registered listener
// (App.processEvent), so each listener costs every request, matched or not. Each kind (buttons,
// modals, commands, events) is therefore one Bolt listener that routes by id to its handlers, one
// handler per file as before. Measured with 17 listeners: about 3× the garbage per click of a bare
// Bolt app, and its collection pauses were the ack-latency tail (bench/RESULTS.md, Slack ack).

/** A pattern matching exactly these ids (for Bolt's constraint matching). */
export function oneOf(ids: string[]): RegExp {
  return new RegExp(`^(${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
}
