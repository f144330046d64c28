import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * CPU time the process's main thread has used, in ms: utime + stime of /proc/self/task/<pid>/stat.
 * process.cpuUsage() adds every worker thread's CPU, and Node 20 has no threadCpuUsage(). Linux
 * only; resolution one clock tick (10 ms at the usual USER_HZ of 100).
 */
export function mainThreadCpuMs(): number {
  const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "(comm) ", fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface LoopMeter {
  /** Longest stretch of main-thread CPU between two 5 ms ticks, and perf_hooks' largest delay (wall), since the last reset. */
  read(): { cpuStretchMs: number; wallMaxMs: number };
  reset(): void;
  stop(): void;
}

/**
 * Two readings of a stall on the main thread. The wall-clock delay also counts waiting for a CPU
 * on a loaded machine; the CPU stretch between ticks is the loop's own work.
 */
export function startLoopMeter(): LoopMeter {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let last = mainThreadCpuMs();
  let cpuStretchMs = 0;
  const tick = () => {
    const now = mainThreadCpuMs();
    cpuStretchMs = Math.max(cpuStretchMs, now - last);
    last = now;
  };
  const timer = setInterval(tick, 5);
  return {
    read: () => {
      tick();
      return { cpuStretchMs, wallMaxMs: delay.max / 1e6 };
    },
    reset: () => { last = mainThreadCpuMs(); cpuStretchMs = 0; delay.reset(); },
    stop: () => { clearInterval(timer); delay.disable(); },
  };
}
