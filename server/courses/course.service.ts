import type { CoursesStore, Course, CourseVersion, Sco, CourseMetadata, CourseEnglishText } from './courses.repository.js';
import type { Principal } from '../auth/principal.js';
import { hasRole } from '../auth/principal.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { COURSE_CODE_MAX, COURSE_CODE_PATTERN } from './course-code.js';

export interface CourseDetail extends Course { versions: Array<CourseVersion & { scos: Sco[] }> }

/** Metadata to save; a missing code or English title keeps the current one. */
export type CourseMetadataInput = Omit<CourseMetadata, 'code' | 'titleEn'> & { code?: string; titleEn?: string | null };

/** Course metadata, publishing and who may open which version. */
export class CourseService {
  /** `onTitlesChanged`: a title or code was saved (the English titles kept for pages are read again). */
  constructor(private readonly deps: { courses: CoursesStore; onTitlesChanged?: () => void }) {}

  async list(): Promise<Course[]> { return this.deps.courses.list(); }
  async listPublished(): Promise<Course[]> { return this.deps.courses.list('published'); }

  async get(code: string): Promise<Course> {
    const course = await this.deps.courses.findByCode(code);
    NotFoundError.assertFound(course, `No course with code ${code}`);
    return course;
  }

  async detail(code: string): Promise<CourseDetail> {
    const course = await this.get(code);
    const versions = await this.deps.courses.listVersions(course.id);
    return { ...course, versions: await Promise.all(versions.map(async (v) => ({ ...v, scos: await this.deps.courses.listScos(v.id) }))) };
  }

  /**
   * Saves title, English title, code and rules. A new code must be free (among current and former
   * codes); the old one stays an alias, so links, bookmarks and e-mails that name it still work.
   */
  async updateMetadata(code: string, metadata: CourseMetadataInput, actorId: number): Promise<Course> {
    const course = await this.get(code);
    const newCode = metadata.code ?? course.code;
    if (newCode.length > COURSE_CODE_MAX || !COURSE_CODE_PATTERN.test(newCode)) {
      throw new ValidationError('Course code: 1–32 letters, digits, _ or -, starting with a letter or digit',
        [{ code: 'COURSE_CODE_INVALID', message: 'Letters, digits, _ or -, up to 32 characters', path: 'code' }], 'COURSE_CODE_INVALID');
    }
    const saved = await this.deps.courses.updateMetadata(course.id, { ...metadata, code: newCode, titleEn: metadata.titleEn === undefined ? course.titleEn : metadata.titleEn }, { actorId });
    this.deps.onTitlesChanged?.();
    return saved;
  }

  /** English title and description for en readers (blank clears one). */
  async setEnglishText(code: string, text: CourseEnglishText, actorId: number): Promise<Course> {
    const course = await this.get(code);
    const clean = (v: string | null) => (v === null || v.trim() === '' ? null : v.trim());
    const saved = await this.deps.courses.setEnglishText(course.id, { titleEn: clean(text.titleEn), descriptionEn: clean(text.descriptionEn) }, { actorId });
    this.deps.onTitlesChanged?.();
    return saved;
  }

  /** Publishes the latest version (or a chosen one); learners who already started keep theirs. */
  async publish(code: string, actorId: number, versionNumber?: number): Promise<Course> {
    const course = await this.get(code);
    const versions = await this.deps.courses.listVersions(course.id);
    const version = versionNumber === undefined ? versions[0] : versions.find((v) => v.number === versionNumber);
    if (!version) throw new ValidationError('No such version to publish', [{ code: 'VERSION_NOT_FOUND', message: 'No such version', path: 'version' }]);
    return this.deps.courses.setStatus(course.id, 'published', version.id, { actorId });
  }

  async retire(code: string, actorId: number): Promise<Course> {
    const course = await this.get(code);
    return this.deps.courses.setStatus(course.id, 'retired', course.publishedVersionId, { actorId });
  }

  /** Codes the course had before, oldest first: they still open it. */
  async formerCodes(courseId: number): Promise<string[]> { return this.deps.courses.listFormerCodes(courseId); }

  async findVersion(versionId: number): Promise<CourseVersion | null> { return this.deps.courses.findVersion(versionId); }

  async manifestItems(versionId: number) { return (await this.deps.courses.getManifest(versionId))?.items ?? null; }

  /** Trainers and admins open any version (preview); others only versions of a published course. */
  async canOpenVersion(principal: Principal, version: CourseVersion): Promise<boolean> {
    if (hasRole(principal, 'trainer', 'admin')) return true;
    const course = await this.deps.courses.findById(version.courseId);
    return course?.status === 'published';
  }
}
