/**
 * The certificate as a PDF (A4 landscape, one page): who, which course, score, dates, serial and a
 * QR code to the public verification page. No Express, no database: the caller passes translated
 * labels and already formatted local dates.
 *
 * Chinese needs an embedded font with CJK glyphs (PDF's standard fonts have none). The system's
 * Noto CJK collection is used unless `pdfFont` names another file; the font is read on the first
 * certificate and kept for the app's lifetime (pdfkit embeds only the glyphs a page uses).
 */
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Locale } from '../config.js';

/** A font file and, for a .ttc/.otc collection, the PostScript name of the face to use. */
export interface CertificateFontSpec { file: string; face: string | null }

/** Where Debian/Ubuntu (fonts-noto-cjk), Fedora and Arch put Noto CJK, then WenQuanYi. */
export const SYSTEM_CJK_FONTS: readonly string[] = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#WenQuanYiZenHei',
];

const COLLECTION = /\.(ttc|otc)$/i;

/**
 * 'file' or 'file#Face'. A Noto CJK collection without a face gets its Simplified Chinese face
 * (NotoSansCJK-Regular.ttc → NotoSansCJKsc-Regular); any other collection must name one.
 */
export function parseFontSpec(value: string): CertificateFontSpec {
  const hash = value.lastIndexOf('#');
  const file = hash > 0 ? value.slice(0, hash) : value;
  const named = hash > 0 ? value.slice(hash + 1).trim() || null : null;
  if (!COLLECTION.test(file)) return { file, face: named };
  const noto = /^(Noto(?:Sans|Serif)CJK)-(\w+)\.(?:ttc|otc)$/i.exec(path.basename(file));
  const face = named ?? (noto ? `${noto[1]}sc-${noto[2]}` : null);
  if (!face) throw new Error(`pdfFont: ${file} is a font collection; name the face as ${file}#<PostScriptName>`);
  return { file, face };
}

/**
 * The font certificates use: the configured one (a missing file stops startup, since someone
 * asked for it), else the first system CJK font present, else null (the caller says so in the log).
 */
export function findCertificateFont(configured: string | null, exists: (file: string) => boolean = fs.existsSync): CertificateFontSpec | null {
  if (configured) {
    const spec = parseFontSpec(configured);
    if (!exists(spec.file)) throw new Error(`pdfFont (LMS_PDF_FONT): no font file at ${spec.file}`);
    return spec;
  }
  for (const candidate of SYSTEM_CJK_FONTS) {
    const spec = parseFontSpec(candidate);
    if (exists(spec.file)) return spec;
  }
  return null;
}

export interface CertificateLabels {
  title: string; intro: string; name: string; employeeNo: string; branch: string; course: string; score: string;
  issuedOn: string; validUntil: string; serial: string; scanToVerify: string;
}

export interface CertificateContent {
  locale: Locale;
  /** The issuing organisation, printed at the top. */
  issuer: string;
  serial: string; holderName: string; employeeNo: string | null; branchName: string | null; courseTitle: string;
  /** 0–100, or null when the course had no score. */
  score: number | null;
  /** Local dates 'YYYY-MM-DD' in the configured zone. */
  issuedOn: string; validUntil: string;
  /** Absolute `<publicUrl>/verify/<serial>`: encoded in the QR code and printed under it. */
  verifyUrl: string;
}

export interface CertificateRenderer { render(content: CertificateContent, labels: CertificateLabels): Promise<Buffer> }

// A4 landscape in points.
const PAGE = { width: 841.89, height: 595.28 };
const INK = '#1f2933';
const MUTED = '#52606d';
const ACCENT = '#8a1c1c';
const QR_SIZE = 150;
// 'M' survives a crease or a smudge on a printed page without making the code dense.
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2, scale: 6 } as const;
const FONT = 'certificate-cjk';

/** pdfkit's parsed (fontkit) font: parsing a 20 MB CJK collection costs more than drawing the page. */
export type ParsedFont = { layout: (...args: never[]) => unknown; hasGlyphForCodePoint?: (codePoint: number) => boolean };

export function createCertificateRenderer(font: CertificateFontSpec): CertificateRenderer {
  let fontData: Promise<Buffer> | null = null;
  let parsed: ParsedFont | null = null;
  const loadFont = async (): Promise<Buffer | ParsedFont> => parsed ?? (fontData ??= fs.promises.readFile(font.file).catch((error: unknown) => {
    fontData = null; // a file fixed on disk works on the next request
    throw error;
  }));

  return {
    async render(content, labels) {
      const [source, qr] = await Promise.all([loadFont(), QRCode.toBuffer(content.verifyUrl, QR_OPTIONS)]);
      const doc = new PDFDocument({
        size: 'A4', layout: 'landscape', margin: 0, lang: content.locale, displayTitle: true,
        info: { Title: `${labels.title} ${content.serial}`, Author: content.issuer, Subject: content.courseTitle },
      });
      const chunks: Buffer[] = [];
      const finished = new Promise<Buffer>((resolve, reject) => {
        doc.on('data', (chunk: Buffer) => chunks.push(chunk));
        doc.on('end', () => resolve(Buffer.concat(chunks)));
        doc.on('error', reject);
      });
      // pdfkit also takes an already parsed font (anything with layout()); each document subsets its own copy.
      doc.registerFont(FONT, source as Buffer, font.face ?? undefined);
      doc.font(FONT);
      if (!parsed) {
        const current = currentFont(doc);
        if (current?.hasGlyphForCodePoint && !current.hasGlyphForCodePoint(0x8bc1 /* 证 */)) {
          throw new Error(`pdfFont: ${font.file}${font.face ? `#${font.face}` : ''} has no Chinese glyphs; use a CJK font such as Noto Sans CJK`);
        }
        parsed = current;
        fontData = null;
      }
      drawCertificate(doc, content, labels, qr);
      doc.end();
      return finished;
    },
  };
}

/** The fontkit font behind pdfkit's current font (an untyped pdfkit internal). */
export function currentFont(doc: PDFKit.PDFDocument): ParsedFont | null {
  const font = (doc as unknown as { _font?: { font?: ParsedFont } })._font?.font;
  return font && typeof font.layout === 'function' ? font : null;
}

function drawCertificate(doc: PDFKit.PDFDocument, content: CertificateContent, labels: CertificateLabels, qr: Buffer): void {
  doc.lineWidth(3).strokeColor(ACCENT).rect(24, 24, PAGE.width - 48, PAGE.height - 48).stroke();
  doc.lineWidth(0.8).rect(32, 32, PAGE.width - 64, PAGE.height - 64).stroke();

  const inner = { x: 72, width: PAGE.width - 144 };
  doc.fillColor(MUTED).fontSize(15).text(content.issuer, inner.x, 62, { width: inner.width, align: 'center' });
  doc.fillColor(ACCENT).fontSize(34).text(labels.title, inner.x, 90, { width: inner.width, align: 'center' });
  doc.fillColor(INK).fontSize(13).text(labels.intro, inner.x, 148, { width: inner.width, align: 'center' });

  const rows: Array<[string, string]> = [
    [labels.name, content.holderName],
    [labels.employeeNo, content.employeeNo ?? '—'],
    [labels.branch, content.branchName ?? '—'],
    [labels.course, content.courseTitle],
    [labels.score, content.score === null ? '—' : formatScore(content.score)],
    [labels.issuedOn, content.issuedOn],
    [labels.validUntil, content.validUntil],
    [labels.serial, content.serial],
  ];
  const table = { x: 96, labelWidth: 130, valueWidth: 370 };
  let y = 196;
  for (const [label, value] of rows) {
    doc.fillColor(MUTED).fontSize(12).text(label, table.x, y + 3, { width: table.labelWidth });
    doc.fillColor(INK).fontSize(15).text(value, table.x + table.labelWidth, y, { width: table.valueWidth });
    y += Math.max(30, doc.heightOfString(value, { width: table.valueWidth }) + 10);
  }

  const qrBox = { x: PAGE.width - 96 - QR_SIZE, y: 206 };
  doc.image(qr, qrBox.x, qrBox.y, { width: QR_SIZE, height: QR_SIZE });
  // Under the code, centred on it: what it is for, then the URL itself on one line (a reader
  // without a camera types it), in smaller type when long.
  const under = { x: qrBox.x + QR_SIZE / 2 - 135, width: 270 };
  let y2 = qrBox.y + QR_SIZE + 8;
  doc.fillColor(MUTED).fontSize(9).text(labels.scanToVerify, under.x, y2, { width: under.width, align: 'center' });
  y2 += doc.heightOfString(labels.scanToVerify, { width: under.width }) + 4;
  let size = 8;
  while (size > 5 && doc.fontSize(size).widthOfString(content.verifyUrl) > under.width) size -= 0.5;
  doc.fillColor(INK).fontSize(size).text(content.verifyUrl, under.x, y2, { width: under.width, align: 'center' });
}

/** 85 → '85', 87.5 → '87.5': scores are kept to one decimal. */
function formatScore(score: number): string {
  return String(Math.round(score * 10) / 10);
}
