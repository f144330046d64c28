// Runs scorm-again 3.4.3 (the runtime the player ships) under Node with default settings plus
// lmsCommitUrl, behind a minimal fake browser: a synchronous XMLHttpRequest and
// navigator.sendBeacon that record exactly what would be POSTed. No dependency is added.

// The bundled typings resolve BaseAPI through an extensionless import that NodeNext cannot follow,
// so the calls used here are described structurally.
export interface Scorm12Api {
  loadFromJSON(json: object): void;
  LMSInitialize(parameter: string): string;
  LMSFinish(parameter: string): string;
  LMSGetValue(element: string): string;
  LMSSetValue(element: string, value: string): string;
  LMSCommit(parameter: string): string;
  LMSGetLastError(): string;
}

export interface Scorm2004Api {
  loadFromJSON(json: object): void;
  Initialize(parameter: string): string;
  Terminate(parameter: string): string;
  GetValue(element: string): string;
  SetValue(element: string, value: string): string;
  Commit(parameter: string): string;
  GetLastError(): string;
}

type ApiConstructor<Api> = new (settings: { lmsCommitUrl: string; logLevel: number }) => Api;

export interface CapturedCommit {
  transport: 'xhr' | 'beacon';
  contentType: string;
  body: string;
}

const COMMIT_URL = 'https://lms.example/commits/launch-token';

// The ESM build exports the classes by name although the bundled typings declare a default export.
async function loadApis(): Promise<{ Scorm12API: ApiConstructor<Scorm12Api>; Scorm2004API: ApiConstructor<Scorm2004Api> }> {
  const scorm12 = (await import('scorm-again/scorm12')) as unknown as { Scorm12API: ApiConstructor<Scorm12Api> };
  const scorm2004 = (await import('scorm-again/scorm2004')) as unknown as { Scorm2004API: ApiConstructor<Scorm2004Api> };
  return { Scorm12API: scorm12.Scorm12API, Scorm2004API: scorm2004.Scorm2004API };
}

/** Preloads launchState, runs the SCO script (which should Initialize and Finish), returns the commits. */
export async function runScorm12(launchState: object, script: (api: Scorm12Api) => void): Promise<CapturedCommit[]> {
  const { Scorm12API } = await loadApis();
  return withFakeBrowser(() => {
    const api = new Scorm12API({ lmsCommitUrl: COMMIT_URL, logLevel: 5 });
    api.loadFromJSON(launchState);
    script(api);
  });
}

export async function runScorm2004(launchState: object, script: (api: Scorm2004Api) => void): Promise<CapturedCommit[]> {
  const { Scorm2004API } = await loadApis();
  return withFakeBrowser(() => {
    const api = new Scorm2004API({ lmsCommitUrl: COMMIT_URL, logLevel: 5 });
    api.loadFromJSON(launchState);
    script(api);
  });
}

async function withFakeBrowser(run: () => void): Promise<CapturedCommit[]> {
  const pending: Array<Promise<CapturedCommit>> = [];
  class RecordingXhr {
    status = 0;
    responseText = '';
    private contentType = '';
    open(): void {}
    setRequestHeader(name: string, value: string): void {
      if (name.toLowerCase() === 'content-type') this.contentType = value;
    }
    send(body: string): void {
      pending.push(Promise.resolve({ transport: 'xhr', contentType: this.contentType, body }));
      this.status = 200;
      this.responseText = '{"result":true,"errorCode":0}';
    }
  }
  const fakeNavigator = {
    onLine: true,
    sendBeacon(_url: string, data: Blob): boolean {
      pending.push(data.text().then((body) => ({ transport: 'beacon', contentType: data.type, body })));
      return true;
    },
  };
  const restoreXhr = replaceGlobal('XMLHttpRequest', RecordingXhr);
  const restoreNavigator = replaceGlobal('navigator', fakeNavigator);
  try {
    run();
  } finally {
    restoreNavigator();
    restoreXhr();
  }
  return Promise.all(pending);
}

function replaceGlobal(name: string, value: unknown): () => void {
  const original = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  return () => {
    if (original) Object.defineProperty(globalThis, name, original);
    else Reflect.deleteProperty(globalThis, name);
  };
}

/** The parsed JSON of the last commit, which is the terminate beacon after LMSFinish / Terminate. */
export function lastCommitBody(commits: CapturedCommit[]): unknown {
  const last = commits[commits.length - 1];
  if (last === undefined) throw new Error('scorm-again sent no commit');
  return JSON.parse(last.body);
}
