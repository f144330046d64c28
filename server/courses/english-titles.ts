/**
 * English course titles by course code, for pages and exports that name courses by code (the hr
 * dashboard, a person's page, assignments, the trainer's learner pages). Read once and kept for a
 * few seconds: a title is edited rarely, and a page may name the same courses many times.
 */
export interface EnglishTitlesSource {
  listEnglishTitles(): Promise<Array<{ code: string; titleEn: string }>>;
}

export class EnglishCourseTitles {
  private cached: { at: number; titles: ReadonlyMap<string, string> } | null = null;

  constructor(private readonly deps: { courses: EnglishTitlesSource; now: () => Date; keepMs?: number }) {}

  async byCode(): Promise<ReadonlyMap<string, string>> {
    const at = this.deps.now().getTime();
    if (this.cached && at - this.cached.at >= 0 && at - this.cached.at < (this.deps.keepMs ?? 5_000)) return this.cached.titles;
    const titles = new Map((await this.deps.courses.listEnglishTitles()).map((r) => [r.code, r.titleEn]));
    this.cached = { at, titles };
    return titles;
  }

  /** Forget at once (this node changed a title). */
  clear(): void {
    this.cached = null;
  }
}

/** The title a reader of `locale` sees: the English one when reading English and the course has one. */
export function courseTitleFor(titles: ReadonlyMap<string, string> | undefined, locale: string, code: string, title: string): string {
  return (locale === 'en' && titles?.get(code)) || title;
}
