/**
 * Running a job once a day at a local hour in the bank's time zone. `nextDailyRun` is the pure
 * part; `scheduleDaily` is the timer the standalone server (main.ts) starts — never createLms, so a
 * host mounting the plugin, and the tests, run no background job.
 */
import type { Logger } from '../logger.js';
import { formatLocalDateTime, localDayNumber, startOfDayNumber } from '../certification/calendar.js';

const HOUR_MS = 3_600_000;

/**
 * The first instant strictly after `after` whose local wall clock in `timeZone` shows `hour`:00.
 * On a day whose `hour` falls into a DST gap, the run comes right after the gap.
 */
export function nextDailyRun(after: Date, hour: number, timeZone: string): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour must be 0–23, got ${hour}`);
  const ms = after.getTime();
  if (Number.isNaN(ms)) throw new RangeError('after is an Invalid Date');
  const today = localDayNumber(ms, timeZone);
  const candidate = instantAtLocalHour(today, hour, timeZone);
  return new Date(candidate > ms ? candidate : instantAtLocalHour(today + 1, hour, timeZone));
}

/** `hour`:00 on a local day: local midnight plus the hours, corrected when DST shifted the clock in between. */
function instantAtLocalHour(dayNumber: number, hour: number, timeZone: string): number {
  const guess = startOfDayNumber(dayNumber, timeZone) + hour * HOUR_MS;
  const shown = wallHours(guess, timeZone);
  const corrected = guess + (dayNumber * 24 + hour - shown) * HOUR_MS;
  return wallHours(corrected, timeZone) === dayNumber * 24 + hour ? corrected : guess;
}

/** Local hours since 1970-01-01 00:00 (local) of an instant. */
function wallHours(ms: number, timeZone: string): number {
  const hour = Number(formatLocalDateTime(new Date(ms), timeZone).slice(11, 13));
  return localDayNumber(ms, timeZone) * 24 + hour;
}

export interface DailySchedule {
  /** Cancels the next run and aborts a running one; resolves once it has stopped. */
  stop(): Promise<void>;
}

/** Runs `job` at `hour`:00 local time every day until stopped; a failing run is logged and the next one still comes. */
export function scheduleDaily(deps: {
  hour: number; timeZone: string; now: () => Date; logger: Logger; name: string;
  job: (signal: AbortSignal) => Promise<unknown>;
}): DailySchedule {
  const { logger, name } = deps;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  // Timers may fire a little early: the next run is always after the one just due.
  let last = deps.now();

  const plan = () => {
    const now = deps.now();
    const next = nextDailyRun(now > last ? now : last, deps.hour, deps.timeZone);
    last = next;
    timer = setTimeout(fire, next.getTime() - now.getTime());
    timer.unref();
    logger.info(`[${name}] next run at ${next.toISOString()}`);
  };
  const fire = () => {
    timer = null;
    running = deps.job(abort.signal).then(() => undefined, (error: unknown) => {
      logger.error({ err: error }, `[${name}] run failed`);
    }).finally(() => {
      running = null;
      if (!abort.signal.aborted) plan();
    });
  };

  plan();
  return {
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
