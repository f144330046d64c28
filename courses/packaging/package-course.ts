// Turns one course source into the files of its SCORM package (pages, runtime, manifest).
import type { CourseSource } from './course-source.js';
import { renderScorm12Manifest } from './manifest-scorm12.js';
import { renderScorm2004Manifest } from './manifest-scorm2004.js';
import { renderScoPage } from './render-page.js';
import { readRuntimeFiles } from './runtime-files.js';
import { planScoPages } from './sco-plan.js';

export const MANIFEST_FILE = 'imsmanifest.xml';

/** Package path → content, manifest included. */
export async function assemblePackageFiles(course: CourseSource): Promise<Map<string, Buffer>> {
  const pages = planScoPages(course);
  const runtime = await readRuntimeFiles();
  const files = new Map<string, Buffer>();
  for (const page of pages) files.set(page.href, Buffer.from(renderScoPage(page), 'utf8'));
  for (const [path, content] of runtime) files.set(path, content);

  const runtimePaths = [...runtime.keys()];
  const manifest = course.scormVersion === '1.2'
    ? renderScorm12Manifest(course, pages[0], [pages[0].href, ...runtimePaths])
    : renderScorm2004Manifest(course, pages, runtimePaths);
  files.set(MANIFEST_FILE, Buffer.from(manifest, 'utf8'));
  return files;
}
