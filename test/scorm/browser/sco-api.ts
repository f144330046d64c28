// Talks to the SCORM API from inside a SCO's frame, exactly as content does: `window.parent.API`
// (1.2) or `window.parent.API_1484_11` (2004). Expressions are sent as text because the
// TypeScript loader decorates serialised functions with helpers the page does not have.
import type { Frame } from 'playwright-core';

export interface ScoApi {
  call(method: string, ...args: string[]): Promise<string>;
  get(element: string): Promise<string>;
  /** Sets each value and fails on the first the runtime refuses. */
  set(values: Record<string, string>): Promise<void>;
  initialize(): Promise<string>;
  commit(): Promise<string>;
  finish(): Promise<string>;
}

export function scoApi(frame: Frame, version: '1.2' | '2004'): ScoApi {
  const is12 = version === '1.2';
  const api = is12 ? 'window.parent.API' : 'window.parent.API_1484_11';
  const name = (m12: string, m2004: string) => (is12 ? m12 : m2004);
  const call = (method: string, ...args: string[]) => frame.evaluate(`String(${api}.${method}(${args.map((a) => JSON.stringify(a)).join(', ')}))`) as Promise<string>;
  return {
    call,
    get: (element) => call(name('LMSGetValue', 'GetValue'), element),
    set: async (values) => {
      for (const [element, value] of Object.entries(values)) {
        const result = await call(name('LMSSetValue', 'SetValue'), element, value);
        if (result !== 'true') throw new Error(`SetValue(${element}, ${value}) answered ${result}, error ${await call(name('LMSGetLastError', 'GetLastError'))}`);
      }
    },
    initialize: () => call(name('LMSInitialize', 'Initialize'), ''),
    commit: () => call(name('LMSCommit', 'Commit'), ''),
    finish: () => call(name('LMSFinish', 'Terminate'), ''),
  };
}
