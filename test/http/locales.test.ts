import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.js';

type Tree = { [key: string]: string | Tree };

/** Keys as code names them: i18next plural forms (`subject_one`, `subject_other`) count as `subject`. */
function keysOf(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string'
    ? [prefix + key.replace(/_(zero|one|two|few|many|other)$/, '')]
    : keysOf(value, `${prefix}${key}.`)));
}

function filesUnder(dir: string, extension: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const locale = (name: string) => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'server/i18n/locales', `${name}.json`), 'utf8')) as Tree;

describe('locale files', () => {
  const zh = new Set(keysOf(locale('zh-CN')));
  const en = new Set(keysOf(locale('en')));

  it('name the same keys in zh-CN and en', () => {
    expect([...zh].filter((k) => !en.has(k)), 'missing in en').to.deep.equal([]);
    expect([...en].filter((k) => !zh.has(k)), 'missing in zh-CN').to.deep.equal([]);
  });

  it('hold every key the views and the server name literally', () => {
    const used = new Map<string, string>();
    for (const file of filesUnder(path.join(PROJECT_ROOT, 'views'), '.hbs')) {
      for (const [, key] of fs.readFileSync(file, 'utf8').matchAll(/\bt "([\w.]+)"/g)) used.set(key, path.relative(PROJECT_ROOT, file));
    }
    for (const file of filesUnder(path.join(PROJECT_ROOT, 'server'), '.ts')) {
      for (const [, key] of fs.readFileSync(file, 'utf8').matchAll(/\bt\('([\w.]+)'/g)) used.set(key, path.relative(PROJECT_ROOT, file));
    }
    expect(used.size, 'keys found (the scan works)').to.be.above(200);
    expect([...used].filter(([key]) => !zh.has(key)).map(([key, file]) => `${key} (${file})`)).to.deep.equal([]);
  });
});
