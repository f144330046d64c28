import { expect } from 'chai';
import assert from 'node:assert/strict';
import { findCertificateFont, parseFontSpec, SYSTEM_CJK_FONTS } from '../../server/certification/certificate-pdf.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLms } from '../../server/app.js';
import { silentLogger } from '../../server/logger.js';

describe('certificate font', () => {
  it('reads file#Face, and picks the Simplified Chinese face of a Noto CJK collection by itself', () => {
    expect(parseFontSpec('/f/NotoSansCJK-Regular.ttc')).to.deep.equal({ file: '/f/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' });
    expect(parseFontSpec('/f/NotoSerifCJK-Bold.ttc')).to.deep.equal({ file: '/f/NotoSerifCJK-Bold.ttc', face: 'NotoSerifCJKsc-Bold' });
    expect(parseFontSpec('/f/NotoSansCJK-Regular.ttc#NotoSansCJKtc-Regular')).to.deep.equal({ file: '/f/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKtc-Regular' });
    expect(parseFontSpec('/f/SourceHanSansSC-Regular.otf')).to.deep.equal({ file: '/f/SourceHanSansSC-Regular.otf', face: null });
  });

  it('asks for the face of any other collection', () => {
    assert.throws(() => parseFontSpec('/f/simsun.ttc'), /name the face as \/f\/simsun\.ttc#/);
  });

  it('prefers the configured font and stops on a missing one', () => {
    expect(findCertificateFont('/opt/fonts/a.otf', (f) => f === '/opt/fonts/a.otf')).to.deep.equal({ file: '/opt/fonts/a.otf', face: null });
    assert.throws(() => findCertificateFont('/opt/fonts/missing.otf', () => false), /pdfFont \(LMS_PDF_FONT\): no font file at \/opt\/fonts\/missing\.otf/);
  });

  it('otherwise takes the first system CJK font present, or none', () => {
    const second = parseFontSpec(SYSTEM_CJK_FONTS[1]);
    expect(findCertificateFont(null, (f) => f === second.file)).to.deep.equal(second);
    expect(findCertificateFont(null, () => false)).to.equal(null);
  });

  it('a configured font that is not there stops createLms with the reason', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-font-'));
    try {
      assert.throws(() => createLms({ dataDir, sessionSecret: 'test-secret-0123456789', logger: silentLogger(), pdfFont: '/nowhere/font.ttf' }),
        /no font file at \/nowhere\/font\.ttf/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
