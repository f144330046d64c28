// The course sources themselves: enough questions of every type, both languages complete, and
// no invented regulation references or figures slipping into the copy.
import { expect } from 'chai';
import { shippedCourses } from '../../../courses/catalog.js';
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
      it('has a bank of at least 15 questions with single choice, multiple response and true/false', () => {
        expect(course.questions.length).to.be.at.least(15);
        const types = new Set(course.questions.map((question) => question.type));
        expect([...types].sort()).to.deep.equal(['multiple', 'single', 'true-false']);
        const ids = course.questions.map((question) => question.id);
        expect(new Set(ids).size, 'question ids are unique').to.equal(ids.length);
      });

      it('has well-formed answers: single letters, correct ids among the options, one answer for single choice', () => {
        for (const question of course.questions) {
          if (question.type === 'true-false') {
            expect(question.answer, question.id).to.be.a('boolean');
            continue;
          }
          const optionIds = question.options.map((option) => option.id);
          for (const id of optionIds) expect(id, `${question.id} option id`).to.match(/^[a-z]$/);
          expect(new Set(optionIds).size, `${question.id} option ids unique`).to.equal(optionIds.length);
          expect(question.options.length, `${question.id} options`).to.be.at.least(3);
          for (const id of question.correct) expect(optionIds, `${question.id} correct answer`).to.include(id);
          if (question.type === 'single') expect(question.correct, question.id).to.have.length(1);
          else {
            expect(question.correct.length, `${question.id} multiple response`).to.be.at.least(2);
            expect(question.correct.length, `${question.id} has a wrong option`).to.be.below(optionIds.length);
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
        expect(texts.length).to.be.greaterThan(100);
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
