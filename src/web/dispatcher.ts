// Runs a page's pure reducer (page-state.ts, app/app-state.ts) one event at a time and hands each update's
// effects to the shell. An effect may dispatch (a grid hook, the connection's first role): its events wait for
// the running ones. An effect that throws stops its own event's effects only; the queued events still run, then
// the first error is rethrown.

export interface Dispatcher<S, E> {
  dispatch(event: E): void;
  state(): S;
}

export function createDispatcher<S, E, F>(
  initial: S,
  reduce: (state: S, event: E) => { state: S; effects: F[] },
  run: (effect: F) => void,
  /** Called once the queue is empty (the chat app sizes itself to the row count there). */
  settled: () => void = () => {},
): Dispatcher<S, E> {
  let state = initial;
  const queue: E[] = [];
  let running = false;
  return {
    state: () => state,
    dispatch(event) {
      queue.push(event);
      if (running) return;
      running = true;
      const thrown: unknown[] = [];
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        try {
          const update = reduce(state, next);
          state = update.state;
          update.effects.forEach(run);
        } catch (err) {
          thrown.push(err);
        }
      }
      running = false;
      settled();
      if (thrown.length > 0) throw thrown[0];
    },
  };
}
