import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CoursesStore, Course, CourseVersion, Sco } from './courses.repository.js';
import type { PackageProblem } from './manifest/manifest.types.js';
import type { Logger } from '../logger.js';
import type { ManifestReader } from './manifest/manifest-reader.js';
import { checkPackageFiles } from './manifest/check-package-files.js';
import type { ExtractLimits } from './package/extract-package.js';
import type { ContentStore } from './content-store.js';
import { PackageRejectedError } from './package/package-errors.js';

export const COURSE_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export interface IngestResult { course: Course; version: CourseVersion; scos: Sco[]; warnings: PackageProblem[] }

/**
 * zip on disk → checked, unpacked into a staging folder → manifest parsed and launch files checked →
 * renamed into place → course version recorded. Any refusal lists every problem and leaves nothing.
 */
export class CourseIngestService {
  constructor(private readonly deps: { courses: CoursesStore; content: ContentStore; limits: ExtractLimits; manifests: ManifestReader; logger: Logger }) {}

  async ingest(input: { zipPath: string; code?: string | null; uploadedBy: number | null }): Promise<IngestResult> {
    const { courses, content, limits, logger } = this.deps;
    if (input.code && !COURSE_CODE_PATTERN.test(input.code)) {
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
      const code = input.code ?? codeFromIdentifier(manifest.identifier);
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

/** Without a code, the manifest identifier names the course, so re-uploads of one package add versions. */
export function codeFromIdentifier(identifier: string): string {
  const cleaned = identifier.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '').slice(0, 32).replace(/[-_]+$/, '');
  return cleaned || `COURSE-${crypto.randomBytes(3).toString('hex').toUpperCase()}`;
}
