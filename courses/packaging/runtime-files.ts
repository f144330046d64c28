// The shared content runtime copied into every package, in the order the pages load it
// (each script adds to window.Ruihe and may use what the earlier ones added).
import { readFile } from 'node:fs/promises';

export const RUNTIME_FOLDER = 'runtime';

export const RUNTIME_SCRIPTS = [
  'dom.js',
  'i18n.js',
  'scorm-session.js',
  'progress-state.js',
  'lesson-view.js',
  'app.js',
] as const;

export const RUNTIME_STYLESHEET = 'course.css';

const runtimeDir = new URL('../runtime/', import.meta.url);

/** Package path (e.g. runtime/app.js) → file content. */
export async function readRuntimeFiles(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of [...RUNTIME_SCRIPTS, RUNTIME_STYLESHEET]) {
    files.set(`${RUNTIME_FOLDER}/${name}`, await readFile(new URL(name, runtimeDir)));
  }
  return files;
}
