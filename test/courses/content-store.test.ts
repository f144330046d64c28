import { expect } from 'chai';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FolderContentStore } from '../../server/courses/content-store.js';
import { writeZip } from '../helpers/zip-builder.js';

const LIMITS = { maxEntries: 10_000, maxUncompressedBytes: 500 * 1024 * 1024 };
const FILES = 300;
const FILE_BYTES = 64 * 1024;

// Another node's view of the shared folder: a separate process polling the package folder as fast
// as it can, classing each look as absent, partial (a file missing or short) or complete.
const READER = `
const fs = require('node:fs');
const path = require('node:path');
const [dir, stopFile, expectedJson] = process.argv.slice(1);
const expected = JSON.parse(expectedJson);
const seen = { absent: 0, partial: 0, complete: 0 };
process.stdout.write('ready\\n');
while (!fs.existsSync(stopFile)) {
  if (!fs.existsSync(dir)) { seen.absent++; continue; }
  let whole = true;
  for (const [name, size] of expected) {
    let stat = null;
    try { stat = fs.statSync(path.join(dir, name)); } catch { stat = null; }
    if (!stat || stat.size !== size) { whole = false; break; }
  }
  seen[whole ? 'complete' : 'partial']++;
}
process.stdout.write(JSON.stringify(seen) + '\\n');
`;

interface Seen { absent: number; partial: number; complete: number }

async function watchWhile(dir: string, expected: Array<[string, number]>, work: () => Promise<void>): Promise<Seen> {
  const stopFile = path.join(os.tmpdir(), `lms-reader-stop-${crypto.randomUUID()}`);
  const child = spawn(process.execPath, ['-e', READER, dir, stopFile, JSON.stringify(expected)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  while (!out.includes('ready\n')) await new Promise((r) => setTimeout(r, 10));
  try {
    await work();
    await new Promise((r) => setTimeout(r, 100)); // let the reader look at the finished state
  } finally {
    fs.writeFileSync(stopFile, '');
    await exited;
    fs.rmSync(stopFile, { force: true });
  }
  return JSON.parse(out.split('\n')[1]) as Seen;
}

describe('content store (shared package folder)', () => {
  let root: string;
  let zipPath: string;
  let expected: Array<[string, number]>;

  let work: string;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-content-store-'));
    root = path.join(work, 'shared');
    zipPath = path.join(work, 'course.zip');
    const files = Array.from({ length: FILES }, (_, i) => ({ name: `assets/part-${String(i).padStart(3, '0')}.bin`, data: crypto.randomBytes(FILE_BYTES) }));
    expected = [['imsmanifest.xml', 11], ...files.map((f): [string, number] => [f.name, FILE_BYTES])];
    await writeZip(zipPath, [{ name: 'imsmanifest.xml', data: '<manifest/>' }, ...files.map((f) => ({ ...f, method: 'store' as const }))]);
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('the reader catches a package written in place (control: it can see a half-written package)', async () => {
    const naive = path.join(root, 'written-in-place');
    const seen = await watchWhile(naive, expected, async () => {
      fs.mkdirSync(path.join(naive, 'assets'), { recursive: true });
      const source = new FolderContentStore(path.join(work, 'source'));
      const staged = await source.stage(zipPath, LIMITS);
      for (const [name] of expected) {
        const data = fs.readFileSync(path.join(staged.rootDir, name));
        await fs.promises.writeFile(path.join(naive, name), data.subarray(0, data.length >> 1));
        await fs.promises.appendFile(path.join(naive, name), data.subarray(data.length >> 1));
      }
      await source.discard(staged);
    });
    expect(seen.partial, JSON.stringify(seen)).to.be.greaterThan(0);
  });

  it('never lets another node see a partial package while one is uploaded, and serves it whole afterwards', async () => {
    const nodeA = new FolderContentStore(root);
    const nodeB = new FolderContentStore(root);
    const name = `v-${crypto.randomUUID()}`;
    const seen = await watchWhile(nodeB.folderOf(name), expected, async () => {
      const staged = await nodeA.stage(zipPath, LIMITS);
      expect(staged.files).to.have.length(FILES + 1);
      await nodeA.publish(staged, name);
    });
    expect(seen.partial, JSON.stringify(seen)).to.equal(0);
    expect(seen.absent, 'the reader looked while the upload ran').to.be.greaterThan(0);
    expect(seen.complete, 'and saw the package once published').to.be.greaterThan(0);
    const first = expected[1][0];
    expect(fs.readFileSync(path.join(nodeB.folderOf(name), first))).to.have.length(FILE_BYTES);
    expect(fs.readdirSync(path.join(root, '.incoming')), 'no staging left').to.deep.equal([]);
  });

  it('keeps packages in their store, refuses names that leave it, and sweeps only old staging', async () => {
    const store = new FolderContentStore(root);
    const other = new FolderContentStore(`${root}-other`);
    const staged = await other.stage(zipPath, LIMITS);
    await assert.rejects(store.publish(staged, 'v-elsewhere'), /not in this store/);
    await other.discard(staged);
    for (const bad of ['../x', '.incoming', 'a/b', '']) assert.throws(() => store.folderOf(bad), TypeError, bad);
    const young = await store.stage(zipPath, LIMITS);
    expect(await store.sweep(0), 'an upload in progress on another node is not swept').to.deep.equal([]);
    await store.discard(young);
    const name = `v-${crypto.randomUUID()}`;
    await store.publish(await store.stage(zipPath, LIMITS), name);
    await store.remove(name);
    expect(fs.existsSync(store.folderOf(name))).to.equal(false);
  });
});
