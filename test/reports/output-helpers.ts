import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

/** A destination that keeps everything written to it; `bytes` resolves once it has ended. */
export function collectOutput(): { out: PassThrough; bytes: Promise<Buffer> } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    out.on('end', () => resolve(Buffer.concat(chunks)));
    out.on('error', reject);
  });
  return { out, bytes };
}

/** Reads an XLSX file back with ExcelJS's ordinary (non-streaming) reader. */
export async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // ExcelJS types its input as its own Buffer interface; a Node Buffer is what it reads.
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return workbook;
}
