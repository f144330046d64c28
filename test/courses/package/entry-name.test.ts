import { expect } from 'chai';
import iconv from 'iconv-lite';
import { checkEntryPath, decodeEntryName, displayName, isJunkEntry } from '../../../server/courses/package/entry-name.js';
import { unicodePathExtraField } from '../../helpers/zip-builder.js';

const UTF8_FLAG = 0x800;

function decodedName(raw: Buffer, flags = 0, extra: Array<{ id: number; data: Buffer }> = []): string {
  const decoded = decodeEntryName(raw, flags, extra);
  if (!decoded.ok) throw new Error(`expected a name, got ${decoded.problem.code}`);
  return decoded.name;
}

function problemCode(name: string): string | undefined {
  const checked = checkEntryPath(name);
  return checked.ok ? undefined : checked.problem.code;
}

describe('courses/package entry names', () => {
  describe('decodeEntryName', () => {
    it('reads ASCII with or without the UTF-8 flag', () => {
      expect(decodedName(Buffer.from('shared/launchpage.html'))).to.equal('shared/launchpage.html');
      expect(decodedName(Buffer.from('shared/launchpage.html'), UTF8_FLAG)).to.equal('shared/launchpage.html');
    });

    it('reads GBK names without the flag', () => {
      for (const name of ['课程/第一课.html', '消费者权益保护/测验.html', '资料/银行.pdf']) {
        expect(decodedName(iconv.encode(name, 'gbk'))).to.equal(name);
      }
    });

    it('reads UTF-8 names with and without the flag', () => {
      expect(decodedName(Buffer.from('课程/第一课.html'), UTF8_FLAG)).to.equal('课程/第一课.html');
      expect(decodedName(Buffer.from('课程/第一课.html'))).to.equal('课程/第一课.html');
    });

    it('refuses bytes that the UTF-8 flag promises but are not UTF-8', () => {
      const decoded = decodeEntryName(iconv.encode('课程.html', 'gbk'), UTF8_FLAG, []);
      expect(decoded.ok).to.equal(false);
      if (!decoded.ok) expect(decoded.problem.code).to.equal('ZIP_NAME_ENCODING');
    });

    it('uses the Unicode Path extra field only when its checksum matches the raw name', () => {
      const raw = iconv.encode('第三课.html', 'gbk');
      expect(decodedName(raw, 0, [unicodePathExtraField(raw, 'from-extra.html')])).to.equal('from-extra.html');
      expect(decodedName(raw, 0, [unicodePathExtraField(Buffer.from('other'), 'from-extra.html')])).to.equal('第三课.html');
    });
  });

  describe('checkEntryPath', () => {
    const cases: Array<[string, string | undefined]> = [
      ['index.html', undefined],
      ['shared/launchpage.html', undefined],
      ['folder/', undefined],
      ['./index.html', undefined],
      ['a..b/c...html', undefined],
      ['', 'ZIP_EMPTY_NAME'],
      ['.', 'ZIP_EMPTY_NAME'],
      ['a\u0000b', 'ZIP_INVALID_CHARACTER'],
      ['a\nb', 'ZIP_INVALID_CHARACTER'],
      ['C:\\x', 'ZIP_DRIVE_LETTER_PATH'],
      ['c:x', 'ZIP_DRIVE_LETTER_PATH'],
      ['/etc/x', 'ZIP_ABSOLUTE_PATH'],
      ['\\x', 'ZIP_ABSOLUTE_PATH'],
      ['../x', 'ZIP_PATH_TRAVERSAL'],
      ['a/../../x', 'ZIP_PATH_TRAVERSAL'],
      ['a/..', 'ZIP_PATH_TRAVERSAL'],
      ['a\\..\\..\\x', 'ZIP_PATH_TRAVERSAL'],
      ['a\\b', 'ZIP_BACKSLASH_PATH'],
      [`${'x'.repeat(256)}`, 'ZIP_NAME_TOO_LONG'],
      [`${'课'.repeat(86)}`, 'ZIP_NAME_TOO_LONG'], // 258 bytes in UTF-8
    ];
    for (const [name, code] of cases) {
      it(`${JSON.stringify(name.length > 40 ? `${name.slice(0, 12)}…(${name.length} chars)` : name)} → ${code ?? 'accepted'}`, () => {
        expect(problemCode(name)).to.equal(code);
      });
    }

    it('normalises "." and empty segments and tells folders from files', () => {
      expect(checkEntryPath('./a//b/')).to.deep.equal({ ok: true, segments: ['a', 'b'], isDirectoryName: true });
      expect(checkEntryPath('a/b.html')).to.deep.equal({ ok: true, segments: ['a', 'b.html'], isDirectoryName: false });
    });

    it('reports the name with control characters made visible', () => {
      const checked = checkEntryPath('a\u0000b');
      expect(checked.ok ? null : checked.problem.path).to.equal('a\\u0000b');
      expect(displayName('tab\there')).to.equal('tab\\u0009here');
    });
  });

  describe('isJunkEntry', () => {
    it('recognises macOS leftovers and nothing else', () => {
      expect(isJunkEntry(['__MACOSX', 'x', '._a.html'])).to.equal(true);
      expect(isJunkEntry(['.DS_Store'])).to.equal(true);
      expect(isJunkEntry(['content', '.DS_Store'])).to.equal(true);
      expect(isJunkEntry(['content', '__MACOSX'])).to.equal(false);
      expect(isJunkEntry(['content', 'DS_Store.html'])).to.equal(false);
    });
  });
});
