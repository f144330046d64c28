import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mainThreadCpuMs } from './stall-monitor.js';

export { mainThreadCpuMs };

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
