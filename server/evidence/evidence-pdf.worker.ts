/**
 * Worker thread that draws evidence PDFs: laying out a few pages of CJK text and subsetting the
 * font takes hundreds of milliseconds, which must not hold the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEvidenceRenderer } from './evidence-pdf.js';
import type { PdfJob, PdfReply } from './evidence-pdf-pool.js';

const renderer = createEvidenceRenderer((workerData as { font: Parameters<typeof createEvidenceRenderer>[0] }).font);

parentPort!.on('message', (job: PdfJob) => {
  renderer.render(job.record, job.labels, job.locale, job.timeZone).then(
    (pdf) => {
      const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      parentPort!.postMessage({ id: job.id, pdf: bytes } satisfies PdfReply);
    },
    (error: unknown) => parentPort!.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) } satisfies PdfReply),
  );
});
