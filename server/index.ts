export { createLms, type LmsApp } from './app.js';
export type { LmsOptions, Locale } from './config.js';
export type { SignInOptions, OidcOptions, LdapOptions } from './auth/sign-in-config.js';
export type { IdentifyFn, HostIdentity } from './auth/identify.js';
