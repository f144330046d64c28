// Reads an unpacked package's imsmanifest.xml. The DOM parser's cost grows faster than the text
// (a few hundred items already take tens of milliseconds on a busy server), and the event loop is
// shared with every learner's commit: anything beyond a small manifest is parsed in a worker thread.
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ManifestProblemCode, ProblemList } from './manifest-problems.js';
import { parseManifest, type ParseManifestResult } from './parse-manifest.js';
import { XML_LIMITS } from './safe-xml.js';
import { measureXmlShape } from './xml-shape.js';

export const MANIFEST_LIMITS = {
  /** Real manifests are kilobytes; metadata-heavy ones a few hundred. */
  maxBytes: 8 * 1024 * 1024,
  /** Parsed on the main thread only up to here: a few milliseconds of work. */
  inlineBytes: 64 * 1024,
  inlineElements: 200,
  /** A parse that takes longer is refused and its worker stopped. */
  timeoutMs: 60_000,
  /** An idle worker is stopped after this long (uploads are rare). */
  idleMs: 30_000,
};

const TS_ENTRY = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./parse-manifest.worker.${TS_ENTRY ? 'ts' : 'js'}`, import.meta.url);

type Reply = { id: number; result?: ParseManifestResult; error?: string };

/** One per app: a worker started on demand, reused while uploads come, stopped when idle or closed. */
export class ManifestReader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: ParseManifestResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly limits = MANIFEST_LIMITS) {}

  async read(file: string): Promise<ParseManifestResult> {
    const { size } = await fs.stat(file);
    if (size > this.limits.maxBytes) return refused(`imsmanifest.xml is ${size} bytes; at most ${this.limits.maxBytes} are read`);
    if (size <= this.limits.inlineBytes) {
      const xml = await fs.readFile(file, 'utf8');
      const shape = measureXmlShape(xml, { ...XML_LIMITS, maxElements: this.limits.inlineElements });
      if (shape.ok) return parseManifest(xml);
    }
    try {
      return await this.inWorker(file);
    } catch (error) {
      return refused(`imsmanifest.xml could not be read within the limits (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  close(): void {
    this.stop(new Error('the server is closing'));
  }

  private inWorker(file: string): Promise<ParseManifestResult> {
    const worker = this.worker ?? this.start();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.stop(new Error(`took longer than ${this.limits.timeoutMs / 1000} s`)), this.limits.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, file });
    });
  }

  private start(): Worker {
    const options = { resourceLimits: { maxOldGenerationSizeMb: 512, stackSizeMb: 8 } };
    // Run from TypeScript sources (tsx), the worker registers the same loader before importing its entry.
    const worker = TS_ENTRY
      ? new Worker(`import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY.href)}); })`,
        { ...options, eval: true, execArgv: [] })
      : new Worker(ENTRY, options);
    worker.unref();
    worker.on('message', ({ id, result, error }: Reply) => {
      const waiting = this.pending.get(id);
      if (!waiting) return;
      this.pending.delete(id);
      clearTimeout(waiting.timer);
      if (result) waiting.resolve(result);
      else waiting.reject(new Error(error ?? 'no answer'));
      if (this.pending.size === 0) this.idleTimer = setTimeout(() => this.stop(new Error('idle')), this.limits.idleMs).unref();
    });
    // A stopped worker's own exit must not stop its successor.
    worker.on('error', (error) => { if (this.worker === worker) this.stop(error); });
    worker.on('exit', (code) => { if (this.worker === worker) this.stop(new Error(`the reader stopped (exit ${code})`)); });
    this.worker = worker;
    return worker;
  }

  /** Stops the worker; whatever was waiting for it is refused with `reason`. */
  private stop(reason: Error): void {
    const worker = this.worker;
    this.worker = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(reason);
    }
    this.pending.clear();
    if (worker) void worker.terminate();
  }
}

function refused(message: string): ParseManifestResult {
  const problems = new ProblemList();
  problems.error(ManifestProblemCode.TOO_LARGE, message);
  return { manifest: null, problems: problems.problems };
}

/** tsx's loader API, found from here (an eval'd worker has no module of its own to resolve from). */
function tsxApi(): string {
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
}
