/**
 * Learners committing as fast as the server answers, each on its own keep-alive connection, and
 * the ledger of what the server acknowledged. Commit n of a learner sets cmi.location to "c<n>"
 * (with suspend data carrying n and some padding) and seq n, so the stored location of a learner
 * must be at least the last n answered {"result":true}. While the server is down a learner
 * retries every 200 ms; an answer lost with the connection counts as neither.
 */
import http from 'node:http';
import { BrowserSession } from '../../bench/shared/browser-session.js';

export interface LearnerLaunch { username: string; commitPath: string; cookie: string }

export interface Ledger {
  /** Highest n answered with {"result":true}, per learner. */
  acked: Map<string, number>;
  acknowledged: number;
  /** Answers other than {"result":true}: "HTTP 503 STORAGE_FULL", "result false 301", … with counts. */
  refusals: Map<string, number>;
  /** Requests whose answer never came (connection refused, reset by the kill). */
  unanswered: number;
}

/** Signs a learner in through the login form and opens the course's player for its commit URL. */
export async function launchLearner(origin: string, username: string, password: string, code: string): Promise<LearnerLaunch> {
  const session = new BrowserSession(origin);
  await session.signIn(username, password);
  const page = await session.page(`/learn/${code}`);
  const json = /<script type="application\/json" id="launch-config">([\s\S]*?)<\/script>/.exec(page)?.[1];
  if (!json) throw new Error(`/learn/${code} for ${username} has no launch configuration`);
  const { commitUrl } = JSON.parse(json) as { commitUrl: string };
  return { username, commitPath: new URL(commitUrl, origin).pathname, cookie: session.cookieHeader };
}

const PADDING = '进度'.repeat(200) + '~'.repeat(1200);

export function commitBody(n: number): string {
  return JSON.stringify({ cmi: { location: `c${n}`, suspend_data: `${n}|${PADDING}`, completion_status: 'incomplete' }, seq: n, terminate: false });
}

/** The n a stored location stands for ("c<n>"), or 0. */
export function counterOf(location: string | null): number {
  const match = /^c(\d+)$/.exec(location ?? '');
  return match ? Number(match[1]) : 0;
}

interface Answer { status: number; body: string }

function post(agent: http.Agent, port: number, launch: LearnerLaunch, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: launch.commitPath, agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Cookie: launch.cookie },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** What an answer that is not a success says, for the ledger. */
function refusalOf(answer: Answer): string {
  try {
    const json = JSON.parse(answer.body) as { result?: boolean; errorCode?: number; error?: { code?: string } };
    if (answer.status === 200) return `result ${json.result} ${json.errorCode}`;
    return `HTTP ${answer.status} ${json.error?.code ?? '?'}`;
  } catch {
    return `HTTP ${answer.status} (not JSON)`;
  }
}

export interface LearnerCrowd {
  ledger: Ledger;
  /** Stops every learner after its current request; resolves when all have stopped. */
  stop(): Promise<void>;
}

export function startLearners(port: number, launches: LearnerLaunch[], ledger: Ledger, startAt: Map<string, number>): LearnerCrowd {
  let stopping = false;
  const loops = launches.map(async (launch) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let n = startAt.get(launch.username) ?? 0;
    while (!stopping) {
      n += 1;
      try {
        const answer = await post(agent, port, launch, commitBody(n));
        let ok = false;
        if (answer.status === 200) {
          try { ok = (JSON.parse(answer.body) as { result?: unknown }).result === true; } catch { ok = false; }
        }
        if (ok) {
          ledger.acknowledged += 1;
          ledger.acked.set(launch.username, Math.max(n, ledger.acked.get(launch.username) ?? 0));
        } else {
          const what = refusalOf(answer);
          ledger.refusals.set(what, (ledger.refusals.get(what) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } catch {
        ledger.unanswered += 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    startAt.set(launch.username, n);
    agent.destroy();
  });
  return { ledger, stop: async () => { stopping = true; await Promise.all(loops); } };
}

export function emptyLedger(): Ledger {
  return { acked: new Map(), acknowledged: 0, refusals: new Map(), unanswered: 0 };
}
