/**
 * A small closed-loop HTTP load generator: one keep-alive connection per plan, each sending its
 * next request as soon as the previous answer arrives, for a warm-up and then a fixed measured
 * window. Only requests started inside the window count, so the figures are not inflated by the
 * warm-up or cut short by the stop.
 */
import http from 'node:http';

/** One connection's work: where it posts and what it sends next. */
export interface ConnectionPlan {
  path: string;
  /** POST unless given (bench:exam saves answers with PUT). */
  method?: string;
  /** The next request's path, when it changes per request; `path` otherwise. */
  nextPath?(): string;
  headers: Record<string, string>;
  /** The next request body (called once per request, so it can carry an increasing sequence). */
  nextBody(): string;
}

export interface LoadOptions {
  port: number;
  plans: ConnectionPlan[];
  warmupMs: number;
  durationMs: number;
  /** Whether an answer counts as success; the default wants a 2xx status. */
  isSuccess?: (status: number, body: string) => boolean;
  /** The server's cumulative CPU time in ms, read when the window opens and closes. */
  serverCpuMs?: () => number | null;
}

export interface LoadResult {
  connections: number;
  requests: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Server CPU time per successful request in the window, when the server's CPU time is known. */
  serverCpuMsPerRequest: number | null;
}

interface Answer { status: number; body: string }

function post(agent: http.Agent, port: number, plan: ConnectionPlan): Promise<Answer> {
  const body = plan.nextBody();
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method: plan.method ?? 'POST', path: plan.nextPath ? plan.nextPath() : plan.path, agent,
      headers: { ...plan.headers, 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The value at quantile q (0..1) of ascending sorted samples, nearest-rank. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const isSuccess = options.isSuccess ?? ((status) => status >= 200 && status < 300);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.plans.length });
  const started = performance.now();
  const measureFrom = started + options.warmupMs;
  const stopAt = measureFrom + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;

  let cpuAtStart: number | null = null;
  const cpuTimer = setTimeout(() => { cpuAtStart = options.serverCpuMs?.() ?? null; }, options.warmupMs);
  const noteError = (text: string) => {
    errors += 1;
    firstError ??= text;
  };

  const loop = async (plan: ConnectionPlan) => {
    for (let sentAt = performance.now(); sentAt < stopAt; sentAt = performance.now()) {
      const counted = sentAt >= measureFrom;
      try {
        const answer = await post(agent, options.port, plan);
        if (!counted) continue;
        if (isSuccess(answer.status, answer.body)) latencies.push(performance.now() - sentAt);
        else noteError(`HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
      } catch (error) {
        if (counted) noteError(String(error));
      }
    }
  };

  await Promise.all(options.plans.map(loop));
  // The window ends when the last request started inside it has been answered.
  const seconds = (Math.max(performance.now(), stopAt) - measureFrom) / 1000;
  const cpuAtEnd = options.serverCpuMs?.() ?? null;
  clearTimeout(cpuTimer);
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    connections: options.plans.length,
    requests: latencies.length,
    errors,
    firstError,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    latencyMs: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1] : Number.NaN },
    serverCpuMsPerRequest: cpuAtStart !== null && cpuAtEnd !== null && latencies.length ? (cpuAtEnd - cpuAtStart) / latencies.length : null,
  };
}
