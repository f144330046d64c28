/**
 * Servers under test run in their own Node process, so the load generator never shares their
 * event loop. The parent starts a script with tsx and waits for the first stdout line, a JSON
 * object such as {"port":40123,...}; the child announces itself with `announce` and stops on
 * SIGTERM or when the parent goes away (its stdin closes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROJECT_ROOT } from '../../server/config.js';

export interface ChildServer<Info> {
  info: Info & { port: number };
  /** CPU time (user + system) the server process has used so far, in ms; null off Linux. */
  cpuMs(): number | null;
  /** The same for its main thread alone (the event loop: JavaScript and SQLite), without GC and libuv threads. */
  mainThreadCpuMs(): number | null;
  stop(): Promise<void>;
}

/** utime + stime from /proc/<pid>/stat, in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
function processCpuMs(pid: number | undefined, statFile = `/proc/${pid}/stat`): number | null {
  try {
    const stat = fs.readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export interface ChildOptions {
  env?: Record<string, string>;
  /** Extra Node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeFlags?: string[];
  startTimeoutMs?: number;
}

export function startChildServer<Info extends object>(script: string, options: ChildOptions = {}): Promise<ChildServer<Info>> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', script], {
    cwd: PROJECT_ROOT, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(new Error(`${script} did not announce a port within ${options.startTimeoutMs ?? 60_000} ms`)), options.startTimeoutMs ?? 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${script} exited with ${code} before announcing a port`)));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', function onData(chunk: string) {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume(); // anything later is not ours to read
      child.removeAllListeners('exit');
      clearTimeout(timer);
      try {
        const info = JSON.parse(buffered.slice(0, newline)) as Info & { port: number };
        resolve({
          info, cpuMs: () => processCpuMs(child.pid), mainThreadCpuMs: () => processCpuMs(child.pid, `/proc/${child.pid}/task/${child.pid}/stat`), stop: () => stopChild(child),
        });
      } catch {
        fail(new Error(`${script} announced something that is not JSON: ${buffered.slice(0, newline)}`));
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Child side: listen on loopback, print {"port", ...extra} as the first stdout line, and run
 * `cleanup` once on SIGTERM/SIGINT or when the parent's end of stdin closes. Exits through
 * process.exit so `--cpu-prof` writes its profile.
 */
export function announce(server: Server, extra: object, cleanup: () => void): void {
  const port = (server.address() as AddressInfo).port;
  process.stdout.write(`${JSON.stringify({ port, ...extra })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close(() => {
      cleanup();
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}
