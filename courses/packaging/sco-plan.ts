// Decides which SCO pages a course becomes and what data each page embeds:
// SCORM 1.2 → one page holding every lesson; SCORM 2004 → a page per lesson. The exam is not in
// the package: it is the LMS's (the course's bank.csv), so no answer key ever reaches the browser.
import type { CourseSource, Lesson, LocalText } from './course-source.js';

export type ScoKind = 'lesson' | 'course';

/** What the runtime reads from the page (see runtime/app.js). */
export interface ScoPageData {
  scormVersion: CourseSource['scormVersion'];
  kind: ScoKind;
  course: { code: string; title: LocalText };
  lessonNumber: number | null;
  lessonCount: number;
  lessons: Lesson[];
}

export interface ScoPage {
  /** Package path of the launch page, e.g. lesson-2.html. */
  href: string;
  /** Identifier stem for manifest items and resources, e.g. L2. */
  key: string;
  title: LocalText;
  data: ScoPageData;
}

export function planScoPages(course: CourseSource): ScoPage[] {
  const base = {
    scormVersion: course.scormVersion,
    course: { code: course.code, title: course.title },
    lessonCount: course.lessons.length,
  };

  if (course.scormVersion === '1.2') {
    return [{
      href: 'index.html',
      key: 'COURSE',
      title: course.title,
      data: { ...base, kind: 'course', lessonNumber: null, lessons: course.lessons },
    }];
  }

  return course.lessons.map((lesson, index) => ({
    href: `lesson-${index + 1}.html`,
    key: `L${index + 1}`,
    title: lesson.title,
    data: { ...base, kind: 'lesson', lessonNumber: index + 1, lessons: [lesson] },
  }));
}
