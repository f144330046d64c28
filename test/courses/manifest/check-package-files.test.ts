import { expect } from 'chai';
import { checkPackageFiles } from '../../../server/courses/manifest/check-package-files.js';
import type { ParsedManifest } from '../../../server/courses/manifest/manifest.types.js';
import { parseManifest } from '../../../server/courses/manifest/parse-manifest.js';

function parse(resources: string, items: string): ParsedManifest {
  const { manifest, problems } = parseManifest(`<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
    <metadata><schemaversion>1.2</schemaversion></metadata>
    <organizations default="org"><organization identifier="org"><title>T</title>${items}</organization></organizations>
    <resources>${resources}</resources></manifest>`);
  if (!manifest) throw new Error(JSON.stringify(problems));
  return manifest;
}

describe('checkPackageFiles', () => {
  const manifest = parse(
    `<resource identifier="a" type="webcontent" adlcp:scormtype="sco" href="start%20here.html?x=1#top">
       <file href="start%20here.html"/><file href="images/missing.png"/><file href="missing-launch.html"/>
     </resource>
     <resource identifier="b" type="webcontent" adlcp:scormtype="sco" href="missing-launch.html"/>`,
    `<item identifier="one" identifierref="a" parameters="y=2"><title>One</title></item>
     <item identifier="two" identifierref="b"><title>Two</title></item>
     <item identifier="three" identifierref="b"><title>Three</title></item>`,
  );

  it('looks for the decoded launch file without query, fragment or parameters', () => {
    const asked: string[] = [];
    checkPackageFiles(manifest, (path) => {
      asked.push(path);
      return true;
    });
    expect(asked).to.include('start here.html');
    expect(asked.some((path) => /[?#]|%20/.test(path))).to.equal(false);
  });

  it('reports a missing launch file once, as an error naming the file', () => {
    const present = new Set(['start here.html', 'images/missing.png']);
    const problems = checkPackageFiles(manifest, (path) => present.has(path));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include({ code: 'PACKAGE_LAUNCH_FILE_MISSING', path: 'missing-launch.html', severity: 'error' });
    expect(problems[0]?.message).to.contain('missing-launch.html');
  });

  it('only warns about files missing from a <file> list', () => {
    const present = new Set(['start here.html', 'missing-launch.html']);
    expect(checkPackageFiles(manifest, (path) => present.has(path))).to.deep.equal([{
      code: 'PACKAGE_LISTED_FILE_MISSING',
      message: 'the file images/missing.png listed by resource "a" is not in the package',
      path: 'images/missing.png',
      severity: 'warning',
    }]);
  });

  it('finds nothing to report when every file is there', () => {
    expect(checkPackageFiles(manifest, () => true)).to.deep.equal([]);
  });
});
