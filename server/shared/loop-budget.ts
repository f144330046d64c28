/**
 * The event-loop budget (DESIGN §8: nothing holds the loop more than 50 ms). Long loops call
 * `checkpoint()` between small units of work; it yields a macrotask turn (setImmediate, so timers,
 * I/O and other requests run) once `sliceMs` of wall time has passed since the last yield.
 *
 * By time, not by count: a row count tuned on one machine is wrong on a busier one, and awaiting a
 * promise that is already resolved (a destination with room, a mailer stub, a cache hit) yields no
 * turn at all — only microtasks run. `checkpoint()` returns nothing while within the slice, so a
 * caller awaits only when it must: `const turn = budget.checkpoint(); if (turn) await turn;`.
 * Awaiting a destination's `drain` does not restart the slice: it may have resolved at once.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Default slice: a quarter of the 50 ms budget leaves room for the unit that overruns it. */
export const DEFAULT_SLICE_MS = 12;

export interface LoopBudget {
  /** A promise of the next turn once the slice is spent, else undefined. */
  checkpoint(): Promise<void> | undefined;
  /** How many turns were given so far (for tests and benches). */
  readonly turns: number;
}

export function loopBudget(options: { sliceMs?: number; now?: () => number } = {}): LoopBudget {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const now = options.now ?? (() => performance.now());
  let sliceStart = now();
  let turns = 0;
  return {
    checkpoint() {
      if (now() - sliceStart < sliceMs) return undefined;
      turns++;
      return nextTurn().then(() => { sliceStart = now(); });
    },
    get turns() {
      return turns;
    },
  };
}
