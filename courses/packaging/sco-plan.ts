// Decides which SCO pages a course becomes and what data each page embeds:
// SCORM 1.2 → one page holding every lesson and the exam; SCORM 2004 → a page per lesson plus
// an exam page.
import { EXAM_RULES } from './course-source.js';
import type { CourseSource, Lesson, LocalText, Question } from './course-source.js';

export type ScoKind = 'lesson' | 'exam' | 'course';

/** What the runtime reads from the page (see runtime/app.js). */
export interface ScoPageData {
  scormVersion: CourseSource['scormVersion'];
  kind: ScoKind;
  course: { code: string; title: LocalText };
  lessonNumber: number | null;
  lessonCount: number;
  lessons: Lesson[];
  exam: { questionsPerAttempt: number; passPercent: number; questions: Question[] } | null;
}

export interface ScoPage {
  /** Package path of the launch page, e.g. lesson-2.html. */
  href: string;
  /** Identifier stem for manifest items and resources, e.g. L2 or EXAM. */
  key: string;
  title: LocalText;
  data: ScoPageData;
}

const EXAM_TITLE: LocalText = { zh: '结业考试', en: 'Final exam' };

export function planScoPages(course: CourseSource): ScoPage[] {
  const base = {
    scormVersion: course.scormVersion,
    course: { code: course.code, title: course.title },
    lessonCount: course.lessons.length,
  };
  const exam = { ...EXAM_RULES, questions: course.questions };

  if (course.scormVersion === '1.2') {
    return [{
      href: 'index.html',
      key: 'COURSE',
      title: course.title,
      data: { ...base, kind: 'course', lessonNumber: null, lessons: course.lessons, exam },
    }];
  }

  const lessonPages: ScoPage[] = course.lessons.map((lesson, index) => ({
    href: `lesson-${index + 1}.html`,
    key: `L${index + 1}`,
    title: lesson.title,
    data: { ...base, kind: 'lesson', lessonNumber: index + 1, lessons: [lesson], exam: null },
  }));
  const examPage: ScoPage = {
    href: 'exam.html',
    key: 'EXAM',
    title: EXAM_TITLE,
    data: { ...base, kind: 'exam', lessonNumber: null, lessons: [], exam },
  };
  return [...lessonPages, examPage];
}
