import { expect } from 'chai';
import { appendParameters, filePathOfHref, resolvePackageHref } from '../../../server/courses/manifest/package-href.js';

describe('package hrefs', () => {
  describe('appendParameters', () => {
    const cases: Array<[href: string, parameters: string | null, expected: string]> = [
      ['a.html', null, 'a.html'],
      ['a.html', '   ', 'a.html'],
      ['a.html', '?content=assessment1', 'a.html?content=assessment1'],
      ['a.html', 'content=assessment1', 'a.html?content=assessment1'],
      ['a.html', '??&x=1', 'a.html?x=1'],
      ['a.html?lang=en', '?x=1', 'a.html?lang=en&x=1'],
      ['a.html?lang=en', '&x=1', 'a.html?lang=en&x=1'],
      ['a.html#top', 'x=1', 'a.html?x=1#top'],
      ['a.html?lang=en#top', 'x=1', 'a.html?lang=en&x=1#top'],
      ['a.html', '#part2', 'a.html#part2'],
      ['a.html#top', '#part2', 'a.html#top'],
      ['a.html', 'x=1#part2', 'a.html?x=1#part2'],
      ['a.html#top', 'x=1#part2', 'a.html?x=1#top'],
    ];
    for (const [href, parameters, expected] of cases) {
      it(`${href} + ${String(parameters)} → ${expected}`, () => {
        expect(appendParameters(href, parameters)).to.equal(expected);
      });
    }
  });

  describe('resolvePackageHref', () => {
    it('joins bases outermost first, each taken as a folder', () => {
      expect(resolvePackageHref(['course/', 'content', './sco1/'], 'index.html?a=1#b')).to.deep.equal({ kind: 'package', href: 'course/content/sco1/index.html?a=1#b' });
      expect(resolvePackageHref([null, '', 'x/'], 'y/../z.html')).to.deep.equal({ kind: 'package', href: 'x/z.html' });
      expect(resolvePackageHref([], 'Windows\\style.html')).to.deep.equal({ kind: 'package', href: 'Windows/style.html' });
    });

    it('keeps the author\'s characters instead of percent-encoding them', () => {
      expect(resolvePackageHref(['课程/'], '第一课 index.html')).to.deep.equal({ kind: 'package', href: '课程/第一课 index.html' });
    });

    it('marks paths that climb above the root, also when disguised with escapes', () => {
      for (const [bases, href] of [[[], '../secret.html'], [['a/'], '../../secret.html'], [['../'], 'x.html'], [[], '/etc/passwd'], [[], '%2e%2e/secret.html'], [[], 'a/..%2f..%2fsecret.html']] as const) {
        expect(resolvePackageHref(bases, href).kind, `${bases.join('+')} + ${href}`).to.equal('outside');
      }
    });

    it('marks absolute URLs as external, also when a base is one', () => {
      expect(resolvePackageHref([], 'https://cdn.example/sco.html')).to.deep.equal({ kind: 'external', href: 'https://cdn.example/sco.html' });
      expect(resolvePackageHref(['https://cdn.example/course'], 'sco.html')).to.deep.equal({ kind: 'external', href: 'https://cdn.example/course/sco.html' });
      expect(resolvePackageHref([], '//cdn.example/sco.html').kind).to.equal('external');
    });
  });

  describe('filePathOfHref', () => {
    it('drops query and fragment and decodes escapes', () => {
      expect(filePathOfHref('shared/launchpage.html?content=playing')).to.equal('shared/launchpage.html');
      expect(filePathOfHref('my%20page.html#p2?x')).to.equal('my page.html');
      expect(filePathOfHref('%E8%AF%BE/index.html')).to.equal('课/index.html');
    });

    it('keeps a literal percent sign that is no escape', () => {
      expect(filePathOfHref('100%.html')).to.equal('100%.html');
    });
  });
});
