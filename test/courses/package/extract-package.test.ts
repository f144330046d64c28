import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import iconv from 'iconv-lite';
import {
  commitStagedPackage, discardStagedPackage, extractPackage, removeStaleIncoming, stagePackage,
} from '../../../server/courses/package/extract-package.js';
import type { ExtractLimits } from '../../../server/courses/package/extract-package.js';
import { PackageRejectedError } from '../../../server/courses/package/package-errors.js';
import {
  buildZip, deflateBombEntry, directoryEntry, manyEntries, symlinkEntry, unicodePathExtraField, writeZip,
} from '../../helpers/zip-builder.js';
import type { ZipEntrySpec } from '../../helpers/zip-builder.js';
import {
  GENEROUS_LIMITS, SAMPLES_DIR, isMacJunk, listFiles, makeWorkDir, readZipFacts, readZipFiles, snapshotTree,
} from './package-test-support.js';

const MB = 1024 * 1024;
const MANIFEST: ZipEntrySpec = { name: 'imsmanifest.xml', data: '<manifest identifier="m"/>' };
const PAGE: ZipEntrySpec = { name: 'index.html', data: '<p>Consumer rights</p>' };

/** Asserts a PackageRejectedError whose code is `code` and whose problems include [code, path]. */
async function assertRejected(promise: Promise<unknown>, code: string, problemPath: string): Promise<PackageRejectedError> {
  let caught: PackageRejectedError | undefined;
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof PackageRejectedError, `expected PackageRejectedError, got ${String(err)}`);
    caught = err;
    return true;
  });
  assert.ok(caught);
  expect(caught.name).to.equal('PackageRejectedError');
  expect(caught.code).to.equal(code);
  expect(caught.problems.map((p) => [p.code, p.path])).to.deep.include([code, problemPath]);
  for (const problem of caught.problems) {
    expect(problem.severity).to.equal('error');
    expect(problem.message).to.be.a('string').and.not.equal('');
  }
  return caught;
}

describe('courses/package extractPackage', () => {
  let work: string;
  let storage: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ work, storage, cleanup } = await makeWorkDir()));
  afterEach(() => cleanup());

  const incomingLeft = async () => readdir(path.join(storage, '.incoming')).catch(() => []);

  describe('real packages from scorm-samples', () => {
    const samples = readdirSync(SAMPLES_DIR).filter((name) => name.endsWith('.zip')).sort();

    it('has sample zips to test against', () => {
      expect(samples.length).to.be.greaterThan(0);
    });

    for (const sample of samples) {
      it(`extracts ${sample} with every file, and nothing else`, async () => {
        const zipPath = path.join(SAMPLES_DIR, sample);
        const facts = await readZipFacts(zipPath);
        const expected = facts.filter((fact) => !fact.isDirectory && !isMacJunk(fact.name));
        const expectedNames = expected.map((fact) => fact.name).sort();

        const result = await extractPackage(zipPath, storage, 'version-1', GENEROUS_LIMITS);

        expect(result.dir).to.equal(path.join(storage, 'version-1'));
        expect(result.packageRoot).to.equal('');
        expect(result.manifestPath).to.equal('imsmanifest.xml');
        expect(result.files).to.deep.equal(expectedNames);
        expect(await listFiles(result.dir)).to.deep.equal(expectedNames);
        expect(result.totalBytes).to.equal(expected.reduce((sum, fact) => sum + fact.size, 0));
        for (const fact of expected) {
          const stats = await lstat(path.join(result.dir, fact.name));
          expect(stats.isFile(), fact.name).to.equal(true);
          expect(stats.size, fact.name).to.equal(fact.size);
          expect(stats.mode & 0o111, `${fact.name} must not be executable`).to.equal(0);
        }
        expect(await incomingLeft()).to.deep.equal([]);
      });
    }
  });

  describe('hostile zips', () => {
    interface HostileCase {
      title: string;
      code: string;
      /** The zip's bytes; `work` lets absolute names point into the watched folder. */
      zip: (work: string) => Buffer;
      problemPath: (work: string) => string;
      limits?: ExtractLimits;
    }
    const withManifest = (...entries: ZipEntrySpec[]) => () => buildZip([MANIFEST, PAGE, ...entries]);
    const at = (p: string) => () => p;
    const escape = 'escaped.txt';
    const cases: HostileCase[] = [
      { title: '".." segments', code: 'ZIP_PATH_TRAVERSAL', zip: withManifest({ name: `../../../${escape}`, data: 'x' }), problemPath: at(`../../../${escape}`) },
      { title: '".." in the middle', code: 'ZIP_PATH_TRAVERSAL', zip: withManifest({ name: `content/../../../../${escape}`, data: 'x' }), problemPath: at(`content/../../../../${escape}`) },
      { title: '".." under __MACOSX (junk is no excuse)', code: 'ZIP_PATH_TRAVERSAL', zip: withManifest({ name: `__MACOSX/../../../${escape}`, data: 'x' }), problemPath: at(`__MACOSX/../../../${escape}`) },
      { title: 'backslash traversal a\\..\\..\\x', code: 'ZIP_PATH_TRAVERSAL', zip: withManifest({ name: `a\\..\\..\\..\\${escape}`, data: 'x' }), problemPath: at(`a\\..\\..\\..\\${escape}`) },
      { title: 'an absolute path into the parent folder', code: 'ZIP_ABSOLUTE_PATH', zip: (w) => withManifest({ name: `${w}/${escape}`, data: 'x' })(), problemPath: (w) => `${w}/${escape}` },
      { title: '/etc/… absolute path', code: 'ZIP_ABSOLUTE_PATH', zip: withManifest({ name: '/etc/compliance-lms-escape', data: 'x' }), problemPath: at('/etc/compliance-lms-escape') },
      { title: 'a UNC path', code: 'ZIP_ABSOLUTE_PATH', zip: withManifest({ name: `\\\\server\\share\\${escape}`, data: 'x' }), problemPath: at(`\\\\server\\share\\${escape}`) },
      { title: 'a drive letter C:\\x', code: 'ZIP_DRIVE_LETTER_PATH', zip: withManifest({ name: `C:\\${escape}`, data: 'x' }), problemPath: at(`C:\\${escape}`) },
      { title: 'a drive letter c:/x', code: 'ZIP_DRIVE_LETTER_PATH', zip: withManifest({ name: `c:/${escape}`, data: 'x' }), problemPath: at(`c:/${escape}`) },
      { title: 'backslash separators', code: 'ZIP_BACKSLASH_PATH', zip: withManifest({ name: 'content\\page.html', data: 'x' }), problemPath: at('content\\page.html') },
      {
        title: 'a symlink, then a file written through it',
        code: 'ZIP_SYMLINK',
        zip: (w) => withManifest(symlinkEntry('content', w), { name: `content/${escape}`, data: 'x' })(),
        problemPath: at('content'),
      },
      { title: 'a symlink to /etc/passwd', code: 'ZIP_SYMLINK', zip: withManifest(symlinkEntry('passwd.html', '/etc/passwd')), problemPath: at('passwd.html') },
      { title: 'an empty name', code: 'ZIP_EMPTY_NAME', zip: withManifest({ name: '', data: 'x' }), problemPath: at('') },
      { title: 'a NUL byte in a name', code: 'ZIP_INVALID_CHARACTER', zip: withManifest({ name: 'page\u0000.html', data: 'x' }), problemPath: at('page\\u0000.html') },
      { title: 'a name too long for the disk', code: 'ZIP_NAME_TOO_LONG', zip: withManifest({ name: `${'a'.repeat(300)}.html`, data: 'x' }), problemPath: at(`${'a'.repeat(300)}.html`) },
      { title: 'bytes that are not UTF-8 despite the UTF-8 flag', code: 'ZIP_NAME_ENCODING', zip: withManifest({ name: Buffer.from([0x61, 0xff, 0xfe]), utf8Flag: true, data: 'x' }), problemPath: at('a\\xff\\xfe') },
      { title: 'bytes that are neither UTF-8 nor GBK', code: 'ZIP_NAME_ENCODING', zip: withManifest({ name: Buffer.from([0x81, 0x20, 0xff]), utf8Flag: false, data: 'x' }), problemPath: at('\\x81 \\xff') },
      { title: 'a password-protected entry', code: 'ZIP_ENCRYPTED', zip: withManifest({ name: 'secret.html', data: 'x', flags: 0x1 }), problemPath: at('secret.html') },
      { title: 'an unknown compression method', code: 'ZIP_UNSUPPORTED_COMPRESSION', zip: withManifest({ name: 'lzma.html', data: 'x', compressionMethod: 14 }), problemPath: at('lzma.html') },
      { title: 'the same file twice', code: 'ZIP_DUPLICATE_ENTRY', zip: withManifest({ name: 'index.html', data: 'second' }), problemPath: at('index.html') },
      { title: 'a name that is both file and folder', code: 'ZIP_PATH_CONFLICT', zip: withManifest({ name: 'page', data: 'x' }, { name: 'page/x.html', data: 'x' }), problemPath: at('page') },
      {
        title: 'more uncompressed bytes declared than allowed',
        code: 'ZIP_TOO_LARGE',
        zip: withManifest(deflateBombEntry('big.bin', 12 * MB)),
        problemPath: at(''),
        limits: { maxEntries: 100, maxUncompressedBytes: 10 * MB },
      },
      {
        title: 'a deflate bomb whose declared size lies (50 MB of zeros declared as 1000 bytes)',
        code: 'ZIP_TOO_LARGE',
        zip: withManifest(deflateBombEntry('bomb.bin', 50 * MB, { declaredSize: 1000 })),
        problemPath: at('bomb.bin'),
        limits: { maxEntries: 100, maxUncompressedBytes: 10 * MB },
      },
      { title: 'a wrong checksum (damaged data)', code: 'ZIP_INVALID', zip: withManifest({ name: 'damaged.html', data: 'hello', crc32: 1234 }), problemPath: at('damaged.html') },
      { title: 'an entry shorter than declared', code: 'ZIP_INVALID', zip: withManifest({ name: 'short.html', data: 'hello world', declaredSize: 5000 }), problemPath: at('short.html') },
      { title: 'a file that is not a zip', code: 'ZIP_INVALID', zip: () => Buffer.from('<html>not a zip</html>'), problemPath: at('') },
      { title: 'an end record claiming more entries than exist', code: 'ZIP_INVALID', zip: () => buildZip([MANIFEST, PAGE], { claimedEntryCount: 5 }), problemPath: at('') },
      {
        title: 'a truncated upload of a real package',
        code: 'ZIP_INVALID',
        zip: () => {
          const whole = buildZip([MANIFEST, PAGE, { name: 'big.html', data: 'lorem ipsum '.repeat(5000) }]);
          return whole.subarray(0, Math.floor(whole.length / 2));
        },
        problemPath: at(''),
      },
      { title: 'no manifest at all', code: 'PACKAGE_MANIFEST_MISSING', zip: () => buildZip([PAGE]), problemPath: at('') },
      { title: 'a manifest two folders down', code: 'PACKAGE_MANIFEST_MISSING', zip: () => buildZip([{ ...MANIFEST, name: 'a/b/imsmanifest.xml' }, PAGE]), problemPath: at('a/b/imsmanifest.xml') },
      {
        title: 'two packages one folder down',
        code: 'PACKAGE_MANIFEST_AMBIGUOUS',
        zip: () => buildZip([{ ...MANIFEST, name: 'b/imsmanifest.xml' }, { ...MANIFEST, name: 'a/imsmanifest.xml' }]),
        problemPath: at('a/imsmanifest.xml'),
      },
    ];

    for (const hostile of cases) {
      it(`refuses ${hostile.title} with ${hostile.code}, writing nothing`, async () => {
        const zipPath = path.join(work, 'upload.zip');
        await writeFile(zipPath, hostile.zip(work));
        const before = await snapshotTree(work);

        await assertRejected(extractPackage(zipPath, storage, 'version-1', hostile.limits ?? GENEROUS_LIMITS), hostile.code, hostile.problemPath(work));

        const outsideStorage = (lines: string[]) => lines.filter((line) => !line.split(' ')[1].startsWith('storage'));
        expect(outsideStorage(await snapshotTree(work))).to.deep.equal(outsideStorage(before));
        const storageTree = await snapshotTree(storage).catch(() => []);
        expect(storageTree.filter((line) => line !== 'dir .incoming'), 'storage holds nothing but an empty .incoming').to.deep.equal([]);
        await assert.rejects(lstat('/etc/compliance-lms-escape'), { code: 'ENOENT' });
      });
    }

    it('reports every bad name in one go, in zip order', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [
        MANIFEST,
        { name: '../a.html', data: 'x' },
        PAGE,
        { name: 'C:\\b.html', data: 'x' },
        symlinkEntry('c.html', '/etc/passwd'),
        { name: 'd\\e.html', data: 'x' },
        { name: '/f.html', data: 'x' },
      ]);
      const err = await assertRejected(extractPackage(zipPath, storage, 'version-1', GENEROUS_LIMITS), 'ZIP_PATH_TRAVERSAL', '../a.html');
      expect(err.problems.map((p) => [p.code, p.path])).to.deep.equal([
        ['ZIP_PATH_TRAVERSAL', '../a.html'],
        ['ZIP_DRIVE_LETTER_PATH', 'C:\\b.html'],
        ['ZIP_SYMLINK', 'c.html'],
        ['ZIP_BACKSLASH_PATH', 'd\\e.html'],
        ['ZIP_ABSOLUTE_PATH', '/f.html'],
      ]);
      expect(err.message).to.contain('../a.html');
    });

    it('refuses 100,000 entries from the zip64 end record without unpacking anything', async () => {
      const zipPath = path.join(work, 'many.zip');
      await writeZip(zipPath, [MANIFEST, ...manyEntries(99_999)]);
      const started = Date.now();
      const err = await assertRejected(extractPackage(zipPath, storage, 'version-1', { maxEntries: 10_000, maxUncompressedBytes: 100 * MB }), 'ZIP_TOO_MANY_ENTRIES', '');
      expect(err.message).to.contain('100000').and.contain('10000');
      expect(Date.now() - started, 'refused from the count, not by reading entries').to.be.below(2000);
      expect(await incomingLeft()).to.deep.equal([]);
    });
  });

  describe('limits are inclusive', () => {
    it('accepts exactly maxEntries entries and exactly maxUncompressedBytes bytes', async () => {
      const entries = [MANIFEST, PAGE, directoryEntry('media/')];
      const bytes = [MANIFEST, PAGE].reduce((sum, entry) => sum + Buffer.byteLength(entry.data as string), 0);
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, entries);
      const result = await extractPackage(zipPath, storage, 'version-1', { maxEntries: entries.length, maxUncompressedBytes: bytes });
      expect(result.totalBytes).to.equal(bytes);
    });

    it('refuses one entry or one byte more', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [MANIFEST, PAGE]);
      const bytes = [MANIFEST, PAGE].reduce((sum, entry) => sum + Buffer.byteLength(entry.data as string), 0);
      await assertRejected(extractPackage(zipPath, storage, 'v1', { maxEntries: 1, maxUncompressedBytes: bytes }), 'ZIP_TOO_MANY_ENTRIES', '');
      await assertRejected(extractPackage(zipPath, storage, 'v1', { maxEntries: 2, maxUncompressedBytes: bytes - 1 }), 'ZIP_TOO_LARGE', '');
    });
  });

  describe('names', () => {
    it('decodes GBK names written without the UTF-8 flag (Chinese Windows zip tools)', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [
        MANIFEST,
        { name: iconv.encode('课程/', 'gbk'), utf8Flag: false, method: 'store' },
        { name: iconv.encode('课程/第一课.html', 'gbk'), utf8Flag: false, data: '<p>第一课</p>' },
      ]);
      const result = await extractPackage(zipPath, storage, 'version-1', GENEROUS_LIMITS);
      expect(result.files).to.deep.equal(['imsmanifest.xml', '课程/第一课.html']);
      expect(await readdir(path.join(result.dir, '课程'))).to.deep.equal(['第一课.html']);
      expect(await readFile(path.join(result.dir, '课程', '第一课.html'), 'utf8')).to.equal('<p>第一课</p>');
    });

    it('reads UTF-8 names that lack the UTF-8 flag, and honours the flag when set', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [
        MANIFEST,
        { name: Buffer.from('第二课.html', 'utf8'), utf8Flag: false, data: 'x' },
        { name: 'leçon.html', utf8Flag: true, data: 'y' },
      ]);
      const result = await extractPackage(zipPath, storage, 'version-1', GENEROUS_LIMITS);
      expect(result.files).to.deep.equal(['imsmanifest.xml', 'leçon.html', '第二课.html']);
    });

    it('prefers the Info-ZIP Unicode Path field that 7-Zip and WinRAR add', async () => {
      const raw = iconv.encode('第三课.html', 'gbk');
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [MANIFEST, { name: raw, utf8Flag: false, data: 'x', extraFields: [unicodePathExtraField(raw, '第三课.html')] }]);
      const result = await extractPackage(zipPath, storage, 'version-1', GENEROUS_LIMITS);
      expect(result.files).to.deep.equal(['imsmanifest.xml', '第三课.html']);
    });

    it('judges the Unicode Path field too (it could smuggle a "..")', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [MANIFEST, { name: 'innocent.html', data: 'x', extraFields: [unicodePathExtraField(Buffer.from('innocent.html'), '../evil.html')] }]);
      await assertRejected(extractPackage(zipPath, storage, 'version-1', GENEROUS_LIMITS), 'ZIP_PATH_TRAVERSAL', '../evil.html');
    });

    it('drops __MACOSX and .DS_Store silently, creates folders from directory entries, normalises "./"', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [
        MANIFEST,
        { name: '__MACOSX/._imsmanifest.xml', data: 'resource fork' },
        { name: '.DS_Store', data: 'finder' },
        directoryEntry('content/'),
        { name: 'content/.DS_Store', data: 'finder' },
        { name: './content/page.html', data: 'page' },
        directoryEntry('empty/'),
      ]);
      const result = await extractPackage(zipPath, storage, 'version-1', GENEROUS_LIMITS);
      expect(result.files).to.deep.equal(['content/page.html', 'imsmanifest.xml']);
      expect(result.warnings).to.deep.equal([]);
      expect(await snapshotTree(result.dir)).to.deep.equal([
        'dir content', 'dir empty', 'file content/page.html 4', `file imsmanifest.xml ${Buffer.byteLength(MANIFEST.data as string)}`,
      ]);
    });
  });

  describe('where the manifest is', () => {
    it('uses the folder one level down as the package root, and says so', async () => {
      const sample = path.join(SAMPLES_DIR, 'golf-RuntimeBasicCalls-SCORM12.zip');
      const originals = (await readZipFiles(sample)).filter((file) => !isMacJunk(file.name));
      const zipPath = path.join(work, 'zipped-the-folder.zip');
      await writeZip(zipPath, [
        { name: 'readme.txt', data: 'not part of the package' },
        ...originals.map((file) => ({ name: `golf course/${file.name}`, data: file.data })),
        { name: '__MACOSX/golf course/._imsmanifest.xml', data: 'fork' },
      ]);

      const result = await extractPackage(zipPath, storage, 'version-1', GENEROUS_LIMITS);

      expect(result.packageRoot).to.equal('golf course/');
      expect(result.dir).to.equal(path.join(storage, 'version-1'));
      expect(result.files).to.deep.equal(originals.map((file) => file.name).sort());
      expect(await listFiles(result.dir)).to.deep.equal(result.files);
      expect(await readFile(path.join(result.dir, 'imsmanifest.xml'))).to.deep.equal(originals.find((f) => f.name === 'imsmanifest.xml')?.data);
      expect(result.warnings.map((w) => [w.code, w.path, w.severity])).to.deep.equal([
        ['PACKAGE_ROOT_IN_FOLDER', 'golf course/', 'warning'],
        ['PACKAGE_FILES_OUTSIDE_ROOT', 'readme.txt', 'warning'],
      ]);
      expect((await snapshotTree(storage)).filter((line) => line.includes('readme'))).to.deep.equal([]);
      expect(await incomingLeft()).to.deep.equal([]);
    });

    it('accepts a differently-cased IMSManifest.xml with a warning', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [{ ...MANIFEST, name: 'IMSManifest.xml' }, PAGE]);
      const result = await extractPackage(zipPath, storage, 'version-1', GENEROUS_LIMITS);
      expect(result.manifestPath).to.equal('IMSManifest.xml');
      expect(result.warnings.map((w) => [w.code, w.path])).to.deep.equal([['PACKAGE_MANIFEST_NAME_CASE', 'IMSManifest.xml']]);
    });
  });

  describe('stage, then commit or discard', () => {
    it('stages out of sight and appears in one rename on commit', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [MANIFEST, PAGE]);

      const staged = await stagePackage(zipPath, storage, GENEROUS_LIMITS);
      expect(path.dirname(staged.tempDir)).to.equal(path.join(storage, '.incoming'));
      expect(await readFile(path.join(staged.rootDir, staged.manifestPath), 'utf8')).to.equal(MANIFEST.data);
      expect(await readdir(storage)).to.deep.equal(['.incoming']);

      const finalDir = await commitStagedPackage(staged, 'version-7');
      expect(finalDir).to.equal(path.join(storage, 'version-7'));
      expect(await listFiles(finalDir)).to.deep.equal(['imsmanifest.xml', 'index.html']);
      expect((await lstat(finalDir)).mode & 0o777).to.equal(0o755);
      expect(await incomingLeft()).to.deep.equal([]);
    });

    it('commits only the package root when the manifest was one folder down', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [{ name: 'notes.txt', data: 'n' }, { ...MANIFEST, name: 'course/imsmanifest.xml' }, { ...PAGE, name: 'course/index.html' }]);
      const staged = await stagePackage(zipPath, storage, GENEROUS_LIMITS);
      expect(staged.rootDir).to.equal(path.join(staged.tempDir, 'course'));
      const finalDir = await commitStagedPackage(staged, 'version-1');
      expect(await listFiles(finalDir)).to.deep.equal(['imsmanifest.xml', 'index.html']);
      expect(await readdir(storage)).to.have.members(['.incoming', 'version-1']);
      expect(await incomingLeft()).to.deep.equal([]);
    });

    it('discards without a trace', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [MANIFEST, PAGE]);
      const staged = await stagePackage(zipPath, storage, GENEROUS_LIMITS);
      await discardStagedPackage(staged);
      expect(await snapshotTree(storage)).to.deep.equal(['dir .incoming']);
    });

    it('never replaces an existing version folder', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [MANIFEST, PAGE]);
      await mkdir(path.join(storage, 'version-1'), { recursive: true });
      await writeFile(path.join(storage, 'version-1', 'keep.txt'), 'old');

      await assert.rejects(extractPackage(zipPath, storage, 'version-1', GENEROUS_LIMITS), /already exists/);
      expect(await listFiles(path.join(storage, 'version-1'))).to.deep.equal(['keep.txt']);
      expect(await incomingLeft()).to.deep.equal([]);
    });

    for (const badName of ['', '../outside', 'a/b', '.incoming', '.hidden', 'a\\b']) {
      it(`refuses the folder name ${JSON.stringify(badName)}`, async () => {
        const zipPath = path.join(work, 'upload.zip');
        await writeZip(zipPath, [MANIFEST, PAGE]);
        await assert.rejects(extractPackage(zipPath, storage, badName, GENEROUS_LIMITS), { name: 'TypeError' });
        const staged = await stagePackage(zipPath, storage, GENEROUS_LIMITS);
        await assert.rejects(commitStagedPackage(staged, badName), { name: 'TypeError' });
        await discardStagedPackage(staged);
        expect(await snapshotTree(work)).to.deep.equal(['dir storage', 'dir storage/.incoming', `file upload.zip ${(await lstat(zipPath)).size}`]);
      });
    }

    it('refuses nonsense limits before touching anything', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [MANIFEST]);
      await assert.rejects(extractPackage(zipPath, storage, 'v1', { maxEntries: 0, maxUncompressedBytes: MB }), { name: 'RangeError' });
      await assert.rejects(extractPackage(zipPath, storage, 'v1', { maxEntries: 10, maxUncompressedBytes: Number.NaN }), { name: 'RangeError' });
    });

    it('passes disk problems through as they are, not as the trainer\'s fault', async () => {
      await assert.rejects(extractPackage(path.join(work, 'missing.zip'), storage, 'v1', GENEROUS_LIMITS), { code: 'ENOENT' });
    });
  });

  describe('removeStaleIncoming', () => {
    it('removes staging folders left by a crash and returns their names', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [MANIFEST, PAGE]);
      const crashed = await stagePackage(zipPath, storage, GENEROUS_LIMITS); // never committed nor discarded

      const removed = await removeStaleIncoming(storage);

      expect(removed).to.deep.equal([path.basename(crashed.tempDir)]);
      expect(await incomingLeft()).to.deep.equal([]);
    });

    it('keeps staging folders younger than olderThanMs', async () => {
      const zipPath = path.join(work, 'upload.zip');
      await writeZip(zipPath, [MANIFEST, PAGE]);
      const old = await stagePackage(zipPath, storage, GENEROUS_LIMITS);
      const fresh = await stagePackage(zipPath, storage, GENEROUS_LIMITS);
      const now = new Date('2030-01-01T12:00:00Z');
      const twoHoursAgo = new Date(now.getTime() - 2 * 3600_000);
      await utimes(old.tempDir, twoHoursAgo, twoHoursAgo);
      await utimes(fresh.tempDir, now, now);

      const removed = await removeStaleIncoming(storage, { olderThanMs: 3600_000, now });

      expect(removed).to.deep.equal([path.basename(old.tempDir)]);
      expect(await incomingLeft()).to.deep.equal([path.basename(fresh.tempDir)]);
    });

    it('is a no-op when nothing was ever staged', async () => {
      expect(await removeStaleIncoming(storage)).to.deep.equal([]);
    });
  });
});
