/**
 * Realistic commit bodies, produced by scorm-again itself (the runtime the player ships) from the
 * launch state the LMS gave the learner: the full SCORM 2004 data model, every element, "" where
 * unset. The learner has answered a few questions and then moves through the slides, committing
 * on each one with a new location, a few KB of suspend data and a growing session time. The
 * player wraps each body as {...body, seq, terminate}; so do we, with the sequence filled in per
 * request.
 */

// Only the calls used here, as the test harness does (the bundled typings do not resolve under NodeNext).
interface Scorm2004Api {
  loadFromJSON(json: object): void;
  Initialize(parameter: string): string;
  SetValue(element: string, value: string): string;
  Commit(parameter: string): string;
  GetLastError(): string;
}
type HttpService = { processHttpRequest(url: string, params: object, immediate: boolean): { result: string; errorCode: number }; updateSettings(): void };
type Scorm2004Constructor = new (settings: Record<string, unknown>) => Scorm2004Api;

/** A body with its sequence number left open: head + seq + tail is what the player POSTs. */
export interface BodyTemplate { head: string; tail: string }

const QUESTIONS = 4;

/** Suspend data the way authoring tools write it: a JSON blob of progress, a few KB, some Chinese. */
function suspendData(slide: number, slides: number): string {
  const visited = Array.from({ length: slides }, (_, i) => (i < slide ? 1 : 0));
  const notes = Array.from({ length: 24 }, (_, i) => `第${i + 1}节：消费者权益保护要点，已阅读${(i * 7 + slide) % 100}%`);
  const state = { v: 3, slide, visited, answers: { q1: 'b', q2: 'a,c', q3: 'true', q4: 'd' }, notes, checksum: (slide * 2654435761) % 4294967296 };
  return JSON.stringify(state).padEnd(3000, '~');
}

function check(api: Scorm2004Api, result: string, call: string): void {
  if (result !== 'true') throw new Error(`scorm-again refused ${call}: error ${api.GetLastError()}`);
}

/** Runs one scorm-again session over the launch state; returns one body template per slide. */
export async function commitTemplates(launchState: object, slides = 12): Promise<BodyTemplate[]> {
  const { Scorm2004API } = (await import('scorm-again/scorm2004')) as unknown as { Scorm2004API: Scorm2004Constructor };
  const sent: object[] = [];
  const httpService: HttpService = {
    processHttpRequest: (_url, params) => {
      sent.push(params);
      return { result: 'true', errorCode: 0 };
    },
    updateSettings: () => {},
  };
  // The player's own settings (views/assets/player.js), minus the autocommit timer.
  const api = new Scorm2004API({ lmsCommitUrl: 'http://127.0.0.1/commit', autocommit: false, logLevel: 5, dataCommitFormat: 'json', httpService });
  api.loadFromJSON(launchState);
  check(api, api.Initialize(''), 'Initialize');
  const set = (element: string, value: string) => check(api, api.SetValue(element, value), `SetValue(${element})`);

  const responses = [['b', 'a', 'incorrect'], ['a[,]c', 'a[,]c', 'correct'], ['true', 'true', 'correct'], ['d', 'c', 'incorrect']];
  const types = ['choice', 'choice', 'true-false', 'choice'];
  for (let i = 0; i < QUESTIONS; i += 1) {
    set(`cmi.interactions.${i}.id`, `urn:bench:consumer-rights:question-${i + 1}`);
    set(`cmi.interactions.${i}.type`, types[i]);
    set(`cmi.interactions.${i}.objectives.0.id`, 'consumer-rights-basics');
    set(`cmi.interactions.${i}.timestamp`, `2026-06-01T10:0${i}:30`);
    set(`cmi.interactions.${i}.correct_responses.0.pattern`, responses[i][1]);
    set(`cmi.interactions.${i}.weighting`, '1');
    set(`cmi.interactions.${i}.learner_response`, responses[i][0]);
    set(`cmi.interactions.${i}.result`, responses[i][2]);
    set(`cmi.interactions.${i}.latency`, `PT${12 + i * 5}S`);
    set(`cmi.interactions.${i}.description`, `第${i + 1}题：金融消费者享有哪些权利？`);
  }
  set('cmi.score.min', '0');
  set('cmi.score.max', '100');
  set('cmi.score.raw', '50');
  set('cmi.score.scaled', '0.5');
  set('cmi.completion_status', 'incomplete');

  for (let slide = 1; slide <= slides; slide += 1) {
    set('cmi.location', `slide-${slide}`);
    set('cmi.progress_measure', (slide / (slides + 1)).toFixed(2));
    set('cmi.suspend_data', suspendData(slide, slides));
    set('cmi.session_time', `PT${slide}M${(slide * 7) % 60}S`);
    check(api, api.Commit(''), 'Commit');
  }
  if (sent.length !== slides) throw new Error(`scorm-again sent ${sent.length} commits for ${slides} slides`);
  return sent.map((params) => {
    const json = JSON.stringify(params);
    return { head: `${json.slice(0, -1)},"seq":`, tail: ',"terminate":false}' };
  });
}

/** Bodies for one launch: each call the next slide's body with the next sequence number. */
export function bodySequence(templates: BodyTemplate[]): () => string {
  let seq = 0;
  return () => {
    const t = templates[seq % templates.length];
    seq += 1;
    return t.head + seq + t.tail;
  };
}
