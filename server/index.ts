export { createLms, type LmsApp } from './app.js';
export type { LmsOptions, Locale } from './config.js';
