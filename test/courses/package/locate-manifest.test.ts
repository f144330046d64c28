import assert from 'node:assert/strict';
import { expect } from 'chai';
import { locateManifest } from '../../../server/courses/package/locate-manifest.js';

describe('courses/package locateManifest', () => {
  it('takes imsmanifest.xml at the root, ignoring nested ones', () => {
    expect(locateManifest(['index.html', 'imsmanifest.xml', 'sub/imsmanifest.xml'])).to.deep.equal({
      packageRoot: '', manifestPath: 'imsmanifest.xml', warnings: [],
    });
  });

  it('takes the one manifest one folder down, with a warning naming the folder', () => {
    const location = locateManifest(['course/imsmanifest.xml', 'course/index.html', 'readme.txt']);
    expect(location.packageRoot).to.equal('course/');
    expect(location.manifestPath).to.equal('imsmanifest.xml');
    expect(location.warnings.map((w) => [w.code, w.path, w.severity])).to.deep.equal([['PACKAGE_ROOT_IN_FOLDER', 'course/', 'warning']]);
  });

  it('prefers the exact name over other casings at the same depth', () => {
    expect(locateManifest(['a/IMSMANIFEST.XML', 'b/imsmanifest.xml']).packageRoot).to.equal('b/');
    expect(locateManifest(['IMSManifest.xml', 'imsmanifest.xml']).manifestPath).to.equal('imsmanifest.xml');
  });

  it('accepts another casing with a warning', () => {
    const location = locateManifest(['course/ImsManifest.XML']);
    expect(location.manifestPath).to.equal('ImsManifest.XML');
    expect(location.warnings.map((w) => w.code)).to.deep.equal(['PACKAGE_ROOT_IN_FOLDER', 'PACKAGE_MANIFEST_NAME_CASE']);
  });

  it('refuses several candidates, naming them all', () => {
    assert.throws(() => locateManifest(['b/imsmanifest.xml', 'a/imsmanifest.xml']), (err: Error & { code?: string }) => {
      expect(err.name).to.equal('PackageRejectedError');
      expect(err.code).to.equal('PACKAGE_MANIFEST_AMBIGUOUS');
      expect(err.message).to.contain('a/imsmanifest.xml').and.contain('b/imsmanifest.xml');
      return true;
    });
    assert.throws(() => locateManifest(['IMSMANIFEST.XML', 'ImsManifest.xml']), { code: 'PACKAGE_MANIFEST_AMBIGUOUS' });
  });

  it('refuses a zip without a manifest, naming any that are too deep', () => {
    assert.throws(() => locateManifest(['index.html']), { code: 'PACKAGE_MANIFEST_MISSING' });
    assert.throws(() => locateManifest(['a/b/imsmanifest.xml']), (err: Error & { code?: string }) => {
      expect(err.code).to.equal('PACKAGE_MANIFEST_MISSING');
      expect(err.message).to.contain('a/b/imsmanifest.xml');
      return true;
    });
    assert.throws(() => locateManifest(['imsmanifest.xml.bak', 'my-imsmanifest.xml']), { code: 'PACKAGE_MANIFEST_MISSING' });
  });
});
