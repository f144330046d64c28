/**
 * The real standalone server (server/main.ts) as a child process on a data folder of our
 * choosing, that can be killed with SIGKILL and started again on the same port. Its output is
 * kept (the last lines) so a failure can say what the server said.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.js';

export const SESSION_SECRET = 'crash-suite-session-secret-0123456789';

/** A port free right now on loopback (the server is started on it again after each kill). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class CrashServer {
  private child: ChildProcess | null = null;
  private readonly output: string[] = [];
  /** Set when the server died without being killed by us. */
  unexpectedExit: string | null = null;

  constructor(readonly port: number, private dataDir: string) {}

  get origin(): string { return `http://127.0.0.1:${this.port}`; }

  /** The last lines the server printed (stdout and stderr). */
  tail(lines = 30): string { return this.output.slice(-lines).join('\n'); }

  /** Moves the server to another data folder (takes effect at the next start). */
  useDataDir(dataDir: string): void { this.dataDir = dataDir; }

  /** A start costs 5–40 s on a loaded 2-core machine (tsx loading the server), hence the generous wait. */
  async start(timeoutMs = 180_000): Promise<void> {
    if (this.child) throw new Error('the server is already running');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server/main.ts')], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env, PORT: String(this.port), LMS_DATA_DIR: this.dataDir, LMS_DEMO: '0', LMS_SESSION_SECRET: SESSION_SECRET,
        LMS_CONTENT_SAME_ORIGIN: '1', LMS_LOG_LEVEL: process.env.CRASH_LOG_LEVEL ?? 'warn', LMS_NOTIFY_HOUR: '3',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.output.push(line.slice(0, 2000));
      if (this.output.length > 500) this.output.splice(0, this.output.length - 500);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', (code, signal) => {
      if (this.child === child) {
        this.child = null;
        this.unexpectedExit = `the server exited by itself (code ${code}, signal ${signal}):\n${this.tail()}`;
      }
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child !== child) throw new Error(this.unexpectedExit ?? 'the server stopped while starting');
      try {
        const res = await fetch(`${this.origin}/healthz`);
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        const stat = (() => { try { return fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.slice(0, 80); } catch { return 'gone'; } })();
        throw new Error(`the server (pid ${child.pid}, /proc stat: ${stat}) did not answer /healthz within ${timeoutMs} ms:\n${this.tail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: no shutdown code runs, as when the power goes or the OOM killer strikes. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
