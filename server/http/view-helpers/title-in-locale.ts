// Usage: {{titleInLocale course}} — the course's English title for an English reader when it has
// one, else its (Chinese) title.
import type { HelperOptions } from 'handlebars';

export function titleInLocale(course: unknown, options: HelperOptions): string {
  const { title, titleEn } = (course ?? {}) as { title?: string; titleEn?: string | null };
  const locale = (options.data.root as { locale?: string }).locale;
  return locale === 'en' && titleEn ? titleEn : (title ?? '');
}
