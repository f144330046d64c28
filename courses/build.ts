// Builds every course we ship into a SCORM zip: `npm run build:courses` writes courses/dist/.
// The demo seed calls buildAllCourses() and imports the zips through the real ingest service.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { shippedCourses } from './catalog.js';
import { assemblePackageFiles } from './packaging/package-course.js';
import { writeZip } from './packaging/write-zip.js';

/** The literal <schemaversion> each package declares. */
export type ShippedScormVersion = '1.2' | '2004 4th Edition';

export interface BuiltCourse {
  code: string;
  /** zh-CN title (the default language); the package holds the English one too. */
  title: string;
  /** zh-CN one-line description for the course catalogue. */
  description: string;
  /** The English title and description, for learners reading the LMS in English. */
  titleEn: string;
  descriptionEn: string;
  zipPath: string;
  scormVersion: ShippedScormVersion;
}

export async function buildAllCourses(outDir: string): Promise<BuiltCourse[]> {
  await mkdir(outDir, { recursive: true });
  const built: BuiltCourse[] = [];
  for (const course of shippedCourses) {
    const zipPath = path.resolve(outDir, `${course.code}.zip`);
    await writeZip(zipPath, await assemblePackageFiles(course));
    built.push({
      code: course.code,
      title: course.title.zh,
      description: course.description.zh,
      titleEn: course.title.en,
      descriptionEn: course.description.en,
      zipPath,
      scormVersion: course.scormVersion === '1.2' ? '1.2' : '2004 4th Edition',
    });
  }
  return built;
}

function isRunDirectly(): boolean {
  const script = process.argv[1];
  return script !== undefined && import.meta.url === pathToFileURL(path.resolve(script)).href;
}

if (isRunDirectly()) {
  const outDir = fileURLToPath(new URL('./dist/', import.meta.url));
  buildAllCourses(outDir).then(
    (built) => {
      for (const course of built) console.log(`${course.code}  SCORM ${course.scormVersion}  ${course.zipPath}`);
    },
    (error: unknown) => {
      console.error('[courses] build failed:', error);
      process.exitCode = 1;
    },
  );
}
