// Watches the event loop of this process for stalls: a timer is due every `intervalMs`, and a tick
// that comes more than `thresholdMs` late means something held the loop. On a shared machine the
// process may also just wait for a CPU core, which is not the server's fault: a late tick counts as
// a stall only when the main thread itself burnt at least the threshold (less one clock tick) of
// CPU time meanwhile (Linux: /proc/self/task/<pid>/stat; elsewhere the whole process's CPU time).
import fs from 'node:fs';

export interface Stall { lateMs: number; cpuMs: number; atMs: number; label?: string }
export interface StallReport {
  /** Latest any tick came (what monitorEventLoopDelay would report), whatever the cause. */
  maxLateMs: number;
  /** Late ticks during which the main thread was busy: the server held the loop. */
  stalls: Stall[];
  /** Every tick later than the threshold, busy or not (the first 1,000). */
  lateTicks: Stall[];
}

const STAT_FILE = `/proc/self/task/${process.pid}/stat`;
const TICK_MS = 10; // USER_HZ on Linux: the resolution of the stat file's CPU times

export function mainThreadCpuMs(): number {
  try {
    const stat = fs.readFileSync(STAT_FILE, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
}

/** @param options.label names what ran when a stall is seen (e.g. the fuzz case in flight). */
export function startStallMonitor(options: { thresholdMs?: number; intervalMs?: number; label?: () => string } = {}): { stop(): StallReport; restartClock(): void } {
  const thresholdMs = options.thresholdMs ?? 50;
  const intervalMs = options.intervalMs ?? 10;
  const started = performance.now();
  const report: StallReport = { maxLateMs: 0, stalls: [], lateTicks: [] };
  let last = performance.now();
  let lastCpu = mainThreadCpuMs();
  let timer: NodeJS.Timeout;
  const tick = (): void => {
    const now = performance.now();
    const cpu = mainThreadCpuMs();
    const lateMs = now - last - intervalMs;
    const cpuMs = cpu - lastCpu;
    report.maxLateMs = Math.max(report.maxLateMs, lateMs);
    if (lateMs > thresholdMs) {
      const tick = { lateMs: Math.round(lateMs), cpuMs, atMs: Math.round(now - started), ...(options.label ? { label: options.label() } : {}) };
      if (report.lateTicks.length < 1000) report.lateTicks.push(tick);
      if (cpuMs >= thresholdMs - TICK_MS) report.stalls.push(tick);
    }
    last = now;
    lastCpu = cpu;
    timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  return {
    /** Forgets the time since the last tick: call after synchronous work of the watcher's own (building a test case). */
    restartClock: () => {
      last = performance.now();
      lastCpu = mainThreadCpuMs();
    },
    stop: () => {
      clearTimeout(timer);
      tick();
      clearTimeout(timer);
      report.maxLateMs = Math.round(report.maxLateMs);
      return report;
    },
  };
}

/** Runs `work` under a monitor and returns its result with the report. */
export async function watchStalls<T>(work: () => Promise<T>, options?: { thresholdMs?: number }): Promise<{ result: T; report: StallReport }> {
  const monitor = startStallMonitor(options);
  try {
    const result = await work();
    return { result, report: monitor.stop() };
  } catch (error) {
    monitor.stop();
    throw error;
  }
}
