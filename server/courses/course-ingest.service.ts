import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CoursesStore, Course, CourseVersion, Sco } from './courses.repository.js';
import type { PackageProblem, ParsedManifest } from './manifest/manifest.types.js';
import type { Logger } from '../logger.js';
import type { ManifestReader } from './manifest/manifest-reader.js';
import { checkPackageFiles } from './manifest/check-package-files.js';
import type { ExtractLimits } from './package/extract-package.js';
import type { ContentStore } from './content-store.js';
import { PackageRejectedError } from './package/package-errors.js';
import { COURSE_CODE_PATTERN, proposeCourseCode } from './course-code.js';

export interface IngestResult { course: Course; version: CourseVersion; scos: Sco[]; warnings: PackageProblem[] }

/**
 * zip on disk → checked, unpacked into a staging folder → manifest parsed and launch files checked →
 * renamed into place → course version recorded. Any refusal lists every problem and leaves nothing.
 */
export class CourseIngestService {
  constructor(private readonly deps: { courses: CoursesStore; content: ContentStore; limits: ExtractLimits; manifests: ManifestReader; logger: Logger }) {}

  async ingest(input: { zipPath: string; code?: string | null; uploadedBy: number | null }): Promise<IngestResult> {
    const { courses, content, limits, logger } = this.deps;
    if (input.code && (input.code.length > 32 || !COURSE_CODE_PATTERN.test(input.code))) {
      throw new PackageRejectedError([{ code: 'COURSE_CODE_INVALID', message: 'Course code: 1–32 letters, digits, _ or -, starting with a letter or digit', path: 'code', severity: 'error' }]);
    }
    const [sha256, sizeBytes] = await hashFile(input.zipPath);
    const staged = await content.stage(input.zipPath, limits);
    let publishing: string | null = null;
    try {
      const { manifest, problems } = await this.deps.manifests.read(path.join(staged.rootDir, staged.manifestPath));
      const files = new Set(staged.files);
      const fileProblems = manifest ? checkPackageFiles(manifest, (p) => files.has(p)) : [];
      const all = [...problems, ...fileProblems, ...staged.warnings];
      const errors = all.filter((p) => p.severity === 'error');
      if (!manifest || errors.length > 0) throw new PackageRejectedError([...errors, ...all.filter((p) => p.severity !== 'error')]);
      const code = input.code ?? await this.codeFor(manifest);
      const storageDir = `v-${crypto.randomUUID()}`;
      publishing = storageDir;
      await content.publish(staged, storageDir);
      const result = await courses.addVersion({ code, manifest, problems: all, sha256, sizeBytes, storageDir, uploadedBy: input.uploadedBy }, { actorId: input.uploadedBy });
      logger.info({ course: code, version: result.version.number, scos: result.scos.length }, '[courses] package ingested');
      return { ...result, warnings: all };
    } catch (error) {
      // Both are no-ops for what is already gone.
      if (publishing) await content.remove(publishing);
      await content.discard(staged);
      throw error;
    }
  }

  /**
   * Without a code from the trainer: the course this package was uploaded to before (found by its
   * manifest identifier, whatever the course's code is now), else a readable code proposed for a
   * new course — never the authoring tool's random identifier.
   */
  private async codeFor(manifest: ParsedManifest): Promise<string> {
    const existing = await this.deps.courses.findByPackageIdentifier(manifest.identifier);
    if (existing) return existing.code;
    return proposeCourseCode({ identifier: manifest.identifier, title: manifest.title, taken: await this.deps.courses.listTakenCodes() });
  }
}

async function hashFile(file: string): Promise<[string, number]> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    size += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return [hash.digest('hex'), size];
}

