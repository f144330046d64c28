import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import type { LmsOptions } from '../../server/config.js';
import { newCertificateSerial } from '../../server/certification/serial.js';
import { buildTestApp, createBranch, createUser, csrfFrom, signIn, type TestContext } from '../helpers/test-app.js';
import { publishCourse, sample } from '../helpers/launch.js';

export const HOLDER_NAME = '欧阳娜娜';
export const COURSE_TITLE = '金融消费者权益保护（2026年度）';
export const PUBLIC_URL = 'https://lms.example.cn/training';

export interface CertificateWorld {
  ctx: TestContext; serial: string; holderId: number; holderEmployeeNo: string; courseId: number;
  issuedAt: string; expiresAt: string; score: number;
}

/**
 * A real organisation (head office HO with branches GZ and SZ), a published course retitled in
 * Chinese, and one certificate issued to an employee of GZ through the repository.
 */
export async function certificateWorld(options: Partial<LmsOptions> = {}): Promise<CertificateWorld> {
  const ctx = buildTestApp({ publicUrl: PUBLIC_URL, ...options });
  await createBranch(ctx.app, 'HO', null, '总行');
  await createBranch(ctx.app, 'GZ', 'HO', '广州分行');
  await createBranch(ctx.app, 'SZ', 'HO', '深圳分行');
  await createUser(ctx.app, { username: 'tr', roles: ['trainer'], branch: 'HO' });
  await createUser(ctx.app, { username: 'admin', roles: ['admin'], branch: 'HO' });
  await createUser(ctx.app, { username: 'colleague', roles: ['employee'], branch: 'GZ' });
  await createUser(ctx.app, { username: 'hrgz', roles: [{ role: 'hr', scope: 'GZ' }], branch: 'GZ' });
  await createUser(ctx.app, { username: 'hrho', roles: [{ role: 'hr', scope: 'HO' }], branch: 'HO' });
  await createUser(ctx.app, { username: 'hrsz', roles: [{ role: 'hr', scope: 'SZ' }], branch: 'SZ' });
  const holder = await createUser(ctx.app, { username: 'holder', roles: ['employee'], branch: 'GZ', name: HOLDER_NAME });

  await publishCourse(ctx.app, 'tr', 'CP12', sample('golf-RuntimeBasicCalls-SCORM12.zip'));
  const trainer = (await signIn(ctx.app, 'tr')).agent;
  const token = csrfFrom((await trainer.get('/trainer').expect(200)).text);
  await trainer.patch('/api/courses/CP12').set('X-CSRF-Token', token).send({ title: COURSE_TITLE }).expect(200);
  const course = (await ctx.app.lms.repositories.courses.findByCode('CP12'))!;

  // 2026-06-01T02:00Z is 10:00 on 2026-06-01 in Shanghai; valid through the end of 2027-05-31 there.
  const world = { serial: newCertificateSerial(), issuedAt: ctx.clock.now().toISOString(), expiresAt: '2027-05-31', score: 87.5 };
  await ctx.app.lms.repositories.certification.issueCertificate({
    serial: world.serial, userId: holder.id, courseId: course.id, attemptId: null, score: world.score, issuedAt: world.issuedAt, expiresAt: world.expiresAt,
  });
  return { ctx, ...world, holderId: holder.id, holderEmployeeNo: holder.employeeNo!, courseId: course.id };
}

function withTempDir<T>(work: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-pdf-'));
  try {
    return work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The PDF's text as poppler's pdftotext extracts it (what a reader's search and copy would see). */
export function pdfText(pdf: Buffer): string {
  return withTempDir((dir) => {
    fs.writeFileSync(path.join(dir, 'c.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
  });
}

interface Bitmap { width: number; height: number; isDark(x: number, y: number): boolean }

/** The PDF's embedded colour images, as written by poppler's pdfimages (binary PPM). */
export function pdfImages(pdf: Buffer): Bitmap[] {
  return withTempDir((dir) => {
    fs.writeFileSync(path.join(dir, 'c.pdf'), pdf);
    execFileSync('pdfimages', [path.join(dir, 'c.pdf'), path.join(dir, 'img')]);
    return fs.readdirSync(dir).filter((f) => f.endsWith('.ppm')).sort().map((f) => readPpm(fs.readFileSync(path.join(dir, f))));
  });
}

function readPpm(data: Buffer): Bitmap {
  // P6 <width> <height> <maxval> then RGB bytes; the header's fields are separated by whitespace.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PPM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = data.subarray(header[0].length);
  return { width, height, isDark: (x, y) => pixels[(y * width + x) * 3] < 128 };
}

/**
 * Reads a QR symbol off a bitmap by comparing it, module by module, with the symbol the qrcode
 * package makes for `text` at each error-correction level: equal means any reader gets `text`.
 */
export function qrEncodes(image: Bitmap, text: string): boolean {
  let [left, top, right, bottom] = [image.width, image.height, -1, -1];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (!image.isDark(x, y)) continue;
      left = Math.min(left, x); right = Math.max(right, x); top = Math.min(top, y); bottom = Math.max(bottom, y);
    }
  }
  if (right < 0) return false;
  for (const level of ['L', 'M', 'Q', 'H'] as const) {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: level });
    const px = (right - left + 1) / modules.size;
    if (!Number.isInteger(px) || (bottom - top + 1) / modules.size !== px) continue;
    let same = true;
    for (let row = 0; row < modules.size && same; row++) {
      for (let col = 0; col < modules.size && same; col++) {
        const dark = image.isDark(left + col * px + Math.floor(px / 2), top + row * px + Math.floor(px / 2));
        same = dark === Boolean(modules.get(row, col));
      }
    }
    if (same) return true;
  }
  return false;
}
