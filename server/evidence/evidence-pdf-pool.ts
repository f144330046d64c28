/**
 * Evidence PDFs drawn off the event loop, in one worker thread started on first use (it keeps the
 * parsed CJK font). Requests queue in the worker; each answer comes back by id. The worker does
 * not keep the process alive, and a crashed worker fails its pending requests and is replaced.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Locale } from '../config.js';
import type { CertificateFontSpec } from '../certification/certificate-pdf.js';
import type { EvidenceLabels, EvidenceRenderer } from './evidence-pdf.js';
import type { EvidenceRecord } from './evidence.types.js';

export interface PdfJob { id: number; record: EvidenceRecord; labels: EvidenceLabels; locale: Locale; timeZone: string }
export type PdfReply = { id: number; pdf: Uint8Array } | { id: number; error: string };

/**
 * Run from TypeScript sources (tsx: `npm start`, the tests), a worker does not inherit tsx's
 * loader: it registers it first, then imports the worker module. Compiled, it is a plain worker.
 */
function startWorker(workerData: unknown): Worker {
  const isSource = import.meta.url.endsWith('.ts');
  const target = new URL(`./evidence-pdf.worker.${isSource ? 'ts' : 'js'}`, import.meta.url).href;
  if (!isSource) return new Worker(new URL(target), { workerData });
  // The ESM build of tsx's register API (its package maps `import` there; the CommonJS build cannot register for ESM).
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export function createPdfWorkerRenderer(font: CertificateFontSpec): EvidenceRenderer & { close(): Promise<void> } {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (pdf: Buffer) => void; reject: (error: Error) => void }>();

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const w = startWorker({ font });
    w.unref();
    w.on('message', (reply: PdfReply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
    });
    w.on('error', (error) => { worker = null; failAll(error); });
    w.on('exit', () => { if (worker === w) worker = null; failAll(new Error('PDF worker stopped')); });
    return w;
  };

  return {
    render(record, labels, locale, timeZone) {
      worker ??= start();
      const id = nextId++;
      return new Promise<Buffer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker!.postMessage({ id, record, labels, locale, timeZone } satisfies PdfJob);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
