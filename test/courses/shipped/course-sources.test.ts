// The course sources themselves: a bank.csv with enough questions of every type, both languages complete, and
// no invented regulation references or figures slipping into the copy.
import { expect } from 'chai';
import { shippedCourses } from '../../../courses/catalog.js';
import { readShippedBankQuestions } from './shipped-banks.js';
import type { CourseSource, LocalText } from '../../../courses/packaging/course-source.js';

const CJK = /[\u3400-\u9fff]/;

/** Every { zh, en } pair anywhere in the course, with a path for readable failures. */
function collectTexts(value: unknown, path: string, found: Array<{ path: string; text: LocalText }>): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectTexts(item, `${path}[${index}]`, found));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if ('zh' in record || 'en' in record) {
    found.push({ path, text: { zh: String(record.zh ?? ''), en: String(record.en ?? '') } });
    return;
  }
  for (const [key, child] of Object.entries(record)) collectTexts(child, `${path}.${key}`, found);
}

function textsOf(course: CourseSource) {
  const found: Array<{ path: string; text: LocalText }> = [];
  collectTexts(course, course.code, found);
  return found;
}

// The one regulatory reference the curriculum is built on (named in the issue); its year may
// also appear on its own.
const ALLOWED_REFERENCE_ZH = '国办发〔2015〕81号';
const ALLOWED_REFERENCE_EN = 'Guobanfa [2015] No. 81';

describe('shipped course sources', () => {
  it('ships at least six courses with unique codes, at least one of them SCORM 1.2', () => {
    const codes = shippedCourses.map((course) => course.code);
    expect(codes.length).to.be.at.least(6);
    expect(new Set(codes).size).to.equal(codes.length);
    expect(shippedCourses.some((course) => course.scormVersion === '1.2')).to.equal(true);
  });

  for (const course of shippedCourses) {
    describe(course.code, () => {
      it('has a bank.csv (UTF-8 with BOM) of at least 15 questions of all three types, each explained and tagged', async () => {
        const { bytes, questions } = await readShippedBankQuestions(course.code);
        expect(bytes.subarray(0, 3).toString('hex'), 'BOM').to.equal('efbbbf');
        expect(questions.length).to.be.at.least(15);
        expect([...new Set(questions.map((q) => q.type))].sort()).to.deep.equal(['multiple', 'single', 'true_false']);
        expect(new Set(questions.map((q) => q.stem)).size, 'stems are unique').to.equal(questions.length);
        for (const q of questions) {
          expect(q.explanation, q.stem).to.not.equal('');
          expect(q.tags, q.stem).to.have.length.of.at.least(1);
          expect(q.difficulty, q.stem).to.be.within(1, 5);
          if (q.type === 'single') expect(q.answer, q.stem).to.have.length(1);
          if (q.type === 'multiple') {
            expect(q.answer.length, `${q.stem}: multiple response`).to.be.at.least(2);
            expect(q.answer.length, `${q.stem}: has a wrong option`).to.be.below(q.options.length);
          }
        }
      });

      it('has lessons with a dialogue and a decision with exactly one best option', () => {
        if (course.scormVersion === '2004') {
          expect(course.lessons.length).to.be.within(3, 6);
        } else {
          expect(course.lessons.length).to.be.at.least(1);
        }
        const lessonIds = course.lessons.map((lesson) => lesson.id);
        expect(new Set(lessonIds).size).to.equal(lessonIds.length);
        for (const lesson of course.lessons) {
          expect(lesson.id).to.match(/^[a-z0-9-]+$/);
          const kinds = lesson.screens.map((screen) => screen.kind);
          expect(kinds, lesson.id).to.include('dialogue');
          expect(kinds, lesson.id).to.include('decision');
          for (const screen of lesson.screens) {
            if (screen.kind !== 'decision') continue;
            expect(screen.options.filter((option) => option.isBest), `${lesson.id}: best options`).to.have.length(1);
          }
          expect(kinds.at(-1), `${lesson.id} ends on a screen that needs no answer`).to.not.equal('decision');
        }
      });

      it('has every text in both languages: Chinese in zh, English (no Chinese characters) in en', () => {
        const texts = textsOf(course);
        expect(texts.length).to.be.greaterThan(60);
        for (const { path, text } of texts) {
          expect(text.zh.trim(), `${path}.zh`).to.not.equal('');
          expect(text.en.trim(), `${path}.en`).to.not.equal('');
          expect(CJK.test(text.zh), `${path}.zh is Chinese`).to.equal(true);
          expect(CJK.test(text.en), `${path}.en has no Chinese: ${text.en}`).to.equal(false);
        }
      });

      it('cites no regulation, article number or figure other than the 2015 guidance', () => {
        for (const { path, text } of textsOf(course)) {
          const zh = text.zh.split(ALLOWED_REFERENCE_ZH).join('').replace(/\b2015\b/g, '');
          const en = text.en.split(ALLOWED_REFERENCE_EN).join('').replace(/\b2015\b/g, '');
          expect(zh, `${path}.zh`).to.not.match(/[0-9０-９%％]|第[一二三四五六七八九十百零]+条|〔/);
          expect(en, `${path}.en`).to.not.match(/[0-9%]|\bArticle\b/);
        }
      });
    });
  }
});
