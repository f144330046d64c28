// The built zips: what `npm run build:courses` produces and the demo seed imports.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';
import { buildAllCourses, type BuiltCourse } from '../../../courses/build.js';
import { shippedCourses } from '../../../courses/catalog.js';
import type { CourseSource } from '../../../courses/packaging/course-source.js';
import { parseManifest } from '../../../server/courses/manifest/parse-manifest.js';
import { readZipEntries } from './read-zip.js';
import { readShippedBankQuestions } from './shipped-banks.js';

const NS = {
  cp12: 'http://www.imsproject.org/xsd/imscp_rootv1p1p2',
  adlcp12: 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
  cp2004: 'http://www.imsglobal.org/xsd/imscp_v1p1',
  adlcp2004: 'http://www.adlnet.org/xsd/adlcp_v1p3',
  adlseq: 'http://www.adlnet.org/xsd/adlseq_v1p3',
  adlnav: 'http://www.adlnet.org/xsd/adlnav_v1p3',
  imsss: 'http://www.imsglobal.org/xsd/imsss',
};

interface BuiltPackage {
  built: BuiltCourse;
  source: CourseSource;
  entries: Map<string, Buffer>;
  manifest: Element;
  manifestXml: string;
}

function elements(parent: Element, namespace: string, localName: string): Element[] {
  return Array.from(parent.getElementsByTagNameNS(namespace, localName));
}

function children(parent: Element, namespace: string, localName: string): Element[] {
  return Array.from(parent.childNodes).filter(
    (node): node is Element => node.nodeType === 1 && (node as Element).namespaceURI === namespace && (node as Element).localName === localName,
  );
}

function textOf(element: Element | undefined): string {
  return element?.textContent?.trim() ?? '';
}

/** Local files an HTML page loads or links to (src/href), without query or fragment. */
function localReferences(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)]
    .map((match) => match[1])
    .filter((reference) => !reference.startsWith('#'))
    .map((reference) => reference.split(/[?#]/)[0]);
}

describe('shipped course packages', () => {
  let outDir: string;
  let packages: BuiltPackage[];

  before(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'lms-shipped-courses-'));
    const built = await buildAllCourses(outDir);
    packages = [];
    for (const course of built) {
      const source = shippedCourses.find((candidate) => candidate.code === course.code);
      if (!source) throw new Error(`built an unknown course ${course.code}`);
      const entries = await readZipEntries(course.zipPath);
      const manifestXml = entries.get('imsmanifest.xml')?.toString('utf8') ?? '';
      const document = new DOMParser().parseFromString(manifestXml, 'text/xml');
      packages.push({ built: course, source, entries, manifest: document.documentElement as Element, manifestXml });
    }
  });

  after(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('builds one zip per course source, in the output folder', () => {
    expect(packages.map((entry) => entry.built.code)).to.deep.equal(shippedCourses.map((course) => course.code));
    for (const { built } of packages) {
      expect(path.dirname(built.zipPath)).to.equal(path.resolve(outDir));
      expect(path.basename(built.zipPath)).to.equal(`${built.code}.zip`);
      expect(built.title).to.equal(shippedCourses.find((course) => course.code === built.code)?.title.zh);
    }
  });

  it('produces byte-identical zips when built again from the same sources', async () => {
    const againDir = await mkdtemp(path.join(tmpdir(), 'lms-shipped-courses-again-'));
    try {
      const again = await buildAllCourses(againDir);
      for (const [index, course] of again.entries()) {
        const first = createHash('sha256').update(await readFile(packages[index].built.zipPath)).digest('hex');
        const second = createHash('sha256').update(await readFile(course.zipPath)).digest('hex');
        expect(second, course.code).to.equal(first);
      }
    } finally {
      await rm(againDir, { recursive: true, force: true });
    }
  });

  it('puts imsmanifest.xml at the root of every zip', () => {
    for (const { built, entries } of packages) {
      expect(entries.has('imsmanifest.xml'), built.code).to.equal(true);
    }
  });

  it('contains every file the manifest references, and lists every file it contains', () => {
    for (const { built, entries, manifest } of packages) {
      const cp = manifest.namespaceURI ?? '';
      const referenced = new Set<string>();
      for (const resource of elements(manifest, cp, 'resource')) {
        const href = resource.getAttribute('href');
        if (href) referenced.add(href.split(/[?#]/)[0]);
        for (const file of children(resource, cp, 'file')) referenced.add(file.getAttribute('href') ?? '');
      }
      expect(referenced.size, built.code).to.be.greaterThan(1);
      for (const href of referenced) expect(entries.has(href), `${built.code}: ${href}`).to.equal(true);
      for (const name of entries.keys()) {
        if (name !== 'imsmanifest.xml') expect(referenced.has(name), `${built.code}: ${name} is listed`).to.equal(true);
      }
    }
  });

  it('loads nothing from outside the package: no http(s) or protocol-relative URLs in HTML, JS or CSS', () => {
    for (const { built, entries } of packages) {
      for (const [name, content] of entries) {
        if (!/\.(html|js|css)$/.test(name)) continue;
        const text = content.toString('utf8');
        expect(text, `${built.code}/${name}`).to.not.match(/https?:\/\//i);
        expect(text, `${built.code}/${name}`).to.not.match(/(?:src|href)\s*=\s*["']\/\/|url\(\s*["']?\/\//i);
        expect(text, `${built.code}/${name}`).to.not.match(/@import|@font-face/i);
      }
    }
  });

  it('only links from its pages to files inside the zip', () => {
    for (const { built, entries } of packages) {
      for (const [name, content] of entries) {
        if (!name.endsWith('.html')) continue;
        const references = localReferences(content.toString('utf8'));
        expect(references.length, `${built.code}/${name}`).to.be.greaterThan(3);
        for (const reference of references) {
          expect(entries.has(path.posix.join(path.posix.dirname(name), reference)), `${built.code}/${name} → ${reference}`).to.equal(true);
        }
      }
    }
  });

  it('carries no exam and no answer key: no bank question, explanation or key field in any file', async () => {
    for (const { built, entries } of packages) {
      const { questions } = await readShippedBankQuestions(built.code);
      expect(questions.length, built.code).to.be.at.least(15);
      for (const [name, content] of entries) {
        const text = content.toString('utf8');
        const where = `${built.code}/${name}`;
        for (const q of questions) {
          expect(text, `${where} holds the question "${q.stem}"`).to.not.include(q.stem);
          expect(text, `${where} holds the explanation of "${q.stem}"`).to.not.include(q.explanation);
        }
        expect(text, where).to.not.match(/"correct"\s*:|"answer"\s*:|correct_responses|correctResponse|isAnswerCorrect|scoreAttempt/);
      }
      expect([...entries.keys()].filter((name) => /exam/i.test(name)), built.code).to.deep.equal([]);
    }
  });

  it('reports completion only from the lessons, never a score or a pass', () => {
    for (const { built, entries } of packages) {
      for (const [name, content] of entries) {
        if (!name.endsWith('.js') && !name.endsWith('.html')) continue;
        expect(content.toString('utf8'), `${built.code}/${name}`).to.not.match(/success_status|score\.raw|score\.scaled|lesson_status', result|'passed'/);
      }
    }
  });

  it('declares the schemaversion of its SCORM edition', () => {
    for (const { built, source, manifest } of packages) {
      const cp = source.scormVersion === '1.2' ? NS.cp12 : NS.cp2004;
      expect(manifest.namespaceURI, built.code).to.equal(cp);
      const schemaVersion = textOf(elements(manifest, cp, 'schemaversion')[0]);
      const schema = textOf(elements(manifest, cp, 'schema')[0]);
      expect(schema, built.code).to.equal('ADL SCORM');
      expect(schemaVersion, built.code).to.equal(source.scormVersion === '1.2' ? '1.2' : '2004 4th Edition');
      expect(built.scormVersion, built.code).to.equal(schemaVersion);
    }
  });

  it('packages a SCORM 1.2 course as one SCO without a mastery score (the exam is the LMS\'s)', () => {
    const scorm12 = packages.filter((entry) => entry.source.scormVersion === '1.2');
    expect(scorm12.length).to.be.at.least(1);
    for (const { built, manifest } of scorm12) {
      const items = elements(manifest, NS.cp12, 'item');
      expect(items, built.code).to.have.length(1);
      expect(elements(items[0], NS.adlcp12, 'masteryscore'), built.code).to.have.length(0);
      const scos = elements(manifest, NS.cp12, 'resource').filter((resource) => resource.getAttributeNS(NS.adlcp12, 'scormtype') === 'sco');
      expect(scos, built.code).to.have.length(1);
    }
  });

  describe('SCORM 2004 sequencing', () => {
    function scorm2004() {
      const found = packages.filter((entry) => entry.source.scormVersion === '2004');
      expect(found.length).to.be.at.least(1);
      return found;
    }

    function itemsOf(manifest: Element): Element[] {
      const organization = elements(manifest, NS.cp2004, 'organization')[0];
      return children(organization, NS.cp2004, 'item');
    }

    function sequencingOf(item: Element): Element {
      return children(item, NS.imsss, 'sequencing')[0];
    }

    /** Local objective id → global target id, from the item's adlseq:objectives. */
    function objectiveTargets(item: Element): Map<string, string> {
      const targets = new Map<string, string>();
      for (const objective of elements(sequencingOf(item), NS.adlseq, 'objective')) {
        const mapInfo = children(objective, NS.adlseq, 'mapInfo')[0];
        targets.set(objective.getAttribute('objectiveID') ?? '', mapInfo?.getAttribute('targetObjectiveID') ?? '');
      }
      return targets;
    }

    /** Targets an item's "disabled" precondition waits on (objectives that must be completed). */
    function disabledUntil(item: Element): string[] {
      const targets = objectiveTargets(item);
      const rules = elements(sequencingOf(item), NS.imsss, 'preConditionRule')
        .filter((rule) => elements(rule, NS.imsss, 'ruleAction')[0]?.getAttribute('action') === 'disabled');
      const waited = rules.flatMap((rule) => elements(rule, NS.imsss, 'ruleCondition')
        .filter((condition) => condition.getAttribute('condition') === 'completed' && condition.getAttribute('operator') === 'not')
        .map((condition) => targets.get(condition.getAttribute('referencedObjective') ?? '') ?? ''));
      return [...new Set(waited)].sort();
    }

    /** The global target each lesson writes its completion to. */
    function writtenTarget(item: Element): string {
      const objective = elements(sequencingOf(item), NS.adlseq, 'objective')
        .find((candidate) => children(candidate, NS.adlseq, 'mapInfo')[0]?.getAttribute('writeCompletionStatus') === 'true');
      return children(objective as Element, NS.adlseq, 'mapInfo')[0]?.getAttribute('targetObjectiveID') ?? '';
    }

    it('declares the imsss, adlseq, adlnav and adlcp namespaces and keeps objectives global to the course only', () => {
      for (const { built, manifestXml, manifest } of scorm2004()) {
        for (const namespace of [NS.imsss, NS.adlseq, NS.adlnav, NS.adlcp2004]) expect(manifestXml, built.code).to.include(`"${namespace}"`);
        const organization = elements(manifest, NS.cp2004, 'organization')[0];
        expect(organization.getAttributeNS(NS.adlseq, 'objectivesGlobalToSystem'), built.code).to.equal('false');
      }
    });

    it('has one SCO per lesson, in order, and no exam SCO, with flow navigation', () => {
      for (const { built, source, manifest } of scorm2004()) {
        const items = itemsOf(manifest);
        expect(items.map((item) => textOf(children(item, NS.cp2004, 'title')[0])), built.code)
          .to.deep.equal(source.lessons.map((lesson) => lesson.title.zh));
        const organization = elements(manifest, NS.cp2004, 'organization')[0];
        const controlMode = children(children(organization, NS.imsss, 'sequencing')[0], NS.imsss, 'controlMode')[0];
        expect(controlMode.getAttribute('flow'), built.code).to.equal('true');
      }
    });

    it('opens each lesson only after the previous one is completed', () => {
      for (const { built, manifest } of scorm2004()) {
        const items = itemsOf(manifest);
        const lessons = items;
        expect(disabledUntil(lessons[0]), `${built.code} first lesson`).to.deep.equal([]);
        for (let index = 1; index < lessons.length; index += 1) {
          expect(disabledUntil(lessons[index]), `${built.code} lesson ${index + 1}`).to.deep.equal([writtenTarget(lessons[index - 1])]);
        }
      }
    });

    it('writes each lesson\'s completion to its own target and lets no lesson decide satisfaction or measure', () => {
      for (const { built, manifest } of scorm2004()) {
        const items = itemsOf(manifest);
        const lessonTargets = items.map(writtenTarget);
        expect(new Set(lessonTargets).size, built.code).to.equal(lessonTargets.length);
        for (const [index, item] of items.entries()) {
          const rollup = children(sequencingOf(item), NS.imsss, 'rollupRules')[0];
          expect(rollup.getAttribute('rollupObjectiveSatisfied'), `${built.code} item ${index + 1}`).to.equal('false');
          expect(rollup.getAttribute('objectiveMeasureWeight'), `${built.code} item ${index + 1}`).to.equal('0');
          expect(elements(sequencingOf(item), NS.imsss, 'minNormalizedMeasure'), `${built.code} item ${index + 1}`).to.have.length(0);
        }
      }
    });
  });

  it("reads without errors through the LMS's own manifest parser", () => {
    for (const { built, source, manifestXml } of packages) {
      const { manifest, problems } = parseManifest(manifestXml);
      expect(problems.filter((problem) => problem.severity === 'error'), built.code).to.deep.equal([]);
      expect(manifest?.scormVersion, built.code).to.equal(source.scormVersion === '1.2' ? '1.2' : '2004-4th');
      expect(manifest?.scos.length, built.code).to.equal(source.scormVersion === '1.2' ? 1 : source.lessons.length);
    }
  });
});
