// Usage: {{localCourseTitle courseCode courseTitle}} — the English title for an English reader when the
// course has one (res.locals.courseTitlesEn, filled for signed-in English readers), else the title given.
import type { HelperOptions } from 'handlebars';
import { courseTitleFor } from '../../courses/english-titles.js';

export function localCourseTitle(code: unknown, title: unknown, options: HelperOptions): string {
  const root = options.data.root as { locale?: string; courseTitlesEn?: ReadonlyMap<string, string> };
  return courseTitleFor(root.courseTitlesEn, root.locale ?? '', String(code ?? ''), String(title ?? ''));
}
