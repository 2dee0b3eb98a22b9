// Where a query's or a comparison's time went, step by step: the server logs it, so a slow call says why.

export interface StepTimer {
  /** Milliseconds (one decimal) of each step so far, by name. */
  readonly steps: Record<string, number>;
  /** Ends the step running since the last call (or the start) under `name`. */
  step(name: string): void;
}

export function startStepTimer(): StepTimer {
  const steps: Record<string, number> = {};
  let last = performance.now();
  return {
    steps,
    step(name) {
      const now = performance.now();
      steps[name] = Math.round((now - last) * 10) / 10;
      last = now;
    },
  };
}
