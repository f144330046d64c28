/**
 * Starts a worker thread from a module next to the caller. Run from TypeScript sources (tsx:
 * `npm start`, the tests), a worker does not inherit tsx's loader: it registers it first, then
 * imports the worker module. Compiled, it is a plain worker.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** `base` is the caller's import.meta.url; `name` the worker module without extension. */
export function startWorker(base: string, name: string, workerData: unknown): Worker {
  const isSource = base.endsWith('.ts');
  const target = new URL(`./${name}.${isSource ? 'ts' : 'js'}`, base).href;
  if (!isSource) return new Worker(new URL(target), { workerData });
  // The ESM build of tsx's register API (its package maps `import` there; the CommonJS build cannot register for ESM).
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
