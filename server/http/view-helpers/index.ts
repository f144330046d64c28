export { t } from './t.js';
export { url } from './url.js';
export { eq } from './eq.js';
export { date } from './date.js';
export { json } from './json.js';
export { concat } from './concat.js';
export { duration } from './duration.js';
export { scormStatus } from './scorm-status.js';
